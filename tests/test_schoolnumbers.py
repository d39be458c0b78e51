"""The school-number scheme: Ontario's by default, a jurisdiction's own by setting, refused when unusable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from capacity.schoolnumbers import MAX_LENGTH, SchoolNumberScheme
from tests.test_settings import run_check

ROOT = Path(__file__).resolve().parents[1]
ONTARIO = SchoolNumberScheme()
NATIONAL = SchoolNumberScheme(r"\d{12}", 0, "123456789012")
UAI = SchoolNumberScheme(r"(?i:[0-9]{7}[a-z])", 0, "0750001A")


def test_ontario_pads_a_dropped_zero_and_refuses_other_lengths() -> None:
    assert ONTARIO.clean(" 19186 ") == "019186"
    assert ONTARIO.clean("019186") == "019186"
    # Only a number the pattern accepts is padded: four digits stay four, and are refused.
    assert ONTARIO.clean("1234") == "1234"
    assert not ONTARIO.matches("1234")
    assert not ONTARIO.matches("1234567")
    assert not ONTARIO.matches("12AB")
    assert ONTARIO.forms("019186") == {"019186", "19186"}
    assert ONTARIO.forms("001234") == {"001234", "01234"}
    assert ONTARIO.forms("919186") == {"919186"}
    assert ONTARIO.digits == (5, 6)
    assert ONTARIO.problems() == []


def test_the_pattern_matches_the_whole_value_in_every_engine() -> None:
    for value in ("019186\n", "x019186", "0191867", "019186 "):
        assert not ONTARIO.matches(value), value
    # Other scripts' digits are not digits to RE2 or Java, so not to Python either.
    assert not ONTARIO.matches("٠١٩١٨٦")


def test_a_national_scheme_reads_long_identifiers_and_refuses_short_ones() -> None:
    assert NATIONAL.problems() == []
    assert NATIONAL.matches("420000123456")
    assert NATIONAL.clean("12345") == "12345"
    assert not NATIONAL.matches("12345")
    assert NATIONAL.digits == (12, 12)
    assert NATIONAL.forms("012345678901") == {"012345678901"}


def test_a_padded_national_scheme_pads_to_its_own_length() -> None:
    scheme = SchoolNumberScheme(r"\d{10,12}", 12, "001234567890")
    assert scheme.problems() == []
    assert scheme.clean("1234567890") == "001234567890"
    assert scheme.clean("123456789") == "123456789"
    assert scheme.forms("001234567890") == {"001234567890", "01234567890", "1234567890"}


def test_letters_and_flags_in_a_group() -> None:
    assert UAI.problems() == []
    assert UAI.matches("0750001A") and UAI.matches("0750001a")
    assert UAI.digits is None
    assert UAI.clean("0750001A") == "0750001A"


@pytest.mark.parametrize(
    ("scheme", "words"),
    [
        (SchoolNumberScheme("", 6, "019186"), "is empty"),
        (SchoolNumberScheme(r"(\d{6}", 6, "019186"), "is not a regular expression"),
        (SchoolNumberScheme(r"\d{6})|(x", 6, "019186"), "is not a regular expression"),
        (SchoolNumberScheme(r"(?i)\d{6}", 6, "019186"), "starts with flags"),
        (SchoolNumberScheme(r"(?=0)\d{6}", 6, "019186"), "lookahead"),
        (SchoolNumberScheme(r"(?:(?<!x)\d){6}", 6, "019186"), "lookahead or lookbehind"),
        (SchoolNumberScheme(r"(\d)\1{5}", 6, "111111"), "back-reference"),
        (SchoolNumberScheme(r"(?>\d{6})", 6, "019186"), "atomic group"),
        (SchoolNumberScheme(r"\d{6}+", 6, "019186"), "possessive"),
        (SchoolNumberScheme(r"(?P<n>\d{6})", 6, "019186"), "named group"),
        (SchoolNumberScheme(r"\d{6}\Z", 6, "019186"), "Python-only escape"),
        (SchoolNumberScheme(r"(?x:\d{6})", 6, "019186"), "a flag other than i, m or s"),
        (SchoolNumberScheme(r"(?a:\d{6})", 6, "019186"), "a flag other than i, m or s"),
        (SchoolNumberScheme(r"\d*", 0, "019186"), "accepts an empty school number"),
        (SchoolNumberScheme(r"\d+", 0, "019186"), f"longer than {MAX_LENGTH} characters"),
        (SchoolNumberScheme(r"\d{12}", 6, "019186"), "does not match"),
        (SchoolNumberScheme(r"\d{5,6}", 6, "19186"), "is stored as '019186'"),
        (SchoolNumberScheme(r"\d{5}", 6, "12345"), "pads 11111 to 011111"),
        (SchoolNumberScheme(r"\d{6}", 21, "019186"), "CAPACITY_SCHOOL_NUMBER_PAD=21"),
    ],
)
def test_an_unusable_scheme_is_refused_with_the_setting_at_fault(scheme, words) -> None:
    problems = scheme.problems()
    assert problems, scheme
    assert any(words in problem for problem in problems), problems
    assert all(problem.startswith("CAPACITY_SCHOOL_NUMBER_") for problem in problems)


ACCEPTED = [ONTARIO, NATIONAL, UAI, SchoolNumberScheme(r"\d{10,12}", 12, "001234567890")]
SAMPLES = ["019186", "19186", "1234", "420000123456", "0750001A", "0750001a", "12AB", "", "٠١٩١٨٦"]


@pytest.mark.parametrize("scheme", ACCEPTED, ids=lambda s: s.pattern)
def test_an_accepted_pattern_gives_the_same_answers_in_python_arrow_and_duckdb(scheme) -> None:
    python = [scheme.matches(value) for value in SAMPLES]
    arrow = pc.match_substring_regex(pa.array(SAMPLES), scheme.anchored).to_pylist()
    duck = [
        row[0]
        for row in duckdb.execute(
            "SELECT regexp_full_match(v, ?) FROM unnest(?::VARCHAR[]) AS t(v) ORDER BY "
            "list_position(?::VARCHAR[], v)",
            [scheme.anchored, SAMPLES, SAMPLES],
        ).fetchall()
    ]
    assert python == arrow == duck


@pytest.mark.parametrize(
    "pattern", [r"(?=0)\d{6}", r"(\d)\1{5}", r"(?>\d{6})", r"\d{6}+", r"\d{6}\Z"]
)
def test_what_the_screen_refuses_the_engines_cannot_run(pattern) -> None:
    """The screen is not stricter than it must be: RE2 itself refuses each of these."""
    assert SchoolNumberScheme(pattern, 0, "019186").problems()
    with pytest.raises(pa.ArrowInvalid):
        pc.match_substring_regex(pa.array(["019186"]), f"^(?:{pattern})$")


def test_the_settings_refuse_a_pattern_that_does_not_compile(tmp_path) -> None:
    result = run_check(tmp_path, CAPACITY_SCHOOL_NUMBER_PATTERN=r"(\d{6}")
    assert result.returncode != 0
    assert "CAPACITY_SCHOOL_NUMBER_PATTERN" in result.stderr
    assert "is not a regular expression" in result.stderr


def test_capacity_check_names_a_pattern_that_refuses_its_own_example(tmp_path) -> None:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "PYTEST", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    environment.update(
        CAPACITY_VAR_DIR=str(tmp_path),
        CAPACITY_SCHOOL_NUMBER_PATTERN=r"\d{12}",
        COLUMNS="400",
    )
    result = subprocess.run(
        [sys.executable, "-m", "capacity.cli", "check"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert "Configuration error" in result.stderr
    assert "CAPACITY_SCHOOL_NUMBER_EXAMPLE='019186' does not match" in result.stderr


def test_the_settings_accept_a_national_scheme(tmp_path) -> None:
    result = run_check(
        tmp_path,
        CAPACITY_SCHOOL_NUMBER_PATTERN=r"\d{12}",
        CAPACITY_SCHOOL_NUMBER_PAD="0",
        CAPACITY_SCHOOL_NUMBER_EXAMPLE="123456789012",
    )
    # run_check asks for the deploy checks, which a local environment fails; the settings loaded.
    assert "CAPACITY_SCHOOL_NUMBER" not in result.stderr
    assert "System check identified" in result.stdout + result.stderr
