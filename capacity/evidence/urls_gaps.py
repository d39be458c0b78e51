"""Pages for gaps against the other students, gap trends, the context gap and cohorts (issue 13)."""

from __future__ import annotations

from typing import Any

from django.urls import path

from capacity.evidence import views_gaps

urlpatterns: list[Any] = [
    path("schools/<str:number>/evidence/gaps/", views_gaps.gaps_school, name="gaps_school"),
    path(
        "schools/<str:number>/evidence/gaps/<str:table>.<str:fmt>",
        views_gaps.gaps_school_export,
        name="gaps_school_export",
    ),
    path("boards/<str:number>/evidence/gaps/", views_gaps.gaps_board, name="gaps_board"),
    path(
        "boards/<str:number>/evidence/gaps/<str:table>.<str:fmt>",
        views_gaps.gaps_board_export,
        name="gaps_board_export",
    ),
]
