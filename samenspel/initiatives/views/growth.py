"""Track 1 pages: growth."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
