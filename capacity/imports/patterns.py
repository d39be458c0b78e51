"""Identifiers and the shapes of numbers in published tables, defined once for every importer.

School numbers follow the configured scheme (capacity/schoolnumbers.py; Ontario's
five or six digits unless CAPACITY_SCHOOL_NUMBER_PATTERN says otherwise), and
every reader of a school number goes through the functions below: the
directory importers a row at a time (`clean_school_number`,
`school_number_re`), the results reader on Arrow arrays of distinct values
(`school_number_pattern`, `pad_school_numbers`), DuckDB and Spark through the
same anchored pattern, and all of them say what is wrong in the same words
(`school_number_problem`).

The other patterns are plain strings (for pyarrow.compute's regular
expressions, which the results reader runs on whole columns) and compiled `re`
patterns (for the importers that check a row at a time).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.schoolnumbers import ONTARIO_EXAMPLE, ONTARIO_PAD, ONTARIO_PATTERN, SchoolNumberScheme

if TYPE_CHECKING:
    import pyarrow as pa

# A board number is B followed by five digits (B28010), whatever the school numbers' scheme.
BOARD_NUMBER_PATTERN = r"^B\d{5}$"
# Ontario's school numbers, for code not yet reading the configured scheme; use school_number_pattern().
SCHOOL_NUMBER_PATTERN = rf"^(?:{ONTARIO_PATTERN})$"
# Schools Ontario has not yet numbered appear with a provisional code such as SC1801.
PROVISIONAL_PATTERN = r"(?i)^SC\d+$"
NUMBER_PATTERN = r"^[-+]?(\d+(\.\d*)?|\.\d+)$"
# 1,280 or 12,345.5: thousands separated by commas.
THOUSANDS_PATTERN = r"^\d{1,3}(,\d{3})+(\.\d+)?$"

BOARD_NUMBER_RE = re.compile(BOARD_NUMBER_PATTERN)
PROVISIONAL_NUMBER_RE = re.compile(PROVISIONAL_PATTERN)
NUMBER_RE = re.compile(NUMBER_PATTERN)
THOUSANDS_RE = re.compile(THOUSANDS_PATTERN)

_ONTARIO = SchoolNumberScheme()
_current: SchoolNumberScheme | None = None


def school_number_scheme() -> SchoolNumberScheme:
    """The configured scheme, read from the settings once and again whenever a test overrides them.

    Importers ask it for every cell, so it is kept rather than rebuilt (capacity/settings.py
    checked it as the settings loaded).
    """
    global _current
    if _current is None:
        from django.conf import settings

        _current = SchoolNumberScheme(
            getattr(settings, "CAPACITY_SCHOOL_NUMBER_PATTERN", ONTARIO_PATTERN),
            getattr(settings, "CAPACITY_SCHOOL_NUMBER_PAD", ONTARIO_PAD),
            getattr(settings, "CAPACITY_SCHOOL_NUMBER_EXAMPLE", ONTARIO_EXAMPLE),
        )
    return _current


@receiver(setting_changed)
def _forget_the_scheme(*, setting: str, **_kwargs: object) -> None:
    global _current
    if setting.startswith("CAPACITY_SCHOOL_NUMBER_"):
        _current = None


def school_number_pattern() -> str:
    """The anchored pattern a whole school number must match, in the syntax RE2 (Arrow, DuckDB) and Java (Spark) share.

    Run it on values already padded (`pad_school_numbers`, `clean_school_number`).
    """
    return school_number_scheme().anchored


def school_number_re() -> re.Pattern[str]:
    """The same pattern compiled for Python; `.match` checks the whole value."""
    return school_number_scheme().compiled


def clean_school_number(value: str) -> str:
    """A school number as stored: trimmed, and padded with the leading zeros a spreadsheet dropped (19186 -> 019186)."""
    return school_number_scheme().clean(value)


def school_number_forms(number: str) -> set[str]:
    """The numbers a school may be stored under: `number` and, where the scheme pads, it without leading zeros."""
    return school_number_scheme().forms(number)


def pad_school_numbers(array: pa.Array) -> pa.Array:
    """`clean_school_number` for an Arrow array of strings (the results reader's distinct values).

    Digits-only values the pattern accepts but shorter than the configured
    padding get leading zeros; every other value (and null) is returned as it
    is, to be checked against `school_number_pattern()` next. Values are not
    trimmed: the reader trims its text columns as it reads them.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    scheme = school_number_scheme()
    if not scheme.pad:
        return array
    if pa.types.is_dictionary(array.type):
        return pa.DictionaryArray.from_arrays(array.indices, pad_school_numbers(array.dictionary))
    short = pc.and_kleene(
        pc.and_kleene(
            pc.less(pc.utf8_length(array), scheme.pad),
            pc.match_substring_regex(array, r"^[0-9]+$"),
        ),
        pc.match_substring_regex(array, scheme.anchored),
    )
    return pc.if_else(short, pc.utf8_lpad(array, width=scheme.pad, padding="0"), array)


def school_number_form() -> str:
    """How a school number is written, for messages: "five or six digits, like 019186"."""
    scheme = school_number_scheme()
    digits = scheme.digits
    example = scheme.example
    if digits == (5, 6):
        return _("five or six digits, like %(example)s") % {"example": example}
    if digits is not None and digits[0] == digits[1]:
        return ngettext(
            "%(count)s digit, like %(example)s", "%(count)s digits, like %(example)s", digits[0]
        ) % {"count": digits[0], "example": example}
    if digits is not None:
        return _("%(low)s to %(high)s digits, like %(example)s") % {
            "low": digits[0],
            "high": digits[1],
            "example": example,
        }
    return _("an identifier like %(example)s") % {"example": example}


def school_number_problem(value: str) -> str:
    """Why `value` is refused as a school number, naming the configured form.

    Ontario's scheme keeps the message its importers have always given.
    """
    if school_number_scheme() == _ONTARIO:
        return _(
            "“%(value)s” is not a school number: it should be five or six digits, like 019186."
        ) % {"value": value}
    return _("“%(value)s” is not a school number: it should be %(form)s.") % {
        "value": value,
        "form": school_number_form(),
    }


def school_number_rule() -> str:
    """The rule a school number breaks, without repeating the value (for files whose cells may be private)."""
    if school_number_scheme() == _ONTARIO:
        return _("A school number has five or six digits.")
    return _("This is not a school number: it should be %(form)s.") % {"form": school_number_form()}


def school_numbers_padded_note(count: int) -> str:
    """The import report's note on how many school numbers had their leading zeros put back."""
    scheme = school_number_scheme()
    if scheme.digits == (scheme.pad - 1, scheme.pad) == (5, 6):
        return ngettext(
            "%(count)s school number had five digits; its leading zero was put back.",
            "%(count)s school numbers had five digits; their leading zeros were put back.",
            count,
        ) % {"count": count}
    return ngettext(
        "%(count)s school number had lost its leading zeros; they were put back.",
        "%(count)s school numbers had lost their leading zeros; they were put back.",
        count,
    ) % {"count": count}


def clean_text(value: str) -> str:
    """A cell's text with runs of spaces (common in published tables) collapsed to one."""
    return " ".join(value.split())


def clean_board_number(value: str) -> str:
    return value.strip().upper()
