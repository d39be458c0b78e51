"""The rounds app's pages: debrief (capacity/rounds/urls.py joins the parts)."""

from django.urls import URLPattern, path

from capacity.rounds import views_debrief as views

urlpatterns: list[URLPattern] = [
    path("rounds/visits/<int:pk>/debrief/", views.rounds_debrief, name="rounds_debrief"),
    path("rounds/visits/<int:pk>/debrief.pdf", views.rounds_debrief_pdf, name="rounds_debrief_pdf"),
    path(
        "rounds/visits/<int:pk>/next-steps/",
        views.rounds_next_step_new,
        name="rounds_next_step_new",
    ),
    path(
        "rounds/next-steps/<int:pk>/strategy/",
        views.rounds_next_step_strategy,
        name="rounds_next_step_strategy",
    ),
    path(
        "rounds/next-steps/<int:pk>/action/",
        views.rounds_next_step_action,
        name="rounds_next_step_action",
    ),
    path("rounds/patterns/", views.rounds_patterns, name="rounds_patterns"),
]
