"""CSV as spreadsheets read it, shared by every export: UTF-8 with a byte order mark so Excel
reads the letters right, commas between columns, one header row, and no cell a spreadsheet
would run as a formula."""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse

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
