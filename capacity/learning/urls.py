from django.urls import path  # noqa: F401 - each area below adds its paths

urlpatterns: list = [
    # --- reading: the library, an item, its versions, the user guide, PDFs (views.py) ---
    # --- search (views_search.py) ---
    # --- authoring and review (views_authoring.py) ---
    # --- board profiles and what to read next (views_profiles.py) ---
    # --- module sessions (views_sessions.py) ---
]
