"""Bringing a community's data in, one module per importer: initiatives and indicator values
from CSV (registry, figures), neighbourhoods from GeoJSON. Reading CSV as Dutch spreadsheets
save it lives beside the exports, in core/spreadsheets.py.

Each import is a service: it checks that the actor keeps the community's catalogue, checks
every row against lookups loaded up front (a few queries, whatever the size of the file),
and applies whole or not at all, with bulk writes that keep history, or reports every
problem by row and column so a steward can fix the file and try again."""

from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.communities.services import CommunityError
from samenspel.initiatives.permissions import can_keep_catalogue

BATCH = 500


def check_may_import(actor: User, community: Community) -> None:
    if not can_keep_catalogue(actor, community):
        raise CommunityError(_("Only the stewards bring data in."), code="forbidden", status=403)
