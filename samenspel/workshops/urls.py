"""Workshops: the facilitator's pages under /c/<slug>/workshops/ (community_urlpatterns) and
the screens of a workshop being played under /w/ (play_urlpatterns)."""

from django.urls import path

from samenspel.workshops.views import console, play, templates

community_urlpatterns = [
    path("workshops/", console.workshop_list, name="workshops"),
    path("workshops/new/", console.new_workshop, name="new_workshop"),
    path("workshops/<int:workshop_id>/", console.console, name="workshop"),
    path("workshops/<int:workshop_id>/control/", console.control, name="workshop_control"),
    path("workshops/<int:workshop_id>/cards/", console.cards, name="workshop_cards"),
    path("workshops/<int:workshop_id>/report/", console.report_page, name="workshop_report"),
    path("workshops/<int:workshop_id>/report.pdf", console.report_pdf, name="workshop_report_pdf"),
    path(
        "workshops/<int:workshop_id>/harvest/<str:what>/<int:item_id>/",
        console.harvest_item,
        name="workshop_harvest",
    ),
    path("workshops/<int:workshop_id>/remove/", console.remove, name="remove_workshop"),
    path("workshops/templates/new/", templates.new_template, name="new_workshop_template"),
    path("workshops/templates/built-in/<str:key>/", templates.built_in, name="built_in_template"),
    path(
        "workshops/templates/<int:template_id>/",
        templates.template_detail,
        name="workshop_template",
    ),
    path(
        "workshops/templates/<int:template_id>/edit/",
        templates.edit_template,
        name="edit_workshop_template",
    ),
    path(
        "workshops/templates/<int:template_id>/archive/",
        templates.archive,
        name="archive_workshop_template",
    ),
    path(
        "workshops/templates/<int:template_id>/acts/new/",
        templates.edit_act,
        name="new_template_act",
    ),
    path(
        "workshops/templates/<int:template_id>/acts/<int:act_id>/",
        templates.edit_act,
        name="edit_template_act",
    ),
    path(
        "workshops/templates/<int:template_id>/acts/<int:act_id>/action/",
        templates.act_action,
        name="template_act_action",
    ),
]

play_urlpatterns = [
    path("", play.join_start, name="join_workshop"),
    path("<str:code>/", play.play, name="play"),
    path("<str:code>/cards", play.write, name="workshop_write"),
    path("<str:code>/votes", play.cast_vote, name="workshop_vote"),
    path("<str:code>/changes", play.changes, name="workshop_changes"),
    path("<str:code>/qr.svg", play.qr_code, name="workshop_qr"),
    path("<str:code>/screen/<str:key>/", play.screen, name="workshop_screen"),
]
