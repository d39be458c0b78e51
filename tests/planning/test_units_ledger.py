"""Amounts of capacity in their unit, in each language."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from capacity.planning.units_ledger import amount_text


def test_amounts_read_in_english() -> None:
    with translation.override("en"):
        assert amount_text("release_days", Decimal("1.00")) == "1 release day"
        assert amount_text("coaching_hours", Decimal("12.50")) == "12.5 coaching hours"
        assert amount_text("visits", 3) == "3 visits"
        assert amount_text("learning_sessions", 2) == "2 professional learning sessions"
        assert amount_text("funding", Decimal("1500.00")) == "$1,500"


def test_amounts_read_in_french() -> None:
    with translation.override("fr"):
        assert amount_text("coaching_hours", Decimal("12.50")) == "12,5 heures d’accompagnement"
        assert (
            amount_text("funding", Decimal("1500")).replace("\u202f", " ").replace("\u00a0", " ")
            == "1 500 $"
        )
