"""School years, one rule for every app: labels like 2018-19, their start years, and reading them from names.

Plain Python with no Django import, so the analytics (which must not import
Django), the importers, the command line and the models all share it. A school
year is written `YYYY-YY`, the second year following the first ("2018-19");
people and file names spell it in other ways ("2018-2019", "2018_19", "1819"),
which `normal_year` and `year_in` read.
"""

from __future__ import annotations

import re

SCHOOL_YEAR_RE = re.compile(r"^(\d{4})-(\d{2})$")
# How a person may give a school year: 2018-19, 2018-2019, 2018_19 or 2018/19.
GIVEN_YEAR_RE = re.compile(r"^(\d{4})[-_/](\d{2}|\d{4})$")
# How file and sheet names spell one: sif_data_table_2017_2018_en, SIF_1718_EQAO1718_EN, SIFprelim23-24_EN.
LONG_YEAR_IN_NAME_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_/ ]?((?:19|20)\d{2}|\d{2})(?!\d)")
SHORT_YEAR_IN_NAME_RE = re.compile(r"(?<!\d)(\d{2})[-_]?(\d{2})(?!\d)")


def school_year_label(start: int) -> str:
    """2018 -> "2018-19"."""
    return f"{start}-{(start + 1) % 100:02d}"


def year_start_of(label: str) -> int:
    """ "2018-19" -> 2018 (for a label already known to be a school year)."""
    return int(label[:4])


def is_school_year(value: str | None) -> bool:
    """True for a canonical label like 2018-19 whose second year follows the first."""
    match = SCHOOL_YEAR_RE.match(value or "")
    return match is not None and (int(match.group(1)) + 1) % 100 == int(match.group(2))


def normal_year(text: str) -> str | None:
    """A school year given by a person ("2018-19", "2018-2019", "2018_19") as 2018-19, or None."""
    match = GIVEN_YEAR_RE.match(text.strip())
    if not match:
        return None
    first, second = int(match.group(1)), match.group(2)
    follows = int(second) == first + 1 if len(second) == 4 else int(second) == (first + 1) % 100
    return school_year_label(first) if follows else None


def year_in(text: str) -> str | None:
    """The school year a file or sheet name spells, as in 2017_2018, 2017-18, 1718 or 23-24."""
    for match in LONG_YEAR_IN_NAME_RE.finditer(text):
        first, second = int(match.group(1)), match.group(2)
        if int(second) == first + 1 or (len(second) == 2 and int(second) == (first + 1) % 100):
            return school_year_label(first)
    for match in SHORT_YEAR_IN_NAME_RE.finditer(text):
        first, later = int(match.group(1)), int(match.group(2))
        if later == (first + 1) % 100:
            return school_year_label(2000 + first)
    return None
