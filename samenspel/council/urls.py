"""The council's route under /c/<slug>/advices/."""

from django.urls import path

from samenspel.council import views

urlpatterns = [
    path("advices/", views.advice_list, name="council_advices"),
    path("advices/new/", views.new_advice, name="new_council_advice"),
    path("advices/<int:advice_id>/", views.advice_detail, name="council_advice"),
    path("advices/<int:advice_id>/edit/", views.edit_advice, name="edit_council_advice"),
    path("advices/<int:advice_id>/endorse/", views.endorse, name="endorse_council_advice"),
    path(
        "advices/<int:advice_id>/endorsements/<int:endorsement_id>/confirm/",
        views.confirm_side,
        name="confirm_endorsement_side",
    ),
    path("advices/<int:advice_id>/move/", views.move, name="move_council_advice"),
    path("advices/<int:advice_id>/decision/", views.decide, name="record_council_decision"),
]
