"""Stable beat-the-odds lists and partner suggestions read from the database
(capacity/evidence/selectors_partners.py), on the hand-built province of partners_world.py."""

from __future__ import annotations

import pytest

from capacity.evidence import selectors_partners
from capacity.evidence.wording_partners import why
from tests.evidence import partners_world

pytestmark = pytest.mark.django_db


def test_the_lists_and_the_partners_of_the_hand_built_province(world):
    s = partners_world.build(world)
    year = selectors_partners.latest_year()
    assert year == "2022-23"
    assert selectors_partners.years_for(year) == ("2022-23", "2021-22", "2018-19")

    # Province: the three schools above their prediction every year first (by mean residual),
    # then P2 (two years by the margin, once just above); D1 dipped below, O1 beat it once.
    found = selectors_partners.province_stable(year)
    assert [x.school.name for x in found] == ["P1 School", "P3 School", "FAR School", "P2 School"]
    p2 = found[-1]
    assert [b.year for b in p2.beat] == ["2022-23", "2021-22"]
    assert [m.year for m in p2.measured] == ["2022-23", "2021-22", "2018-19"]
    assert p2.school.context == {
        "pct_low_income": 30.0,
        "pct_language_learners": 20.0,
        "pct_special_education": 26.0,
        "pct_parents_no_degree": 12.0,
    }
    # Board B's list holds its own schools only.
    board = [x.school.name for x in selectors_partners.board_stable(world.board_b, year)]
    assert board == ["P1 School", "FAR School"]
    assert selectors_partners.board_stable(world.board_a, year) == []

    # A1 is identified; its partners: same language first (P1, then P2 further away), then P3
    # (nearest of all, French-language); FAR is too far, D1 and O1 are not stable.
    assert selectors_partners.identified(school=s["A1"], year=year) is not None
    assert selectors_partners.identified(school=s["P1"], year=year) is None
    partners = selectors_partners.partners_for(school=s["A1"], year=year)
    assert partners.reason == ""
    assert [p.school.name for p in partners.partners] == ["P1 School", "P2 School", "P3 School"]
    assert [p.same_language for p in partners.partners] == [True, True, False]
    assert partners.partners[1].similar_on == (
        "pct_language_learners",
        "pct_low_income",
        "pct_parents_no_degree",
    )
    assert partners.partners[2].distance == 0.0
    assert why(partners.partners[1]) == (
        "Similar share of students learning the language of instruction, low-income households "
        "and parents without post-secondary education; above its prediction in "
        "2021-22 (+9.2 points) and 2022-23 (+9.5 points)."
    )
    assert why(partners.partners[0]) == (
        "Similar share of low-income households, parents without post-secondary education, "
        "students receiving special education and students learning the language of instruction; "
        "above its prediction in 2018-19 (+10.2 points), 2021-22 (+9.4 points) and "
        "2022-23 (+9.7 points)."
    )
    assert why(partners.partners[2]).endswith("It teaches in another language.")

    # Every identified school gets partners or a reason; the province's answer agrees.
    province = selectors_partners.province_partners(year)
    assert set(province) == {"700001", "810016", "810017", "810019"}  # A1, L06, L07, L09
    assert province["700001"] == partners
    # L06 and L09 are identified too, in contexts no stable school is near; L07 gets two.
    assert {n: a.reason for n, a in province.items()} == {
        "700001": "",
        "810016": "none_near",
        "810017": "",
        "810019": "none_near",
    }
    assert [p.school.name for p in province["810017"].partners] == ["P1 School", "P3 School"]
    assert province["810017"].partners[0].similar_on == (
        "pct_special_education",
        "pct_parents_no_degree",
    )


def test_a_school_without_context_gets_a_reason_not_partners(world):
    partners_world.build(world)
    year = selectors_partners.latest_year()
    found = selectors_partners.partners_for(school=world.school_b1, year=year)
    assert found.partners == () and found.reason == "no_context"


def test_what_each_person_is_shown(world):
    s = partners_world.build(world)
    p = world.personas
    shown = selectors_partners.school_partners_for_user(p["principal_a1"], s["A1"])
    assert shown is not None and shown.year == "2022-23"
    assert [x.school.name for x in shown.partners.partners] == [
        "P1 School",
        "P2 School",
        "P3 School",
    ]
    assert shown.readable == frozenset()  # the partners' own pages are not the principal's
    by_board = selectors_partners.school_partners_for_user(p["board_a"], s["A1"])
    assert by_board is not None and by_board.readable == frozenset()
    everywhere = selectors_partners.school_partners_for_user(p["ministry"], s["A1"])
    assert everywhere is not None
    assert everywhere.readable == {"810001", "810002", "810003"}
    for name in ("teacher_a1", "trustee_a", "principal_b1"):
        assert selectors_partners.school_partners_for_user(p[name], s["A1"]) is None
    # A school that is not identified has no partners to show.
    assert selectors_partners.school_partners_for_user(p["ministry"], s["P1"]) is None
