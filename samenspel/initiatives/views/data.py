"""Track 1 pages: data."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
