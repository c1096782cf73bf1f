from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from samenspel.communities.models import (
    Community,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
)


@admin.register(Community)
class CommunityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "municipality", "is_public", "is_example", "archived_at"]
    search_fields = ["name", "slug", "municipality"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "community"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "community", "side", "role", "organisation", "left_at"]
    list_filter = ["side", "role"]
    raw_id_fields = ["user", "community", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "community", "side", "role", "expires_at", "accepted_at"]
    exclude = ["token_hash"]


@admin.register(JoinRequest)
class JoinRequestAdmin(SimpleHistoryAdmin):
    list_display = ["user", "community", "side", "status", "created_at"]
    list_filter = ["status"]
