"""The accord under /c/<slug>/accords/."""

from django.urls import path

from samenspel.accords import views

urlpatterns = [
    path("accords/", views.accord_list, name="accords"),
    path("accords/new/", views.start, name="start_accord"),
    path("accords/consent-period/", views.consent_period, name="accord_consent_period"),
    path("accords/<int:accord_id>/", views.accord_detail, name="accord"),
    path("accords/<int:accord_id>/draft/", views.edit_draft, name="accord_draft"),
    path(
        "accords/<int:accord_id>/versions/<int:number>/",
        views.version_detail,
        name="accord_version",
    ),
    path(
        "accords/<int:accord_id>/versions/<int:number>/accord.pdf",
        views.version_pdf,
        name="accord_version_pdf",
    ),
    path("accords/<int:accord_id>/diff/", views.compare, name="accord_diff"),
    path("accords/<int:accord_id>/publish/", views.publish, name="publish_accord_version"),
    path("accords/<int:accord_id>/endorse/", views.endorse, name="endorse_accord"),
    path(
        "accords/<int:accord_id>/endorsements/<int:endorsement_id>/confirm/",
        views.confirm,
        name="confirm_accord_endorsement",
    ),
    path("accords/<int:accord_id>/amendments/new/", views.new_amendment, name="new_amendment"),
    path(
        "accords/<int:accord_id>/amendments/<int:amendment_id>/",
        views.amendment_detail,
        name="amendment",
    ),
    path(
        "accords/<int:accord_id>/amendments/<int:amendment_id>/comments/",
        views.comment,
        name="amendment_comment",
    ),
    path(
        "accords/<int:accord_id>/amendments/<int:amendment_id>/objections/",
        views.object_to,
        name="amendment_objection",
    ),
    path(
        "accords/<int:accord_id>/amendments/<int:amendment_id>/objections/<int:objection_id>/resolve/",
        views.resolve,
        name="resolve_objection",
    ),
    path(
        "accords/<int:accord_id>/amendments/<int:amendment_id>/decision/",
        views.decide,
        name="decide_amendment",
    ),
]
