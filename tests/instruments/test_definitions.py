"""The shipped instruments carry the sources' facts exactly (docs/instruments.md).

Counts, orders, scales, levels, reverse flags and effect sizes come from the primary
sources: seed 001 (Leithwood's nine characteristics and their indicators) and seed 003
(Kirtman and Fullan's competencies and compliance triage; Fullan, Hargreaves and
Rincón-Gallardo's professional capital index; the NPDL conditions rubric; Quaglia and
Corso's aspirations; Robinson's leadership dimensions; November's six questions).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from capacity.instruments.definition import Definition, parse
from capacity.instruments.services import shipped_files

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def shipped(code: str) -> Definition:
    for path in shipped_files():
        definition = parse(path.read_text(encoding="utf-8"), path.name)
        if definition.code == code:
            return definition
    raise AssertionError(f"no shipped instrument {code}")


def test_nine_instruments_ship_and_each_parses() -> None:
    codes = sorted(parse(p.read_text(encoding="utf-8"), p.name).code for p in shipped_files())
    assert codes == [
        "compliance-register",
        "deep-learning-conditions",
        "leadership-competencies",
        "leadership-domains",
        "module-evaluation",
        "professional-capital",
        "strong-districts",
        "student-aspirations",
        "transformational-student-work",
    ]


def test_strong_districts_has_nine_characteristics_and_28_indicators_rated_with_evidence() -> None:
    found = shipped("strong-districts")
    assert [len(d.items) for d in found.dimensions] == [2, 4, 4, 3, 3, 2, 5, 4, 1]
    assert len(found.items) == 28
    assert found.scale is not None and found.scale.kind == "implementation"
    assert found.scale.points == (1, 2, 3, 4)
    assert found.evidence is True
    assert set(found.respondents) == {"board_leader", "trustee", "principal"}
    assert found.reverse_count == 0


def test_strong_districts_follows_seed_001s_characteristics_in_order() -> None:
    text = (SEEDS / "001_5af4fa67a1390345.txt").read_text(encoding="utf-8")
    headings = re.findall(r"^(\d)\. ", text, flags=re.M)
    bullets_per = [
        len(block.split("•")) - 1 for block in re.split(r"^\d\. .*$", text, flags=re.M)[1:]
    ]
    assert headings == [str(n) for n in range(1, 10)]
    assert [len(d.items) for d in shipped("strong-districts").dimensions] == bullets_per


def test_leadership_competencies_has_seven_competencies_and_36_behaviours_rated_by_self_and_others() -> (
    None
):
    found = shipped("leadership-competencies")
    assert [len(d.items) for d in found.dimensions] == [5, 4, 6, 6, 6, 5, 4]
    assert len(found.items) == 36
    assert found.raters == ("self", "others")


def test_professional_capital_has_15_18_18_items_and_exactly_the_three_marked_reversed() -> None:
    found = shipped("professional-capital")
    assert [len(d.items) for d in found.dimensions] == [15, 18, 18]
    assert found.scale is not None and (found.scale.kind, found.scale.min, found.scale.max) == (
        "agreement",
        1,
        5,
    )
    assert found.scoring == "sum"
    reversed_items = [(d.code, i.code) for d in found.dimensions for i in d.items if i.reverse]
    assert len(reversed_items) == 3
    # One in each dimension, as the source marks them (seed 003: "[Reversed]" three times).
    assert sorted(d for d, _ in reversed_items) == sorted(d.code for d in found.dimensions)
    seed = (SEEDS / "003_c1465f278b8a6464.txt").read_text(encoding="utf-8")
    assert seed.count("[Reversed]") == 3
    # The report says which other items are negatively worded but not reverse-scored.
    assert found.notes and "reverse" in found.notes[0].en.lower()


def test_deep_learning_conditions_is_six_dimensions_by_four_named_levels() -> None:
    found = shipped("deep-learning-conditions")
    assert found.kind == "rubric"
    assert [d.name.en.lower() for d in found.dimensions] == [
        "vision and goals",
        "leading deep change",
        "creating a learning culture",
        "capacity building",
        "new measures and evaluation",
        "leveraging digital",
    ]
    assert found.scale is not None
    assert [label.text.en.lower() for label in found.scale.labels] == [
        "limited evidence",
        "emerging",
        "accelerating",
        "advanced",
    ]
    assert all(len(d.descriptors) == 4 for d in found.dimensions)


def test_student_aspirations_has_eight_practices_from_0_to_10_and_the_four_quadrants() -> None:
    found = shipped("student-aspirations")
    assert len(found.items) == 8
    assert found.scale is not None and (found.scale.min, found.scale.max) == (0, 10)
    assert found.profile is not None
    corners = {(q.x, q.y): q.code for q in found.profile.quadrants}
    assert corners == {
        ("low", "low"): "hibernation",
        ("high", "low"): "perspiration",
        ("low", "high"): "imagination",
        ("high", "high"): "aspiration",
    }
    assert (found.profile.x.code, found.profile.y.code) == ("effort", "goals")


def test_robinsons_five_dimensions_carry_their_effect_sizes_and_three_capabilities() -> None:
    found = shipped("leadership-domains")
    assert found.kind == "reference" and found.respondents == ()
    assert [d.effect_size for d in found.dimensions] == [0.42, 0.31, 0.42, 0.84, 0.27]
    assert len(found.capabilities) == 3


def test_transformational_student_work_asks_six_yes_or_no_questions() -> None:
    found = shipped("transformational-student-work")
    assert found.kind == "checklist" and len(found.items) == 6
    assert found.scale is not None and found.scale.kind == "yes_no"


def test_the_compliance_register_sorts_requirements_into_a_and_c() -> None:
    found = shipped("compliance-register")
    assert [c.code for c in found.categories] == ["A", "C"]
    assert {f.code for f in found.fields} >= {"owner", "due-date", "delegated-to"}


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: p.name)
def test_every_text_is_in_english_and_french_and_no_item_repeats_the_source(path: Path) -> None:
    definition = parse(path.read_text(encoding="utf-8"), path.name)
    seed = " ".join(
        " ".join(re.findall(r"[\w']+", (SEEDS / name).read_text(encoding="utf-8").lower()))
        for name in ("001_5af4fa67a1390345.txt", "003_c1465f278b8a6464.txt")
    )
    texts = [(item.code, item.text) for item in definition.items]
    texts += [
        (f"{d.code} level {n + 1}", t)
        for d in definition.dimensions
        for n, t in enumerate(d.descriptors)
    ]
    for code, text in texts:
        assert text.en != text.fr, code
        words = re.findall(r"[\w']+", text.en.lower())
        # Our own words: no run of eight words from an item or descriptor appears in the sources.
        for start in range(max(0, len(words) - 7)):
            run = " ".join(words[start : start + 8])
            assert f" {run} " not in f" {seed} ", f"{code}: {run!r} is the source's wording"
