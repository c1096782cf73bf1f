"""Initiatives from CSV, created or updated by their short name (the columns of the export).
Rows are checked against the Initiative model's own fields (lengths, choices, validators),
so a limit is written once, in the model."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.communities.versions import content_changed
from samenspel.core.slugs import unique_slug
from samenspel.core.spreadsheets import (
    ImportReport,
    RowError,
    check_field,
    first_duplicate,
    parse_choice,
    parse_count,
    parse_decimal,
    read_csv,
    split_cell,
)
from samenspel.initiatives.choices import (
    HeatSolution,
    Review,
)
from samenspel.initiatives.importers import BATCH, check_may_import
from samenspel.initiatives.models import Initiative, Neighbourhood
from samenspel.initiatives.services import RESERVED_SLUGS

INITIATIVE_COLUMNS = [
    "slug",
    "name",
    "pitch",
    "phase",
    "status",
    "legal_form",
    "solutions",
    "project_role",
    "households",
    "neighbourhoods",
    "latitude",
    "longitude",
    "website",
    "organisation",
    "contact_email",
]

# Other names a column may have in a file made by hand (Dutch headers too).
INITIATIVE_ALIASES = {
    "naam": "name",
    "fase": "phase",
    "rechtsvorm": "legal_form",
    "legal form": "legal_form",
    "oplossingen": "solutions",
    "huishoudens": "households",
    "buurten": "neighbourhoods",
    "neighborhoods": "neighbourhoods",
    "lat": "latitude",
    "breedtegraad": "latitude",
    "lon": "longitude",
    "lng": "longitude",
    "lengtegraad": "longitude",
    "organisatie": "organisation",
    "organization": "organisation",
    "email": "contact_email",
    "e-mail": "contact_email",
}


@dataclass
class _InitiativeRow:
    number: int
    slug: str
    values: dict[str, Any]
    neighbourhood_ids: list[int] | None


def _read_initiative_row(
    number: int,
    row: dict[str, str],
    report: ImportReport,
    *,
    decimal_comma: bool,
    neighbourhoods: dict[str, int],
    organisations: dict[str, int],
) -> tuple[dict[str, Any], list[int] | None]:
    """The model fields of one row (only of the columns the file has); problems go to the
    report. Empty phase, status and legal form keep what the initiative has."""
    values: dict[str, Any] = {}
    neighbourhood_ids: list[int] | None = None

    def check(column: str, reader: Any) -> None:
        if column not in row:
            return
        try:
            reader(row[column])
        except RowError as error:
            report.error(number, column, str(error))

    def text(column: str) -> Any:
        def read(cell: str) -> None:
            values[column] = check_field(Initiative, column, cell)

        return read

    def name(cell: str) -> None:
        if not cell:
            raise RowError(_("An initiative needs a name."))
        text("name")(cell)

    def choice(column: str) -> Any:
        field = Initiative._meta.get_field(column)

        def read(cell: str) -> None:
            if not cell:
                if field.blank:  # type: ignore[union-attr]
                    values[column] = ""
                return
            values[column] = parse_choice(cell, field.choices or [])  # type: ignore[union-attr]

        return read

    def solutions(cell: str) -> None:
        codes: list[str] = []
        for part in split_cell(cell, ";,"):
            code = parse_choice(part, HeatSolution.choices)
            if code not in codes:
                codes.append(code)
        values["solutions"] = codes

    def households(cell: str) -> None:
        values["households"] = parse_count(cell, decimal_comma=decimal_comma) if cell else None

    def places(cell: str) -> None:
        nonlocal neighbourhood_ids
        ids, unknown = [], []
        for part in split_cell(cell):
            pk = neighbourhoods.get(part.lower())
            if pk is None:
                unknown.append(part)
            elif pk not in ids:
                ids.append(pk)
        if unknown:
            raise RowError(
                _("Unknown neighbourhood: %(names)s. Add it on the neighbourhoods page first.")
                % {"names": ", ".join(unknown)}
            )
        neighbourhood_ids = ids

    def coordinate(column: str, limit: int) -> Any:
        def read(cell: str) -> None:
            if not cell:
                values[column] = None
                return
            number = parse_decimal(cell, decimal_comma=decimal_comma)
            if not -limit <= number <= limit:
                raise RowError(
                    _("Must lie between -%(limit)s and %(limit)s (decimal degrees, WGS 84).")
                    % {"limit": limit}
                )
            values[column] = number.quantize(Decimal("0.000001"))

        return read

    def website(cell: str) -> None:
        if cell and "://" not in cell:
            cell = "https://" + cell
        values["website"] = check_field(Initiative, "website", cell)

    def organisation(cell: str) -> None:
        if not cell:
            values["organisation_id"] = None
            return
        pk = organisations.get(cell.lower())
        if pk is None:
            raise RowError(
                _("Unknown organisation “%(name)s”. Add it on the organisations page first.")
                % {"name": cell}
            )
        values["organisation_id"] = pk

    def email(cell: str) -> None:
        values["contact_email"] = check_field(Initiative, "contact_email", cell)

    check("name", name)
    check("pitch", text("pitch"))
    check("phase", choice("phase"))
    check("status", choice("status"))
    check("legal_form", choice("legal_form"))
    check("project_role", choice("project_role"))
    check("solutions", solutions)
    check("households", households)
    check("neighbourhoods", places)
    check("latitude", coordinate("latitude", 90))
    check("longitude", coordinate("longitude", 180))
    check("website", website)
    check("organisation", organisation)
    check("contact_email", email)
    if "latitude" in values and "longitude" in values:
        if (values["latitude"] is None) != (values["longitude"] is None):
            report.error(
                number,
                "latitude, longitude",
                _("Give both latitude and longitude, or neither."),
            )
    elif ("latitude" in row) != ("longitude" in row):
        report.error(
            number, "latitude, longitude", _("Give both latitude and longitude, or neither.")
        )
    return values, neighbourhood_ids


def import_initiatives(*, actor: User, community: Community, data: bytes) -> ImportReport:
    """Create or update initiatives by slug from CSV (the columns of the export). New ones
    are listed in the atlas at once: a steward is importing them. Columns the file leaves
    out are not changed; an empty cell clears a field (phase, status and legal form keep
    their value). A row without slug is a new initiative; its slug comes from its name."""
    check_may_import(actor, community)
    report = ImportReport()
    rows, _present, decimal_comma = read_csv(
        data, report, columns=INITIATIVE_COLUMNS, required=["name"], aliases=INITIATIVE_ALIASES
    )
    if not report.ok:
        return report

    existing = {
        initiative.slug.lower(): initiative
        for initiative in Initiative.objects.filter(community=community).prefetch_related(
            "neighbourhoods"
        )
    }
    names_in_use = {initiative.name.lower(): slug for slug, initiative in existing.items()}
    neighbourhoods = {
        name.lower(): pk
        for pk, name in Neighbourhood.objects.filter(community=community).values_list("pk", "name")
    }
    organisations = {
        name.lower(): pk for pk, name in community.organisations.values_list("pk", "name")
    }

    planned: list[_InitiativeRow] = []
    slugs_in_file: dict[str, int] = {}
    names_in_file: dict[str, int] = {}
    for number, row in rows:
        values, neighbourhood_ids = _read_initiative_row(
            number,
            row,
            report,
            decimal_comma=decimal_comma,
            neighbourhoods=neighbourhoods,
            organisations=organisations,
        )
        slug = row.get("slug", "").lower()
        if slug:
            try:
                check_field(Initiative, "slug", slug)
            except RowError as error:
                report.error(number, "slug", str(error))
            if slug in RESERVED_SLUGS and slug not in existing:
                report.error(number, "slug", _("This short name is reserved; choose another."))
            first = first_duplicate(slugs_in_file, slug, number)
            if first is not None:
                report.error(
                    number,
                    "slug",
                    _("The short name “%(slug)s” is also on row %(row)s.")
                    % {"slug": slug, "row": first},
                )
        if values.get("name"):
            first = first_duplicate(names_in_file, values["name"].lower(), number)
            if first is not None:
                report.error(
                    number,
                    "name",
                    _("The name “%(name)s” is also on row %(row)s.")
                    % {"name": values["name"], "row": first},
                )
        planned.append(_InitiativeRow(number, slug, values, neighbourhood_ids))

    # New rows without a slug get one from their name, once every given slug is known.
    taken = set(existing) | set(slugs_in_file)
    for item in planned:
        if not item.slug:
            item.slug = unique_slug(
                item.values.get("name", ""),
                fallback="initiatief",
                reserved=RESERVED_SLUGS,
                taken=taken,
            )
            taken.add(item.slug)

    # A name may not be another initiative's, unless that one is renamed in this file.
    renamed = {
        item.slug
        for item in planned
        if item.slug in existing
        and "name" in item.values
        and item.values["name"].lower() != existing[item.slug].name.lower()
    }
    for item in planned:
        name = item.values.get("name", "").lower()
        owner = names_in_use.get(name)
        if name and owner is not None and owner != item.slug and owner not in renamed:
            report.error(
                item.number,
                "name",
                _("Another initiative (%(slug)s) already has the name “%(name)s”.")
                % {"slug": owner, "name": item.values["name"]},
            )
    if not report.ok:
        return report

    to_create: list[Initiative] = []
    to_update: list[Initiative] = []
    changed_fields: set[str] = set()
    links: dict[int, list[int]] = {}  # existing initiative -> its new neighbourhoods
    new_links: list[tuple[Initiative, list[int]]] = []
    for item in planned:
        initiative = existing.get(item.slug)
        if initiative is None:
            initiative = Initiative(
                community=community, slug=item.slug, review=Review.LISTED, **item.values
            )
            to_create.append(initiative)
            if item.neighbourhood_ids:
                new_links.append((initiative, item.neighbourhood_ids))
            continue
        fields = [name for name, value in item.values.items() if getattr(initiative, name) != value]
        current = sorted(n.pk for n in initiative.neighbourhoods.all())
        relinks = item.neighbourhood_ids is not None and sorted(item.neighbourhood_ids) != current
        if not fields and not relinks:
            report.unchanged += 1
            continue
        for name in fields:
            setattr(initiative, name, item.values[name])
        changed_fields.update(fields)
        to_update.append(initiative)
        if relinks:
            links[initiative.pk] = item.neighbourhood_ids or []

    try:
        with transaction.atomic():
            _write_initiatives(
                community, actor, to_create, to_update, changed_fields, links, new_links
            )
    except IntegrityError:
        report.error(
            None,
            "",
            _(
                "The file could not be saved because names or short names clash with each "
                "other. Nothing has been changed."
            ),
        )
        return report
    report.created, report.updated = len(to_create), len(to_update)
    return report


def _write_initiatives(
    community: Community,
    actor: User,
    to_create: list[Initiative],
    to_update: list[Initiative],
    changed_fields: set[str],
    links: dict[int, list[int]],
    new_links: list[tuple[Initiative, list[int]]],
) -> None:
    """Bulk writes, then one history record per initiative written, with its neighbourhoods
    as they are afterwards (what simple-history records on a save)."""
    now = timezone.now()
    Initiative.objects.bulk_create(to_create, batch_size=BATCH)
    for initiative in to_update:
        initiative.updated_at = now
    if to_update:
        Initiative.objects.bulk_update(
            to_update, [*sorted(changed_fields), "updated_at"], batch_size=BATCH
        )
    through = Initiative.neighbourhoods.through
    if links:
        through.objects.filter(initiative_id__in=list(links)).delete()
    through.objects.bulk_create(
        [
            through(initiative_id=pk, neighbourhood_id=neighbourhood)
            for pk, ids in [*links.items(), *((i.pk, ids) for i, ids in new_links)]
            for neighbourhood in ids
        ],
        batch_size=BATCH,
    )
    written = [*to_create, *to_update]
    if not written:
        return
    records = [
        *Initiative.history.bulk_history_create(to_create, default_user=actor, default_date=now),
        *Initiative.history.bulk_history_create(
            to_update, update=True, default_user=actor, default_date=now
        ),
    ]
    m2m_history = apps.get_model("initiatives", "HistoricalInitiative_neighbourhoods")
    linked: dict[int, list[tuple[int, int]]] = {}
    for pk, initiative_id, neighbourhood_id in through.objects.filter(
        initiative_id__in=[i.pk for i in written]
    ).values_list("pk", "initiative_id", "neighbourhood_id"):
        linked.setdefault(initiative_id, []).append((pk, neighbourhood_id))
    m2m_history.objects.bulk_create(
        [
            m2m_history(
                history=record,
                id=pk,
                initiative_id=record.id,
                neighbourhood_id=neighbourhood_id,
            )
            for record in records
            for pk, neighbourhood_id in linked.get(record.id, [])
        ],
        batch_size=BATCH,
    )
    # Bulk writes send no signals: the community's pages change once, here.
    content_changed(community.pk)
