"""The group's practice under /c/<slug>/: sessions, ground rules, learning questions and
lessons, the glossary, the group's health, peer consultations and visits to initiatives."""

from django.urls import path

from samenspel.practice.views import (
    consultations,
    glossary,
    ground_rules,
    health,
    questions,
    visits,
)
from samenspel.practice.views import sessions as views

urlpatterns = [
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/new/", views.plan_session, name="plan_session"),
    path("sessions/calendar/", views.calendar_page, name="session_calendar"),
    path("calendar.ics", views.calendar_feed, name="calendar_feed"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("sessions/<int:session_id>/edit/", views.edit_session, name="edit_session"),
    path("sessions/<int:session_id>/cancel/", views.cancel_session, name="cancel_session"),
    path("sessions/<int:session_id>/answer/", views.answer, name="answer_session"),
    path("sessions/<int:session_id>/session.ics", views.session_ics, name="session_ics"),
    path("sessions/<int:session_id>/agenda/", views.add_agenda_item, name="add_agenda_item"),
    path(
        "sessions/<int:session_id>/agenda/<int:item_id>/discussed/",
        views.discussed,
        name="agenda_item_discussed",
    ),
    path(
        "sessions/<int:session_id>/agenda/<int:item_id>/remove/",
        views.remove_agenda_item,
        name="remove_agenda_item",
    ),
    path("sessions/<int:session_id>/attendance/", views.attendance, name="session_attendance"),
    path("sessions/<int:session_id>/minutes/", views.minutes, name="session_minutes"),
    path("sessions/<int:session_id>/decisions/", views.add_decision, name="add_decision"),
    path(
        "sessions/<int:session_id>/action-points/", views.add_action_point, name="add_action_point"
    ),
    path(
        "sessions/<int:session_id>/action-points/<int:point_id>/status/",
        views.action_point_status,
        name="action_point_status",
    ),
]

urlpatterns += [
    path("ground-rules/", ground_rules.ground_rule_list, name="ground_rules"),
    path("ground-rules/new/", ground_rules.edit_ground_rule, name="new_ground_rule"),
    path(
        "ground-rules/<int:rule_id>/edit/",
        ground_rules.edit_ground_rule,
        name="edit_ground_rule",
    ),
    path("ground-rules/<int:rule_id>/retire/", ground_rules.retire, name="retire_ground_rule"),
]

urlpatterns += [
    path("glossary/", glossary.glossary_page, name="glossary"),
    path("glossary/new/", glossary.edit_term, name="new_term"),
    path("glossary/<slug:term_slug>/edit/", glossary.edit_term, name="edit_term"),
]

urlpatterns += [
    path("learning-questions/", questions.question_list, name="learning_questions"),
    path("learning-questions/new/", questions.new_question, name="new_learning_question"),
    path(
        "learning-questions/<int:question_id>/",
        questions.question_detail,
        name="learning_question",
    ),
    path(
        "learning-questions/<int:question_id>/status/",
        questions.question_status,
        name="learning_question_status",
    ),
    path("lessons/", questions.lesson_library, name="lessons"),
    path("lessons/new/", questions.new_lesson, name="new_lesson"),
    path("lessons/<int:lesson_id>/", questions.lesson_detail, name="lesson"),
]

urlpatterns += [
    path("health/", health.dashboard, name="health"),
    path("health/stage/", health.record_stage, name="record_stage"),
    path("sessions/<int:session_id>/pulse/", health.pulse, name="session_pulse"),
]

urlpatterns += [
    path(
        "sessions/<int:session_id>/consultations/new/",
        consultations.start,
        name="start_consultation",
    ),
    path(
        "sessions/<int:session_id>/consultations/<int:consultation_id>/",
        consultations.detail,
        name="consultation",
    ),
    path(
        "sessions/<int:session_id>/consultations/<int:consultation_id>/rounds/<int:number>/",
        consultations.write_round,
        name="consultation_round",
    ),
]

urlpatterns += [
    path("visits/", visits.visit_list, name="field_visits"),
    path("visits/new/", visits.plan_visit, name="plan_field_visit"),
    path("visits/<int:visit_id>/", visits.visit_detail, name="field_visit"),
    path("visits/<int:visit_id>/cancel/", visits.cancel_visit, name="cancel_field_visit"),
    path("visits/<int:visit_id>/notes/", visits.visit_notes, name="field_visit_notes"),
    path("visits/<int:visit_id>/signal/", visits.raise_signal, name="field_visit_signal"),
]
