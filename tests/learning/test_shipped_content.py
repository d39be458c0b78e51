"""The starter content Capacity ships (capacity/learning/content/): complete, in both
languages, in our own words, about fictional boards."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

from capacity.learning.content import BOARD_TYPES, CHARACTERISTICS, CONTEXTS, load_dir
from tests.conftest import ONTARIO_SIF

SEEDS = ONTARIO_SIF.parent.parent / "seeds"


@pytest.fixture(scope="module")
def items():
    return load_dir()


def test_eight_modules_numbered_one_to_eight_each_in_english_and_french(items) -> None:
    modules = [i for i in items if i.kind == "module"]
    assert sorted(m.shared("number") for m in modules) == list(range(1, 9))
    assert all(set(m.versions) == {"en", "fr"} for m in modules)
    # The eight cover the nine characteristics; alignment runs through all of them.
    covered = {c for m in modules for c in m.shared("characteristics")}
    assert covered >= set(CHARACTERISTICS) - {"alignment"}
    for module in modules:
        overview = dict(module.versions["en"].sections)["Overview"].lower()
        assert "alignment" in module.shared("characteristics") or "align" in overview, module.slug


def test_at_least_twelve_cases_covering_every_characteristic_context_and_board_type(items) -> None:
    cases = [i for i in items if i.kind == "case"]
    assert len(cases) >= 12
    assert {c for case in cases for c in case.shared("characteristics")} == set(CHARACTERISTICS)
    contexts = Counter(c for case in cases for c in case.shared("contexts"))
    assert all(contexts[context] >= 1 for context in CONTEXTS), contexts
    assert {case.shared("board_type") for case in cases} == set(BOARD_TYPES)


def test_the_boards_are_fictional(items) -> None:
    with (ONTARIO_SIF / "sif_data_table_2021_2022_en.csv").open(encoding="latin-1") as handle:
        real = {row["Board Name"].strip().lower() for row in csv.DictReader(handle)}
    for case in (i for i in items if i.kind == "case"):
        assert case.shared("board").strip().lower() not in real, case.slug


def _prose(name: str) -> str:
    """A seed's words, its numbered lines aside: those are the nine characteristics' names and the
    seven guiding questions, facts the content may name exactly."""
    lines = (SEEDS / name).read_text(encoding="utf-8").lower().splitlines()
    kept = [line for line in lines if not re.match(r"^\s*\d\.\s", line)]
    return " ".join(re.findall(r"[\w']+", " ".join(kept)))


def test_no_sentence_is_the_sources(items) -> None:
    seed = " ".join(
        _prose(name) for name in ("001_5af4fa67a1390345.txt", "002_545f757114e9ab0b.txt")
    )
    for item in items:
        for version in item.versions.values():
            for heading, text in version.sections:
                words = re.findall(r"[\w']+", text.lower())
                for start in range(max(0, len(words) - 9)):
                    run = " ".join(words[start : start + 10])
                    assert f" {run} " not in f" {seed} ", f"{version.path} ({heading}): {run!r}"
