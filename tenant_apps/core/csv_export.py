"""CSV files the project writes for staff's spreadsheets: UTF-8 with a BOM (Excel), `;`, and no
cell a spreadsheet would run as a formula.

A parent can name an allergy `=HYPERLINK(…)` or `+cmd|…`; written as is, the spreadsheet opening
the export runs it. Every cell starting with = + - @, a tab or a carriage return is prefixed
with an apostrophe, which spreadsheets show as text. Every export goes through `csv_download`
(a test fails on any other `csv.writer`).
"""

import csv
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value`, or the text of it prefixed with `'` when a spreadsheet would read a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


class SafeWriter:
    """csv.writer whose rows are neutralised cell by cell."""

    def __init__(self, stream):
        self._writer = csv.writer(stream, delimiter=";")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_download(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """An attachment response named `filename` and the writer that fills it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    return response, SafeWriter(response)
