"""CSV as spreadsheets read it, shared by every export: UTF-8 with a byte order mark so Excel
reads the letters right, commas between columns, one header row, and no cell a spreadsheet
would run as a formula."""

import codecs
import csv
import io
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpResponse
from django.utils.translation import gettext as _

BOM = "\ufeff"
# Spreadsheets run text starting with these as a formula; exports put a ' before it and
# imports take it off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text a spreadsheet would run as a formula gets a ' in front (OWASP's advice against
    CSV injection)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def to_csv(header: list[str], rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=",", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def csv_response(content: str, filename: str) -> HttpResponse:
    """A CSV download named `filename`."""
    response = HttpResponse(content.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- reading ------------------------------------------------------------------------------
# What every import shares: the file as Dutch spreadsheets save it (UTF-8 with or without a
# byte order mark, or Windows-1252; commas or semicolons; a decimal comma with semicolons),
# and a report of every problem by row and column, so a file applies whole or not at all.

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000


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


class RowError(ValueError):
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
        raise RowError(_("“%(text)s” is not a number.") % {"text": text}) from None
    if not number.is_finite():
        raise RowError(_("“%(text)s” is not a number.") % {"text": text})
    return number


def parse_count(text: str, *, decimal_comma: bool) -> int:
    # A whole number may have thousands separators: 1.200 (Dutch) or 1,200 (English).
    if THOUSANDS[decimal_comma].fullmatch(text.strip()):
        text = re.sub(r"[.,]", "", text)
    number = parse_decimal(text, decimal_comma=decimal_comma)
    if number != number.to_integral_value():
        raise RowError(_("“%(text)s” is not a whole number.") % {"text": text})
    if number < 0:
        raise RowError(_("The number cannot be negative."))
    if number > 2_147_483_647:
        raise RowError(_("The number is too large."))
    return int(number)


def parse_choice(text: str, choices: Iterable[tuple[Any, Any]]) -> str:
    """A code, or its label as shown in the interface (either case)."""
    pairs = [(str(value), str(label)) for value, label in choices if value != ""]
    code = text.strip().lower()
    for value, label in pairs:
        if code in (value, label.lower()):
            return value
    raise RowError(
        _("Unknown value “%(text)s”. Use one of: %(codes)s.")
        % {"text": text, "codes": ", ".join(value for value, _label in pairs)}
    )


def check_field(model: type[Model], name: str, value: Any) -> Any:
    """A cell's value as the model's own field checks it (length, choices, range, web and
    email addresses), so each limit is written once, in the model."""
    try:
        return model._meta.get_field(name).clean(value, None)  # type: ignore[union-attr]
    except ValidationError as error:
        raise RowError(" ".join(error.messages)) from None


def split_cell(text: str, separators: str = ";") -> list[str]:
    parts = re.split(f"[{re.escape(separators)}]", text)
    return [part.strip() for part in parts if part.strip()]


def first_duplicate(rows: dict[Any, int], key: Hashable, number: int) -> int | None:
    first = rows.get(key)
    if first is None:
        rows[key] = number
    return first
