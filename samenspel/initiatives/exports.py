"""A community's data out as CSV: the listed initiatives and their indicator values, in the
columns the imports read back (see imports.py), for spreadsheets and other tools.

UTF-8 with a byte order mark so Excel reads the letters right, commas between columns, one
header row. A fixed number of queries, however many rows.
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

from samenspel.communities.models import Community
from samenspel.communities.permissions import AnyUser
from samenspel.initiatives import permissions
from samenspel.initiatives.imports import FORMULA_START, INITIATIVE_COLUMNS, VALUE_COLUMNS
from samenspel.initiatives.models import IndicatorValue

BOM = "\ufeff"


def safe_text(value: str) -> str:
    """Text a spreadsheet would run as a formula gets a ' in front (OWASP's advice against
    CSV injection); the import takes it off again."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _number(value: Any) -> str:
    return "" if value is None else str(value)


def csv_response(content: str, filename: str) -> HttpResponse:
    """A CSV download: UTF-8 with BOM, named `filename`."""
    response = HttpResponse(content.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def to_csv(header: list[str], rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=",", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


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
