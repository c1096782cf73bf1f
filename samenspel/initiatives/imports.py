"""Bringing a community's data in: initiatives and indicator values from CSV, neighbourhoods
from GeoJSON. Each import applies whole or not at all, and reports every problem it finds
(row or feature, column, what is wrong) so a steward can fix the file and try again.

The functions take the file's bytes and are used by the web pages, the command line and the
benchmark alike. They check everything against lookups loaded up front (a few queries,
whatever the size of the file) and write with bulk operations that keep history.
"""

import codecs
import csv
import io
import json
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator, validate_slug
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.core.spreadsheets import FORMULA_START
from samenspel.initiatives.choices import (
    HeatSolution,
    IndicatorKind,
    LegalForm,
    Phase,
    ProjectRole,
    Review,
    Status,
)
from samenspel.initiatives.geojson import GeometryError, check_polygon
from samenspel.initiatives.models import Indicator, IndicatorValue, Initiative, Neighbourhood
from samenspel.initiatives.services import RESERVED_SLUGS

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
BATCH = 500

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
VALUE_COLUMNS = ["initiative", "indicator", "year", "value", "text", "source"]

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
VALUE_ALIASES = {
    "initiative_slug": "initiative",
    "initiatief": "initiative",
    "indicator_code": "indicator",
    "code": "indicator",
    "jaar": "year",
    "waarde": "value",
    "tekst": "text",
    "story": "text",
    "bron": "source",
}

NAME_KEYS = ("name", "naam", "buurtnaam", "wijknaam")
HOMES_KEYS = ("homes", "woningen", "aantal_woningen")
WGS84_CRS = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "urn:ogc:def:crs:epsg::4326",
    "crs84",
    "wgs84",
    "wgs 84",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (row or feature number, column) and what."""

    row: int | None  # the row as a spreadsheet numbers it (header = 1), or the feature
    column: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def error(self, row: int | None, column: str, message: str) -> None:
        self.errors.append(Problem(row, column, message))


class _RowError(ValueError):
    """A cell that cannot be read; the caller knows the row and column."""


# -- reading CSV ---------------------------------------------------------------------------


def decode_text(data: bytes, report: ImportReport) -> str | None:
    """UTF-8 with or without BOM; a file that is not UTF-8 is read as Windows-1252 (what
    Excel on Windows saves as plain 'CSV'), with a notice. Anything else is an error."""
    if len(data) > MAX_BYTES:
        report.error(
            None,
            "",
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)},
        )
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        report.error(
            None,
            "",
            _(
                "The file is saved as UTF-16 ('Unicode text'). Save it as 'CSV UTF-8' "
                "and upload it again."
            ),
        )
        return None
    if b"\x00" in data:
        report.error(None, "", _("This is not a text file. Upload a CSV file."))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        report.error(
            None,
            "",
            _("The file is not UTF-8 text. Save it as 'CSV UTF-8' and upload it again."),
        )
        return None
    report.notices.append(
        _(
            "The file is not UTF-8, so it was read as Windows-1252 (what Excel saves as "
            "plain 'CSV'). Check that letters like é and ë came through; saving as "
            "'CSV UTF-8' avoids this."
        )
    )
    return text


def _normalise_header(name: str) -> str:
    return " ".join(name.strip().lstrip("\ufeff").lower().split()).replace(" ", "_")


def read_csv(
    data: bytes,
    report: ImportReport,
    *,
    columns: list[str],
    required: list[str],
    aliases: dict[str, str],
) -> tuple[list[tuple[int, dict[str, str]]], set[str], bool]:
    """The data rows as (row number, {column: cell}), the columns the file has, and whether
    it uses a decimal comma (a file separated by semicolons, as Dutch Excel writes it)."""
    text = decode_text(data, report)
    if text is None:
        return [], set(), False
    if not text.strip():
        report.error(None, "", _("The file is empty."))
        return [], set(), False
    text = text.lstrip("\ufeff\r\n")
    header_line = text.splitlines()[0]
    try:
        delimiter = csv.Sniffer().sniff(header_line, delimiters=",;").delimiter
    except csv.Error:
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        report.error(1, "", _("The header row cannot be read."))
        return [], set(), False

    aliases = {_normalise_header(k): v for k, v in aliases.items()}
    names: list[str | None] = []
    seen: set[str] = set()
    for raw in header:
        name = _normalise_header(raw)
        name = aliases.get(name, name)
        if not name:
            names.append(None)
        elif name in seen:
            report.error(1, raw, _("This column appears twice in the header row."))
            names.append(None)
        elif name in columns:
            seen.add(name)
            names.append(name)
        else:
            report.notices.append(
                _("The column “%(column)s” is not used and was left out.") % {"column": raw}
            )
            names.append(None)
    missing = [column for column in required if column not in seen]
    if missing:
        message = _("Required column missing: %(columns)s. Expected columns: %(expected)s.") % {
            "columns": ", ".join(missing),
            "expected": ", ".join(columns),
        }
        if len(header) == 1 and "\t" in header[0]:
            message += " " + _("The columns seem separated by tabs; use commas or semicolons.")
        elif len(header) == 1:
            message += " " + _(
                "The header row has only one column: separate the columns with commas or "
                "semicolons."
            )
        report.error(1, ", ".join(missing), message)
        return [], seen, False

    rows: list[tuple[int, dict[str, str]]] = []
    number = 1
    try:
        for cells in reader:
            number += 1
            if not any(cell.strip() for cell in cells):
                continue  # spreadsheets leave empty rows at the end
            if len(rows) >= MAX_ROWS:
                report.error(
                    number,
                    "",
                    _("The file has more than %(max)s rows. Split it into smaller files.")
                    % {"max": f"{MAX_ROWS:,}"},
                )
                break
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                report.error(
                    number,
                    "",
                    _(
                        "This row has %(cells)s cells but the header has %(columns)s columns. "
                        "Put text that contains a %(delimiter)s between double quotes."
                    )
                    % {"cells": len(cells), "columns": len(header), "delimiter": delimiter},
                )
                continue
            row = {
                name: _unescape(cells[i].strip()) if i < len(cells) else ""
                for i, name in enumerate(names)
                if name is not None
            }
            rows.append((number, row))
    except csv.Error as error:
        report.error(number, "", _("The file cannot be read here: %(error)s") % {"error": error})
    if not rows and report.ok:
        report.error(None, "", _("The file has a header row but no data."))
    return rows, seen, delimiter == ";"


def _unescape(cell: str) -> str:
    if cell.startswith("'") and cell[1:2] and cell[1] in FORMULA_START:
        return cell[1:]
    return cell


THOUSANDS = {True: re.compile(r"\d{1,3}(\.\d{3})+"), False: re.compile(r"\d{1,3}(,\d{3})+")}


def parse_decimal(text: str, *, decimal_comma: bool) -> Decimal:
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if decimal_comma and "," in cleaned:
        # Dutch spreadsheets: 1.234,5 or 1234,5
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise _RowError(_("“%(text)s” is not a number.") % {"text": text}) from None
    if not number.is_finite():
        raise _RowError(_("“%(text)s” is not a number.") % {"text": text})
    return number


def parse_count(text: str, *, decimal_comma: bool) -> int:
    # A whole number may have thousands separators: 1.200 (Dutch) or 1,200 (English).
    if THOUSANDS[decimal_comma].fullmatch(text.strip()):
        text = re.sub(r"[.,]", "", text)
    number = parse_decimal(text, decimal_comma=decimal_comma)
    if number != number.to_integral_value():
        raise _RowError(_("“%(text)s” is not a whole number.") % {"text": text})
    if number < 0:
        raise _RowError(_("The number cannot be negative."))
    if number > 2_147_483_647:
        raise _RowError(_("The number is too large."))
    return int(number)


def parse_choice(text: str, choices: Any) -> str:
    code = text.strip().lower()
    if code in choices.values:
        return str(code)
    for value, label in choices.choices:
        if code == str(label).lower():
            return str(value)
    raise _RowError(
        _("Unknown value “%(text)s”. Use one of: %(codes)s.")
        % {"text": text, "codes": ", ".join(choices.values)}
    )


def _split(text: str, separators: str = ";") -> list[str]:
    parts = re.split(f"[{re.escape(separators)}]", text)
    return [part.strip() for part in parts if part.strip()]


# -- initiatives -----------------------------------------------------------------------------


def _first_duplicate(rows: dict[Any, int], key: Hashable, number: int) -> int | None:
    first = rows.get(key)
    if first is None:
        rows[key] = number
    return first


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
        except _RowError as error:
            report.error(number, column, str(error))

    def text(column: str, max_length: int) -> Any:
        def read(cell: str) -> None:
            if len(cell) > max_length:
                raise _RowError(
                    _("At most %(max)s characters (this has %(length)s).")
                    % {"max": max_length, "length": len(cell)}
                )
            values[column] = cell

        return read

    def name(cell: str) -> None:
        if not cell:
            raise _RowError(_("An initiative needs a name."))
        text("name", 160)(cell)

    def choice(column: str, choices: Any, *, blank: bool = False) -> Any:
        def read(cell: str) -> None:
            if not cell:
                if blank:
                    values[column] = ""
                return
            values[column] = parse_choice(cell, choices)

        return read

    def solutions(cell: str) -> None:
        codes: list[str] = []
        for part in _split(cell, ";,"):
            code = parse_choice(part, HeatSolution)
            if code not in codes:
                codes.append(code)
        values["solutions"] = codes

    def households(cell: str) -> None:
        values["households"] = parse_count(cell, decimal_comma=decimal_comma) if cell else None

    def places(cell: str) -> None:
        nonlocal neighbourhood_ids
        ids, unknown = [], []
        for part in _split(cell):
            pk = neighbourhoods.get(part.lower())
            if pk is None:
                unknown.append(part)
            elif pk not in ids:
                ids.append(pk)
        if unknown:
            raise _RowError(
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
                raise _RowError(
                    _("Must lie between -%(limit)s and %(limit)s (decimal degrees, WGS 84).")
                    % {"limit": limit}
                )
            values[column] = number.quantize(Decimal("0.000001"))

        return read

    def website(cell: str) -> None:
        if cell and "://" not in cell:
            cell = "https://" + cell
        if cell:
            try:
                URLValidator()(cell)
            except ValidationError:
                raise _RowError(_("This is not a web address.")) from None
        if len(cell) > 200:
            raise _RowError(_("At most %(max)s characters.") % {"max": 200})
        values["website"] = cell

    def organisation(cell: str) -> None:
        if not cell:
            values["organisation_id"] = None
            return
        pk = organisations.get(cell.lower())
        if pk is None:
            raise _RowError(
                _("Unknown organisation “%(name)s”. Add it on the organisations page first.")
                % {"name": cell}
            )
        values["organisation_id"] = pk

    def email(cell: str) -> None:
        if cell:
            try:
                EmailValidator()(cell)
            except ValidationError:
                raise _RowError(_("This is not an email address.")) from None
        values["contact_email"] = cell

    check("name", name)
    check("pitch", text("pitch", 280))
    check("phase", choice("phase", Phase))
    check("status", choice("status", Status))
    check("legal_form", choice("legal_form", LegalForm))
    check("project_role", choice("project_role", ProjectRole, blank=True))
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


def _new_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:70] or "initiatief"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def import_initiatives(community: Community, data: bytes, user: User | None) -> ImportReport:
    """Create or update initiatives by slug from CSV (the columns of the export). New ones
    are listed in the atlas at once: a steward is importing them. Columns the file leaves
    out are not changed; an empty cell clears a field (phase, status and legal form keep
    their value). A row without slug is a new initiative; its slug comes from its name."""
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
                validate_slug(slug)
            except ValidationError:
                report.error(
                    number,
                    "slug",
                    _("A short name has only letters, digits, hyphens and underscores."),
                )
            if len(slug) > 80:
                report.error(number, "slug", _("At most %(max)s characters.") % {"max": 80})
            if slug in RESERVED_SLUGS and slug not in existing:
                report.error(number, "slug", _("This short name is reserved; choose another."))
            first = _first_duplicate(slugs_in_file, slug, number)
            if first is not None:
                report.error(
                    number,
                    "slug",
                    _("The short name “%(slug)s” is also on row %(row)s.")
                    % {"slug": slug, "row": first},
                )
        if values.get("name"):
            first = _first_duplicate(names_in_file, values["name"].lower(), number)
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
            item.slug = _new_slug(item.values.get("name", ""), taken)
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
                community, user, to_create, to_update, changed_fields, links, new_links
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
    user: User | None,
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
        *Initiative.history.bulk_history_create(to_create, default_user=user, default_date=now),
        *Initiative.history.bulk_history_create(
            to_update, update=True, default_user=user, default_date=now
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
    Community.bump_content_version(community.pk)


# -- indicator values ----------------------------------------------------------------------


def import_values(community: Community, data: bytes, user: User | None) -> ImportReport:
    """Enter or correct indicator values from CSV: one row per initiative, indicator and
    year, as services.record_value does for one figure (value, text and source are
    replaced; the previous values stay in the history)."""
    report = ImportReport()
    rows, present, decimal_comma = read_csv(
        data,
        report,
        columns=VALUE_COLUMNS,
        required=["initiative", "indicator", "year"],
        aliases=VALUE_ALIASES,
    )
    if not report.ok:
        return report
    if "value" not in present and "text" not in present:
        report.error(1, "value", _("Required column missing: value (or text, for stories)."))
        return report

    initiatives = {
        slug.lower(): pk
        for slug, pk in Initiative.objects.filter(community=community).values_list("slug", "pk")
    }
    indicators = {
        code.lower(): (pk, kind)
        for code, pk, kind in Indicator.objects.filter(community=community).values_list(
            "code", "pk", "kind"
        )
    }

    wanted: dict[tuple[int, int, int], tuple[Decimal | None, str, str]] = {}
    first_row: dict[tuple[int, int, int], int] = {}
    for number, row in rows:
        ok = True
        initiative_id = initiatives.get(row["initiative"].lower())
        if not row["initiative"]:
            report.error(number, "initiative", _("Give the initiative's short name."))
            ok = False
        elif initiative_id is None:
            report.error(
                number,
                "initiative",
                _("Unknown initiative “%(slug)s”.") % {"slug": row["initiative"]},
            )
            ok = False
        indicator = indicators.get(row["indicator"].lower())
        if not row["indicator"]:
            report.error(number, "indicator", _("Give the indicator's code."))
            ok = False
        elif indicator is None:
            report.error(
                number,
                "indicator",
                _("Unknown indicator “%(code)s”. Known codes: %(codes)s.")
                % {"code": row["indicator"], "codes": ", ".join(indicators)},
            )
            ok = False
        year = None
        try:
            year = parse_count(row["year"], decimal_comma=decimal_comma) if row["year"] else None
            if year is None:
                raise _RowError(_("Give the year."))
            if not 1990 <= year <= 2100:
                raise _RowError(_("The year must lie between 1990 and 2100."))
        except _RowError as error:
            report.error(number, "year", str(error))
            ok = False
        value: Decimal | None = None
        cell = row.get("value", "")
        if cell:
            try:
                value = parse_decimal(cell, decimal_comma=decimal_comma)
                if value < 0:
                    raise _RowError(_("The value cannot be negative."))
                value = value.quantize(Decimal("0.01"))
                if value >= Decimal("1e14"):
                    raise _RowError(_("The value is too large."))
            except _RowError as error:
                report.error(number, "value", str(error))
                ok = False
        text, source = row.get("text", ""), row.get("source", "")
        if len(text) > 4000:
            report.error(number, "text", _("At most %(max)s characters.") % {"max": 4000})
            ok = False
        if len(source) > 300:
            report.error(number, "source", _("At most %(max)s characters.") % {"max": 300})
            ok = False
        if indicator is not None and ok:
            if indicator[1] == IndicatorKind.STORY and value is not None:
                report.error(
                    number, "value", _("This indicator is a story: put it in the text column.")
                )
                ok = False
            elif indicator[1] == IndicatorKind.STORY and not text:
                report.error(number, "text", _("Give the story."))
                ok = False
            elif indicator[1] == IndicatorKind.NUMBER and value is None:
                report.error(number, "value", _("Give the value."))
                ok = False
        if not ok or initiative_id is None or indicator is None or year is None:
            continue
        key = (initiative_id, indicator[0], year)
        first = _first_duplicate(first_row, key, number)
        if first is not None:
            report.error(
                number,
                "year",
                _("Row %(row)s already gives this initiative, indicator and year.")
                % {"row": first},
            )
            continue
        wanted[key] = (value, text, source)
    if not report.ok:
        return report

    indicator_ids = {key[1] for key in wanted}
    current = {
        (record.initiative_id, record.indicator_id, record.year): record
        for record in IndicatorValue.objects.filter(
            initiative__community=community, indicator_id__in=indicator_ids
        )
    }
    now = timezone.now()
    to_create: list[IndicatorValue] = []
    to_update: list[IndicatorValue] = []
    for key, (value, text, source) in wanted.items():
        record = current.get(key)
        if record is None:
            to_create.append(
                IndicatorValue(
                    initiative_id=key[0],
                    indicator_id=key[1],
                    year=key[2],
                    value=value,
                    text=text,
                    source=source,
                    entered_by=user,
                )
            )
        elif (record.value, record.text, record.source) == (value, text, source):
            report.unchanged += 1
        else:
            record.value, record.text, record.source = value, text, source
            record.entered_by, record.entered_at = user, now
            to_update.append(record)

    with transaction.atomic():
        if to_create:
            bulk_create_with_history(
                to_create, IndicatorValue, batch_size=BATCH, default_user=user, default_date=now
            )
        if to_update:
            # What bulk_update_with_history does, with a faster UPDATE for many rows.
            update_rows(
                IndicatorValue, to_update, ["value", "text", "source", "entered_by", "entered_at"]
            )
            IndicatorValue.history.bulk_history_create(
                to_update, update=True, batch_size=BATCH, default_user=user, default_date=now
            )
        if to_create or to_update:
            Community.bump_content_version(community.pk)
    report.created, report.updated = len(to_create), len(to_update)
    return report


def update_rows(model: Any, objects: list[Any], fields: list[str]) -> None:
    """Write these fields of these saved objects: UPDATE … FROM (VALUES …), one statement per
    batch. Django's bulk_update builds a CASE with a branch per row and field, which takes
    seconds for thousands of rows (and PostgreSQL scans the CASE for every row)."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    postgres = connection.vendor == "postgresql"
    # PostgreSQL guesses no types inside VALUES for NULLs: say each column's type.
    cell = "({})".format(
        ", ".join(
            f"CAST(%s AS {column.cast_db_type(connection)})" if postgres else "%s"
            for column in columns
        )
    )
    assignments = ", ".join(
        f"{quote(column.column)} = v.column{i}" for i, column in enumerate(columns[1:], start=2)
    )
    table = quote(meta.db_table)
    limit = connection.features.max_query_params
    batch = max(1, min(BATCH * 2, limit // len(columns))) if limit else BATCH * 2
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch):
            chunk = objects[start : start + batch]
            params = [
                column.get_db_prep_save(getattr(obj, column.attname), connection)
                for obj in chunk
                for column in columns
            ]
            cursor.execute(
                f"UPDATE {table} SET {assignments} "  # noqa: S608 (names from the model)
                f"FROM (VALUES {', '.join([cell] * len(chunk))}) AS v "
                f"WHERE {table}.{quote(meta.pk.column)} = v.column1",
                params,
            )


# -- neighbourhoods ------------------------------------------------------------------------


def _property(properties: dict[str, Any], keys: Iterable[str]) -> tuple[str, Any] | None:
    lowered = {str(key).lower(): (key, value) for key, value in properties.items()}
    for key in keys:
        if key in lowered:
            return lowered[key]
    return None


def _crs_problem(collection: dict[str, Any]) -> str | None:
    crs = collection.get("crs")
    if crs is None:
        return None
    name = ""
    if isinstance(crs, dict):
        props = crs.get("properties")
        name = str(props.get("name", "")) if isinstance(props, dict) else ""
    lowered = name.strip().lower()
    if lowered in WGS84_CRS or lowered.endswith(("crs84", ":4326")):
        return None
    code = re.search(r"(\d{4,5})\s*$", name)
    label = f"EPSG:{code.group(1)}" if code else (name or _("an unknown system"))
    message = _(
        "The file uses the coordinate system %(crs)s. Samenspel needs longitude/latitude in "
        "WGS 84 (EPSG:4326): export or convert the file to WGS 84 (for example in QGIS, "
        "'Export > Save Features As…' with CRS EPSG:4326) and upload it again."
    ) % {"crs": label}
    if code and code.group(1) == "28992":
        message += " " + _("EPSG:28992 is the Dutch RD New grid, in metres.")
    return message


def _looks_like_rd(geometry: Any) -> bool:
    """Coordinates in metres of the Dutch RD New grid rather than degrees."""
    try:
        coordinates = geometry["coordinates"]
        while isinstance(coordinates[0], list):
            coordinates = coordinates[0]
        x, y = coordinates[0], coordinates[1]
    except (KeyError, IndexError, TypeError):
        return False
    return isinstance(x, int | float) and -7000 <= x <= 300000 and 289000 <= y <= 629000


def import_neighbourhoods(community: Community, data: bytes, user: User | None) -> ImportReport:
    """Create or update neighbourhoods by name from a GeoJSON FeatureCollection in WGS 84.
    Each feature needs a name (name, naam, buurtnaam or wijknaam) and a Polygon or
    MultiPolygon; the number of homes (homes, woningen, aantal_woningen) is optional."""
    report = ImportReport()
    if len(data) > MAX_BYTES:
        report.error(
            None,
            "",
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)},
        )
        return report
    try:
        collection = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        report.error(None, "", _("The file is not UTF-8 text. GeoJSON must be UTF-8."))
        return report
    except json.JSONDecodeError as error:
        report.error(
            None,
            "",
            _("This is not valid JSON (line %(line)s): %(error)s")
            % {"line": error.lineno, "error": error.msg},
        )
        return report
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        report.error(None, "type", _("The file must be a GeoJSON FeatureCollection."))
        return report
    crs_problem = _crs_problem(collection)
    if crs_problem:
        report.error(None, "crs", crs_problem)
        return report
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        report.error(None, "features", _("The FeatureCollection has no features."))
        return report

    existing = {n.name.lower(): n for n in Neighbourhood.objects.filter(community=community)}
    seen: dict[str, int] = {}
    planned: list[tuple[str, dict[str, Any], int | None, bool]] = []
    rd_features = 0
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            report.error(number, "type", _("This is not a GeoJSON Feature."))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        found = _property(properties, NAME_KEYS)
        name = str(found[1]).strip() if found and found[1] is not None else ""
        if not name:
            report.error(
                number,
                "name",
                _("The feature has no name (property name, naam, buurtnaam or wijknaam)."),
            )
        elif len(name) > 120:
            report.error(number, "name", _("At most %(max)s characters.") % {"max": 120})
        else:
            first = _first_duplicate(seen, name.lower(), number)
            if first is not None:
                report.error(
                    number,
                    "name",
                    _("The name “%(name)s” is also on feature %(feature)s.")
                    % {"name": name, "feature": first},
                )
        geometry = feature.get("geometry")
        area: dict[str, Any] = {}
        try:
            area = check_polygon(geometry)
        except GeometryError as error:
            message = str(error)
            if _looks_like_rd(geometry):
                rd_features += 1
                message += " " + _(
                    "These look like RD New (EPSG:28992) metres; convert the file to WGS 84."
                )
            report.error(number, "geometry", message)
        homes: int | None = None
        homes_given = False
        found = _property(properties, HOMES_KEYS)
        if found is not None and found[1] not in (None, ""):
            homes_given = True
            key, raw = found
            try:
                if isinstance(raw, bool):
                    raise _RowError(_("“%(text)s” is not a whole number.") % {"text": raw})
                homes = parse_count(str(raw), decimal_comma=False)
            except _RowError as error:
                report.error(number, str(key), str(error))
        planned.append((name, area, homes, homes_given))
    if rd_features:
        report.notices.append(
            _(
                "Coordinates in metres were found: the file seems to use the Dutch RD New grid "
                "(EPSG:28992). Samenspel needs longitude/latitude in WGS 84 (EPSG:4326)."
            )
        )
    if not report.ok:
        return report

    to_create: list[Neighbourhood] = []
    to_update: list[Neighbourhood] = []
    for name, area, homes, homes_given in planned:
        neighbourhood = existing.get(name.lower())
        if neighbourhood is None:
            to_create.append(Neighbourhood(community=community, name=name, area=area, homes=homes))
            continue
        new_homes = homes if homes_given else neighbourhood.homes
        if (neighbourhood.name, neighbourhood.area, neighbourhood.homes) == (
            name,
            area,
            new_homes,
        ):
            report.unchanged += 1
            continue
        neighbourhood.name, neighbourhood.area, neighbourhood.homes = name, area, new_homes
        to_update.append(neighbourhood)

    now = timezone.now()
    with transaction.atomic():
        if to_create:
            bulk_create_with_history(
                to_create, Neighbourhood, batch_size=BATCH, default_user=user, default_date=now
            )
        if to_update:
            bulk_update_with_history(
                to_update,
                Neighbourhood,
                ["name", "area", "homes"],
                batch_size=BATCH,
                default_user=user,
                default_date=now,
            )
        if to_create or to_update:
            Community.bump_content_version(community.pk)
    report.created, report.updated = len(to_create), len(to_update)
    return report
