"""The rounds app's pages: networks' work (capacity/rounds/urls.py joins the parts)."""

from django.urls import URLPattern, path

from capacity.rounds import views_networks as views

urlpatterns: list[URLPattern] = [
    path(
        "rounds/networks/suggestions/",
        views.rounds_network_suggestions,
        name="rounds_network_suggestions",
    ),
    path(
        "rounds/networks/suggestions/<int:pk>/",
        views.rounds_network_suggestion,
        name="rounds_network_suggestion",
    ),
    path("rounds/networks/<int:pk>/", views.rounds_network, name="rounds_network"),
    path(
        "rounds/networks/<int:pk>/agreement/",
        views.rounds_network_agreement,
        name="rounds_network_agreement",
    ),
    path(
        "rounds/networks/<int:pk>/agreement.pdf",
        views.rounds_network_agreement_pdf,
        name="rounds_network_agreement_pdf",
    ),
    path(
        "rounds/networks/<int:pk>/cycles/",
        views.rounds_network_cycle_new,
        name="rounds_network_cycle_new",
    ),
    path(
        "rounds/networks/<int:pk>/cycles/<int:number>/",
        views.rounds_network_cycle,
        name="rounds_network_cycle",
    ),
    path(
        "rounds/networks/<int:pk>/actions/",
        views.rounds_network_action_new,
        name="rounds_network_action_new",
    ),
    path(
        "rounds/networks/actions/<int:pk>/",
        views.rounds_network_action,
        name="rounds_network_action",
    ),
]
