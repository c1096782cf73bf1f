from django.urls import path

from samenspel.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
