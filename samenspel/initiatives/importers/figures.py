"""Indicator values from CSV: one row per initiative, indicator and year, entered or corrected
as one figure is (value, text and source replaced; the previous values stay in the history)."""

from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.communities.versions import content_changed
from samenspel.core.spreadsheets import (
    ImportReport,
    RowError,
    check_field,
    first_duplicate,
    parse_count,
    parse_decimal,
    read_csv,
)
from samenspel.initiatives.choices import (
    IndicatorKind,
)
from samenspel.initiatives.importers import BATCH, check_may_import
from samenspel.initiatives.models import Indicator, IndicatorValue, Initiative

VALUE_COLUMNS = ["initiative", "indicator", "year", "value", "text", "source"]

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


def import_values(*, actor: User, community: Community, data: bytes) -> ImportReport:
    """Enter or correct indicator values from CSV: one row per initiative, indicator and
    year, as services.record_value does for one figure (value, text and source are
    replaced; the previous values stay in the history)."""
    check_may_import(actor, community)
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
                raise RowError(_("Give the year."))
            check_field(IndicatorValue, "year", year)
        except RowError as error:
            report.error(number, "year", str(error))
            ok = False
        value: Decimal | None = None
        cell = row.get("value", "")
        if cell:
            try:
                value = parse_decimal(cell, decimal_comma=decimal_comma)
                value = check_field(IndicatorValue, "value", value.quantize(Decimal("0.01")))
            except RowError as error:
                report.error(number, "value", str(error))
                ok = False
        text, source = row.get("text", ""), row.get("source", "")
        for column, cell in (("text", text), ("source", source)):
            try:
                check_field(IndicatorValue, column, cell)
            except RowError as error:
                report.error(number, column, str(error))
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
        first = first_duplicate(first_row, key, number)
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
                    entered_by=actor,
                )
            )
        elif (record.value, record.text, record.source) == (value, text, source):
            report.unchanged += 1
        else:
            record.value, record.text, record.source = value, text, source
            record.entered_by, record.entered_at = actor, now
            to_update.append(record)

    with transaction.atomic():
        if to_create:
            bulk_create_with_history(
                to_create, IndicatorValue, batch_size=BATCH, default_user=actor, default_date=now
            )
        if to_update:
            # What bulk_update_with_history does, with a faster UPDATE for many rows.
            update_rows(
                IndicatorValue, to_update, ["value", "text", "source", "entered_by", "entered_at"]
            )
            IndicatorValue.history.bulk_history_create(
                to_update, update=True, batch_size=BATCH, default_user=actor, default_date=now
            )
        if to_create or to_update:
            content_changed(community.pk)
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
