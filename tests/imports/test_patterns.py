"""The one gate for school numbers: every reader cleans, checks and words them through capacity.imports.patterns."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest
from django.utils import translation

from capacity.imports.patterns import (
    clean_school_number,
    pad_school_numbers,
    school_number_form,
    school_number_forms,
    school_number_pattern,
    school_number_problem,
    school_number_re,
    school_number_rule,
    school_numbers_padded_note,
)

VALUES = ["19186", "019186", "1234", "12AB", "", "420000123456", "1234567890", "0750001A", None]


def national(settings, pattern: str = r"\d{12}", pad: int = 0, example: str = "123456789012"):
    settings.CAPACITY_SCHOOL_NUMBER_PATTERN = pattern
    settings.CAPACITY_SCHOOL_NUMBER_PAD = pad
    settings.CAPACITY_SCHOOL_NUMBER_EXAMPLE = example


def test_ontario_by_default_in_todays_words() -> None:
    assert school_number_pattern() == r"^(?:\d{5,6})$"
    assert clean_school_number(" 19186") == "019186"
    assert school_number_re().match("019186")
    assert not school_number_re().match("1234567")
    assert school_number_forms("019186") == {"019186", "19186"}
    assert (
        school_number_problem("12AB")
        == "“12AB” is not a school number: it should be five or six digits, like 019186."
    )
    assert school_number_form() == "five or six digits, like 019186"
    assert school_number_rule() == "A school number has five or six digits."
    assert (
        school_numbers_padded_note(2)
        == "2 school numbers had five digits; their leading zeros were put back."
    )


def test_the_configured_scheme_is_read_at_each_call(settings) -> None:
    national(settings)
    assert school_number_pattern() == r"^(?:\d{12})$"
    assert school_number_re().match("420000123456")
    assert not school_number_re().match("019186")
    assert clean_school_number("19186") == "19186"
    assert (
        school_number_problem("12345")
        == "“12345” is not a school number: it should be 12 digits, like 123456789012."
    )
    assert (
        school_number_rule()
        == "This is not a school number: it should be 12 digits, like 123456789012."
    )


@pytest.mark.parametrize(
    ("pattern", "pad", "example", "form"),
    [
        (r"\d{12}", 0, "123456789012", "12 digits, like 123456789012"),
        (r"[0-9]{1}", 0, "7", "1 digit, like 7"),
        (r"\d{8,10}", 0, "12345678", "8 to 10 digits, like 12345678"),
        (r"\d{5,6}", 0, "19186", "five or six digits, like 19186"),
        (r"(?i:[0-9]{7}[a-z])", 0, "0750001A", "an identifier like 0750001A"),
    ],
)
def test_messages_name_the_configured_form(settings, pattern, pad, example, form) -> None:
    national(settings, pattern, pad, example)
    assert school_number_form() == form
    assert school_number_problem("x") == f"“x” is not a school number: it should be {form}."


def test_french_messages(settings) -> None:
    with translation.override("fr"):
        assert school_number_problem("12AB") == (
            "« 12AB » n’est pas un numéro d’école : il doit compter cinq ou six chiffres, comme 019186."
        )
        national(settings)
        assert school_number_problem("12345") == (
            "« 12345 » n’est pas un numéro d’école ; on attend 12 chiffres, comme 123456789012."
        )
        assert school_numbers_padded_note(1) == (
            "1 numéro d’école avait perdu ses zéros initiaux ; ils ont été remis."
        )
        national(settings, r"(?i:[0-9]{7}[a-z])", 0, "0750001A")
        assert school_number_rule() == (
            "Ce n’est pas un numéro d’école ; on attend un identifiant comme 0750001A."
        )


@pytest.mark.parametrize(
    ("pattern", "pad", "example"),
    [
        (r"\d{5,6}", 6, "019186"),
        (r"\d{12}", 0, "123456789012"),
        (r"\d{10,12}", 12, "001234567890"),
        (r"(?i:[0-9]{7}[a-z])", 0, "0750001A"),
    ],
)
def test_the_arrow_version_gives_what_the_python_one_gives(settings, pattern, pad, example) -> None:
    national(settings, pattern, pad, example)
    expected = [None if v is None else clean_school_number(v) for v in VALUES]
    for kind in (pa.string(), pa.large_string()):
        assert pad_school_numbers(pa.array(VALUES, kind)).to_pylist() == expected
    coded = pa.array(VALUES).dictionary_encode()
    padded = pad_school_numbers(coded)
    assert pa.types.is_dictionary(padded.type)
    assert padded.to_pylist() == expected


def test_ontario_padding_on_arrow_values() -> None:
    padded = pad_school_numbers(pa.array(["19186", "019186", "1234", "12AB", None]))
    assert padded.to_pylist() == ["019186", "019186", "1234", "12AB", None]


def test_duckdb_checks_with_the_same_pattern(settings) -> None:
    for configure in (lambda: None, lambda: national(settings)):
        configure()
        rows = duckdb.execute(
            "SELECT v, regexp_full_match(v, ?) FROM unnest(?::VARCHAR[]) AS t(v)",
            [school_number_pattern(), [v for v in VALUES if v is not None]],
        ).fetchall()
        assert dict(rows) == {v: bool(school_number_re().match(v)) for v in VALUES if v is not None}
