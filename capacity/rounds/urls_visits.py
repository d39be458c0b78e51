"""The rounds app's pages: problems of practice, visits and notes (capacity/rounds/urls.py joins
the parts)."""

from django.urls import URLPattern, path

from capacity.rounds import views_visits as views

urlpatterns: list[URLPattern] = [
    path("rounds/", views.rounds_index, name="rounds_index"),
    path("rounds/problems/new/", views.rounds_problem_new, name="rounds_problem_new"),
    path("rounds/problems/<int:pk>/", views.rounds_problem, name="rounds_problem"),
    path("rounds/problems/<int:pk>/edit/", views.rounds_problem_edit, name="rounds_problem_edit"),
    path("rounds/problems/<int:pk>/visits/new/", views.rounds_visit_new, name="rounds_visit_new"),
    path("rounds/visits/<int:pk>/", views.rounds_visit, name="rounds_visit"),
    path("rounds/visits/<int:pk>/edit/", views.rounds_visit_edit, name="rounds_visit_edit"),
    path("rounds/visits/<int:pk>/stage/", views.rounds_visit_stage, name="rounds_visit_stage"),
    path("rounds/visits/<int:pk>/notes/", views.rounds_notes, name="rounds_notes"),
    path("rounds/visits/<int:pk>/notes/sync/", views.rounds_notes_sync, name="rounds_notes_sync"),
    path("rounds/notes/check/", views.rounds_note_check, name="rounds_note_check"),
    # The notes pages' service worker: served under /rounds/ so that its scope covers them.
    path("rounds/notes-worker.js", views.rounds_notes_worker, name="rounds_notes_worker"),
]
