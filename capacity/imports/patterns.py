"""Ontario's identifiers and the shapes of numbers in published tables, defined once for every importer.

Each pattern is a plain string (for pyarrow.compute's regular expressions,
which the results reader runs on whole columns) and a compiled `re` pattern
(for the directory importers, which check a row at a time).
"""

from __future__ import annotations

import re

# A board number is B followed by five digits (B28010).
BOARD_NUMBER_PATTERN = r"^B\d{5}$"
# A school number has six digits (019186); spreadsheets often drop the leading zero.
SCHOOL_NUMBER_PATTERN = r"^\d{5,6}$"
# Schools Ontario has not yet numbered appear with a provisional code such as SC1801.
PROVISIONAL_PATTERN = r"(?i)^SC\d+$"
NUMBER_PATTERN = r"^[-+]?(\d+(\.\d*)?|\.\d+)$"
# 1,280 or 12,345.5: thousands separated by commas.
THOUSANDS_PATTERN = r"^\d{1,3}(,\d{3})+(\.\d+)?$"

BOARD_NUMBER_RE = re.compile(BOARD_NUMBER_PATTERN)
SCHOOL_NUMBER_RE = re.compile(SCHOOL_NUMBER_PATTERN)
PROVISIONAL_NUMBER_RE = re.compile(PROVISIONAL_PATTERN)
NUMBER_RE = re.compile(NUMBER_PATTERN)
THOUSANDS_RE = re.compile(THOUSANDS_PATTERN)


def clean_text(value: str) -> str:
    """A cell's text with runs of spaces (common in published tables) collapsed to one."""
    return " ".join(value.split())


def clean_board_number(value: str) -> str:
    return value.strip().upper()


def clean_school_number(value: str) -> str:
    """Ontario school numbers have six digits; spreadsheets often drop the leading zero."""
    value = value.strip()
    if re.fullmatch(r"\d{5}", value):
        return "0" + value
    return value
