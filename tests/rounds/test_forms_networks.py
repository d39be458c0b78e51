"""Forming a network from a suggestion: schools added by number follow the configured school-number scheme."""

from __future__ import annotations

from capacity.rounds.forms_networks import AcceptForm


def form(add: str) -> AcceptForm:
    return AcceptForm({"name": "Numeracy", "purpose": "Fractions", "add": add}, schools=[])


def test_numbers_are_cleaned_like_every_importer_cleans_them() -> None:
    accepted = form("019186, 19186 700001")
    assert accepted.is_valid(), accepted.errors
    assert accepted.cleaned_data["add"] == ["019186", "019186", "700001"]
    assert "five or six digits, like 019186" in str(accepted.fields["add"].help_text)


def test_what_is_not_a_school_number_is_named() -> None:
    refused = form("019186 12AB 1234567")
    assert not refused.is_valid()
    assert refused.errors["add"] == ["Not a school number: 12AB, 1234567."]


def test_a_national_scheme_takes_its_own_numbers(settings) -> None:
    settings.CAPACITY_SCHOOL_NUMBER_PATTERN = r"\d{12}"
    settings.CAPACITY_SCHOOL_NUMBER_PAD = 0
    settings.CAPACITY_SCHOOL_NUMBER_EXAMPLE = "123456789012"
    accepted = form("420000123456")
    assert accepted.is_valid(), accepted.errors
    assert accepted.cleaned_data["add"] == ["420000123456"]
    assert "12 digits, like 123456789012" in str(accepted.fields["add"].help_text)
    assert not form("019186").is_valid()
