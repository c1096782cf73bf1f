"""The council's route under /c/<slug>/: advices, council meetings and the register."""

from django.urls import path

from samenspel.council.views import advices as views
from samenspel.council.views import followup

urlpatterns = [
    path("advices/", views.advice_list, name="council_advices"),
    path("advices/new/", views.new_advice, name="new_council_advice"),
    path("advices/<int:advice_id>/", views.advice_detail, name="council_advice"),
    path("advices/<int:advice_id>/edit/", views.edit_advice, name="edit_council_advice"),
    path("advices/<int:advice_id>/advice.pdf", views.advice_pdf, name="council_advice_pdf"),
    path("advices/<int:advice_id>/endorse/", views.endorse, name="endorse_council_advice"),
    path(
        "advices/<int:advice_id>/endorsements/<int:endorsement_id>/confirm/",
        views.confirm_side,
        name="confirm_endorsement_side",
    ),
    path("advices/<int:advice_id>/move/", views.move, name="move_council_advice"),
    path("advices/<int:advice_id>/decision/", views.decide, name="record_council_decision"),
    path(
        "advices/<int:advice_id>/commitments/",
        followup.add_commitment,
        name="add_council_commitment",
    ),
    path(
        "advices/<int:advice_id>/commitments/<int:commitment_id>/status/",
        followup.commitment_status,
        name="council_commitment_status",
    ),
    path("council-meetings/", followup.meeting_list, name="council_meetings"),
    path("council-meetings/new/", followup.plan_meeting, name="plan_council_meeting"),
    path("council-meetings/<int:meeting_id>/", followup.meeting_detail, name="council_meeting"),
    path(
        "council-meetings/<int:meeting_id>/edit/",
        followup.edit_meeting,
        name="edit_council_meeting",
    ),
    path(
        "council-meetings/<int:meeting_id>/cancel/",
        followup.cancel_meeting,
        name="cancel_council_meeting",
    ),
    path(
        "council-meetings/<int:meeting_id>/agenda/",
        followup.add_to_agenda,
        name="council_meeting_agenda",
    ),
    path("register/", followup.register, name="council_register"),
    path("register/new/", followup.new_arrangement, name="new_council_arrangement"),
    path(
        "register/<int:arrangement_id>/ended/",
        followup.end_arrangement,
        name="end_council_arrangement",
    ),
]
