"""A smoke test of network suggestions on Ontario's published tables (2017-18 and 2018-19): the
schools, contexts and results imported as Capacity imports them, then one run for 2018-19.
Ontario publishes percentages for all students only and no counts, so suggestions read the six
Grade 3 and 6 figures, and the context model trusts the publisher's own suppression."""

from __future__ import annotations

import time

import pytest

from capacity.directory.importers import import_sif
from capacity.evidence.importers.results import import_results
from capacity.rounds import services_networks as services
from capacity.rounds import suggest
from tests.conftest import ONTARIO_SIF, need

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
FILES = ("sif_data_table_2017_2018_en.xlsx", "sif_data_table_2018_2019_en.xlsx")


def test_suggestions_on_ontario_s_published_tables() -> None:
    paths = [ONTARIO_SIF / name for name in FILES]
    for path in paths:
        need(path.exists(), f"{path} is not there")
        assert import_sif(path).applied
    assert import_results([(None, path) for path in paths]).applied
    started = time.perf_counter()
    evidence = services.suggestion_evidence(year="2018-19")
    read = time.perf_counter() - started
    started = time.perf_counter()
    run = suggest.suggest_networks(evidence.schools, evidence.province, year="2018-19")
    grouped = time.perf_counter() - started
    print(
        f"\nOntario 2018-19: {run.schools} schools, {run.candidates} with needs, "
        f"{run.examples} beat the odds two years running, {len(run.suggestions)} suggestions "
        f"({run.without_example} seeds without an example near enough); evidence read in "
        f"{read:.1f} s, grouped in {grouped:.1f} s"
    )
    assert evidence.previous_year == "2017-18"
    assert run.schools > 3000 and run.suggestions
    numbers = [n for s in run.suggestions for n in s.schools]
    assert len(numbers) == len(set(numbers))
    assert all(4 <= len(s.schools) <= 8 for s in run.suggestions)
    assert (
        sum(1 for s in run.suggestions if s.explanation["boards"] >= 2)
        >= len(run.suggestions) * 0.8
    )
    again = suggest.suggest_networks(evidence.schools, evidence.province, year="2018-19")
    assert again == run
