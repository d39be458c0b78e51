"""Pages for the OFIP themes and lessons on goals, strategies and co-reflections; challenging
circumstances (issue 13). Late timelines show on the plan page, the plan list and home pages.
"""

from __future__ import annotations

from typing import Any

from django.urls import path

from capacity.planning import views_themes as views

urlpatterns: list[Any] = [
    path("plans/themes/", views.themes_province, name="themes_province"),
    path("plans/themes.csv", views.themes_export, name="themes_export"),
    path("plans/themes/boards/<str:number>/", views.themes_board, name="themes_board"),
    path("plans/<int:pk>/themes/", views.themes_plan, name="themes_plan"),
    path(
        "plans/<int:pk>/themes/<str:kind>/<int:item_id>/",
        views.themes_plan_tag,
        name="themes_plan_tag",
    ),
    path("plans/<int:pk>/circumstances/", views.themes_circumstances, name="themes_circumstances"),
]
