"""Pages for year close goal by goal, the marker-student log and pedagogical documentation (issue
13).
"""

from __future__ import annotations

from typing import Any

from django.urls import path

from capacity.planning import views_yearclose as views

urlpatterns: list[Any] = [
    path("plans/<int:pk>/year-close/", views.yearclose_plan, name="yearclose_plan"),
    path("plans/<int:pk>/marker-log/", views.yearclose_marker_log, name="yearclose_marker_log"),
    path(
        "plans/<int:pk>/marker-log/<int:note_id>/delete/",
        views.yearclose_marker_note_delete,
        name="yearclose_marker_note_delete",
    ),
    path(
        "plans/<int:pk>/documentation/",
        views.yearclose_documentation,
        name="yearclose_documentation",
    ),
    path(
        "plans/<int:pk>/documentation/<int:item_id>/file/",
        views.yearclose_documentation_file,
        name="yearclose_documentation_file",
    ),
    path(
        "plans/<int:pk>/documentation/<int:item_id>/remove/",
        views.yearclose_documentation_remove,
        name="yearclose_documentation_remove",
    ),
]
