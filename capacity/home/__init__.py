"""The home page: what needs each person today, gathered from every app's `home.py`."""
