"""The rounds app's pages: lessons (capacity/rounds/urls.py joins the parts)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
