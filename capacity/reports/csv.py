"""Every CSV the platform writes goes through here, so no cell can run as a spreadsheet formula.

A spreadsheet opening a CSV runs a text cell that begins with =, +, -, @, a tab or
a carriage return as a formula (`=HYPERLINK("http://evil","click")`, DDE commands).
Plan titles, goals, school names and import problems carry text people typed or
files they uploaded, so `neutralise` puts an apostrophe before such a cell: the
spreadsheet then shows the text as typed (Excel and LibreOffice hide the apostrophe).

What is left alone, on purpose:

- numbers (int, float, Decimal): -3.5 is a number, not a formula;
- text that is exactly a plain number, such as "-5", "+2" or "-3.5": a spreadsheet
  reads it as that number, which is what the person typed and runs nothing, and
  the figures the exports format as text (`f"{value:g}"`) stay numbers. Anything
  more ("-5+1", "-5%", "-0x10") is neutralised.

Use `writer(out)` (or `csv_text(header, rows)`) instead of `csv.writer`.

>>> neutralise('=HYPERLINK("http://x","y")')
'\\'=HYPERLINK("http://x","y")'
>>> neutralise("-3.5"), neutralise(-3.5), neutralise("-5+1")
('-3.5', -3.5, "'-5+1")
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def runs_as_formula(value: Any) -> bool:
    """Whether a spreadsheet would take this cell for a formula: the one rule for CSV and XLSX."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    )


def neutralise(value: Any) -> Any:
    """The cell as written to CSV: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if runs_as_formula(value) else value


def restore(value: str) -> str:
    """A cell read back from a CSV this module wrote, as it was before `neutralise`.

    >>> restore("'=1+1"), restore("'quoted"), restore("-5")
    ('=1+1', "'quoted", '-5')
    """
    return value[1:] if value.startswith("'") and runs_as_formula(value[1:]) else value


class SafeWriter:
    """`csv.writer` whose every cell goes through `neutralise`."""

    def __init__(self, out: TextIO, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: TextIO, **options: Any) -> SafeWriter:
    """A CSV writer for anything the platform hands to people (files, downloads, standard output)."""
    return SafeWriter(out, **options)


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]], **options: Any) -> str:
    """A whole CSV document as text: the header row, then the rows, every cell neutralised."""
    out = io.StringIO()
    safe = writer(out, **options)
    safe.writerow(header)
    safe.writerows(rows)
    return out.getvalue()
