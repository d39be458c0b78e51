"""Pages for identification proposals a ministry officer confirms or sets aside (issue 13)."""

from __future__ import annotations

from typing import Any

from django.urls import path

from capacity.evidence import views_decisions as views

urlpatterns: list[Any] = [
    path("evidence/decisions/", views.proposal_list, name="decisions_proposals"),
    path("evidence/decisions/propose/", views.proposal_propose, name="decisions_propose"),
    path("evidence/decisions/<int:pk>/", views.proposal_detail, name="decisions_proposal"),
    path(
        "evidence/decisions/<int:pk>/export.csv",
        views.proposal_export,
        name="decisions_proposal_export",
    ),
    path(
        "evidence/decisions/<int:pk>/confirm-all/",
        views.proposal_confirm_all,
        name="decisions_confirm_all",
    ),
    path("evidence/decisions/change/<int:pk>/", views.change_decide, name="decisions_decide"),
]
