"""The rounds app's pages: networks (capacity/rounds/urls.py joins the parts)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
