"""The rounds app's pages: lesson study (capacity/rounds/urls.py joins the parts)."""

from django.urls import URLPattern, path

from capacity.rounds import views_lessons as views

urlpatterns: list[URLPattern] = [
    path("rounds/lessons/", views.rounds_lessons, name="rounds_lessons"),
    path("rounds/lessons/new/", views.rounds_lesson_new, name="rounds_lesson_new"),
    path("rounds/lessons/<int:pk>/", views.rounds_lesson, name="rounds_lesson"),
    path("rounds/lessons/<int:pk>.pdf", views.rounds_lesson_pdf, name="rounds_lesson_pdf"),
    path("rounds/lessons/<int:pk>/edit/", views.rounds_lesson_edit, name="rounds_lesson_edit"),
    path(
        "rounds/lessons/<int:pk>/cycles/<int:number>/",
        views.rounds_lesson_cycle,
        name="rounds_lesson_cycle",
    ),
    path("rounds/lessons/<int:pk>/share/", views.rounds_lesson_share, name="rounds_lesson_share"),
]
