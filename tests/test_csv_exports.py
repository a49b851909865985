"""Every CSV the project writes goes through tenant_apps.core.csv_export, which neutralises cells a
spreadsheet would run as formulas (issue 10, item 13)."""

import io
import re
from pathlib import Path

import pytest

from tenant_apps.core.csv_export import SafeWriter, safe_cell

ROOT = Path(__file__).resolve().parent.parent
WRITERS = re.compile(r"\bcsv\.(?:writer|DictWriter)\(")


@pytest.mark.parametrize("cell", ["=1+1", "+33 6 12", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_cell_a_spreadsheet_would_evaluate_is_prefixed_with_an_apostrophe(cell):
    assert safe_cell(cell) == f"'{cell}"


@pytest.mark.parametrize("cell", ["Arachide", "ALAIN", "", " =1", "a=b", 42, -3, None])
def test_other_cells_are_written_as_they_are(cell):
    assert safe_cell(cell) == cell


def test_the_writer_neutralises_every_cell_of_every_row():
    out = io.StringIO()
    SafeWriter(out).writerows([["ALAIN", "=1+1"], ["@x", 3]])
    assert out.getvalue().splitlines() == ["ALAIN;'=1+1", "'@x;3"]


def test_no_module_writes_csv_without_the_helper():
    # Given every Python file of the project but the helper (and the tests)
    offenders = []
    for path in ROOT.glob("**/*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in (".venv", "var") or "tests" in relative.parts:
            continue
        if relative == Path("tenant_apps/core/csv_export.py"):
            continue
        if WRITERS.search(path.read_text(encoding="utf-8")):
            offenders.append(str(relative))
    # Then none builds its own csv writer: a new export must use csv_download / SafeWriter
    assert offenders == []
