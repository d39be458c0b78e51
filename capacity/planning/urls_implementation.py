"""Pages for strategies' implementation status with dated evidence, and leading indicators rolled
up (issue 13).
"""

from __future__ import annotations

from typing import Any

from django.urls import path

from capacity.planning import views_implementation as views

urlpatterns: list[Any] = [
    path(
        "plans/<int:pk>/strategies/<int:strategy_id>/reviews/",
        views.implementation_strategy,
        name="implementation_strategy",
    ),
    path(
        "plans/<int:pk>/checkpoints/<int:checkpoint_id>/review/",
        views.implementation_checkpoint,
        name="implementation_checkpoint",
    ),
    path(
        "plans/<int:pk>/reviews/<int:review_id>/file/",
        views.implementation_review_file,
        name="implementation_review_file",
    ),
    path(
        "plans/indicators/",
        views.implementation_province,
        name="implementation_province",
    ),
    path(
        "plans/indicators.<str:fmt>",
        views.implementation_province,
        name="implementation_province_export",
    ),
    path(
        "plans/indicators/boards/<str:number>/",
        views.implementation_board,
        name="implementation_board",
    ),
    path(
        "plans/indicators/boards/<str:number>.<str:fmt>",
        views.implementation_board,
        name="implementation_board_export",
    ),
    path(
        "plans/indicators/schools/<str:number>/",
        views.implementation_school,
        name="implementation_school",
    ),
]
