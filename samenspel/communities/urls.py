from django.urls import path

from samenspel.communities import deliveries, views

urlpatterns = [
    path("new/", views.new_community, name="new_community"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("<slug:slug>/", views.community_home, name="community_home"),
    path("<slug:slug>/edit/", views.edit_community, name="edit_community"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/contact/", views.contact, name="community_contact"),
    path("<slug:slug>/members/<int:membership_id>/role/", views.change_role, name="change_role"),
    path(
        "<slug:slug>/members/<int:membership_id>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("<slug:slug>/deliveries/", deliveries.deliveries, name="deliveries"),
    path(
        "<slug:slug>/deliveries/<int:delivery_id>/retry/",
        deliveries.retry,
        name="retry_delivery",
    ),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/requests/", views.join_requests, name="join_requests"),
    path(
        "<slug:slug>/requests/<int:request_id>/",
        views.decide_join_request,
        name="decide_join_request",
    ),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/activity/", views.activity, name="activity"),
    path("<slug:slug>/membership/", views.my_membership, name="my_membership"),
    path("<slug:slug>/organisations/", views.organisations, name="organisations"),
    path("<slug:slug>/organisations/new/", views.edit_organisation, name="new_organisation"),
    path(
        "<slug:slug>/organisations/requests/<int:membership_id>/<str:decision>/",
        views.decide_organisation,
        name="decide_organisation",
    ),
    path(
        "<slug:slug>/organisations/<int:organisation_id>/",
        views.edit_organisation,
        name="edit_organisation",
    ),
]
