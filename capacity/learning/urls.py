from django.urls import path  # noqa: F401 - each area below adds its paths

from capacity.learning import (
    views,
    views_authoring,
    views_profiles,
    views_search,
    views_sessions,
)

urlpatterns: list = [
    # --- reading: the library, an item, its versions, the user guide, PDFs (views.py) ---
    path("learning/", views.library, name="learning_library"),
    path("learning/guide/", views.guide, name="learning_guide"),
    # --- search (views_search.py) ---
    path("learning/search/", views_search.learning_search, name="learning_search"),
    # --- authoring and review (views_authoring.py) ---
    path("learning/cases/new/", views_authoring.case_new, name="learning_case_new"),
    path("learning/drafts/", views_authoring.drafts, name="learning_drafts"),
    path("learning/review/", views_authoring.review, name="learning_review"),
    path("learning/<slug:slug>/edit/", views_authoring.case_edit, name="learning_case_edit"),
    path("learning/<slug:slug>/draft/", views_authoring.case_draft, name="learning_draft"),
    path("learning/<slug:slug>/submit/", views_authoring.case_submit, name="learning_case_submit"),
    path("learning/<slug:slug>/return/", views_authoring.case_return, name="learning_case_return"),
    path(
        "learning/<slug:slug>/publish/", views_authoring.case_publish, name="learning_case_publish"
    ),
    path(
        "learning/<slug:slug>/comment/", views_authoring.case_comment, name="learning_case_comment"
    ),
    # --- board profiles and what to read next (views_profiles.py) ---
    path("learning/boards/", views_profiles.learning_boards, name="learning_boards"),
    path("learning/boards/<str:number>/", views_profiles.learning_board, name="learning_board"),
    # --- module sessions (views_sessions.py) ---
    path("learning/sessions/", views_sessions.learning_sessions, name="learning_sessions"),
    path(
        "learning/sessions/new/", views_sessions.learning_session_new, name="learning_session_new"
    ),
    path("learning/sessions/<int:pk>/", views_sessions.learning_session, name="learning_session"),
    path(
        "learning/sessions/<int:pk>/edit/",
        views_sessions.learning_session_edit,
        name="learning_session_edit",
    ),
    path(
        "learning/sessions/<int:pk>/evaluation/",
        views_sessions.learning_session_evaluation,
        name="learning_session_evaluation",
    ),
    # --- reading: an item's own pages. Keep these last: `learning/<slug>/` would otherwise
    # take the other areas' one-word paths (learning/search/ and the like) as an item's slug.
    path("learning/<slug:slug>.pdf", views.item_pdf, name="learning_pdf"),
    path("learning/<slug:slug>/", views.item_page, name="learning_item"),
    path("learning/<slug:slug>/versions/", views.versions, name="learning_versions"),
    path(
        "learning/<slug:slug>/versions/<int:number>/", views.version_page, name="learning_version"
    ),
]
