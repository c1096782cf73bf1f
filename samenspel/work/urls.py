from django.urls import path

from samenspel.work import views

urlpatterns = [
    path("", views.my_work, name="my_work"),
]
