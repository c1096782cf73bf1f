"""Track 1 pages: value."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
