"""A community's data out as CSV: the listed initiatives and their indicator values, in the
columns the imports read back (see importers/), for spreadsheets and other tools.

The file's form is core/spreadsheets.py's. A fixed number of queries, however many rows.
"""

from typing import Any

from samenspel.communities.models import Community
from samenspel.communities.permissions import AnyUser
from samenspel.core.spreadsheets import safe_text, to_csv
from samenspel.initiatives import permissions
from samenspel.initiatives.importers.figures import VALUE_COLUMNS
from samenspel.initiatives.importers.registry import INITIATIVE_COLUMNS
from samenspel.initiatives.models import IndicatorValue


def _number(value: Any) -> str:
    return "" if value is None else str(value)


def initiative_rows(user: AnyUser, community: Community) -> list[list[str]]:
    """The listed initiatives; a contact email only where the user may see it. Two queries
    (and the user's membership, once)."""
    initiatives = (
        permissions.get_initiatives_for_user(user, community)
        .select_related("organisation")
        .prefetch_related("neighbourhoods")
        .order_by("name", "pk")
    )
    rows = []
    for initiative in initiatives:
        initiative.community = community  # no query per row in the permission check
        contact = initiative.contact_email if permissions.can_see_contact(user, initiative) else ""
        rows.append(
            [
                initiative.slug,
                safe_text(initiative.name),
                safe_text(initiative.pitch),
                initiative.phase,
                initiative.status,
                initiative.legal_form,
                ";".join(initiative.solutions),
                initiative.project_role,
                _number(initiative.households),
                safe_text(";".join(n.name for n in initiative.neighbourhoods.all())),
                _number(initiative.latitude),
                _number(initiative.longitude),
                safe_text(initiative.website),
                safe_text(initiative.organisation.name if initiative.organisation else ""),
                safe_text(contact),
            ]
        )
    return rows


def initiatives_csv(user: AnyUser, community: Community) -> str:
    return to_csv(INITIATIVE_COLUMNS, initiative_rows(user, community))


def value_rows(user: AnyUser, community: Community) -> list[list[str]]:
    """Indicator values of the listed initiatives, one query."""
    listed = permissions.get_initiatives_for_user(user, community)
    values = (
        IndicatorValue.objects.filter(initiative__in=listed.values("pk"))
        .order_by("initiative__slug", "indicator__order", "indicator__code", "year")
        .values_list("initiative__slug", "indicator__code", "year", "value", "text", "source")
    )
    return [
        [slug, code, str(year), _number(value), safe_text(text), safe_text(source)]
        for slug, code, year, value, text, source in values
    ]


def values_csv(user: AnyUser, community: Community) -> str:
    return to_csv(VALUE_COLUMNS, value_rows(user, community))
