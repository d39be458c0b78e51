"""Network suggestions on a hand-built province whose right answer is worked out by hand.

Three boards, fourteen schools. The province's figures: Grade 3 reading and writing 70,
mathematics 60; Grade 6 reading and writing 80, mathematics 50.

* Four schools struggle in literacy (20 points or so below on the four reading and writing
  figures): L1 and L2 in board 2, L3 in board 3, L4 in board 1.
* Four struggle in mathematics (about 20 points below on both mathematics figures): M1 and M2
  in board 1, M3 in board 2, M4 in board 3.
* E-LIT and E-MATH beat the odds two years running, in contexts like the literacy group's and
  the mathematics group's; E-FAR beats them by more, in a context far from both; E-ONCE beat
  them this year only.
* OK1 and OK2 are at the province's figures.

By hand: the literacy schools are the neediest (about 80 points of shortfall each against
about 40), so L1 (21 points below on each) seeds the first group; they share no need with the
mathematics schools (similarity 0). L2 is most like L1 (20/21 = 0.95) but in L1's board, so L3
(board 3, 19.5/21 = 0.93) comes second; then, the group crossing a board line already, the most
alike on average: L2 (0.96), then L4. The first group is the four literacy schools with E-LIT;
the second, the same way, M1, M3, M2, M4 with E-MATH. Nobody else is suggested.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from capacity.rounds.suggest import SchoolEvidence, Settings, Standing, suggest_networks

PROVINCE = {
    ("G3-READ", "all"): 70.0,
    ("G3-WRITE", "all"): 70.0,
    ("G3-MATH", "all"): 60.0,
    ("G6-READ", "all"): 80.0,
    ("G6-WRITE", "all"): 80.0,
    ("G6-MATH", "all"): 50.0,
    ("G6-MATH", "ell"): 40.0,
}
LITERACY_PLACE = (1.0, 0.0, 1.0, 0.0, 0.0)
MATH_PLACE = (-1.0, 1.0, 0.0, 0.0, 0.0)


def figures(**below: float) -> dict[tuple[str, str], float | None]:
    """The province's figures, less `below` points on the named ones (G3_READ=20 ...)."""
    out: dict[tuple[str, str], float | None] = {}
    for key, value in PROVINCE.items():
        name = f"{key[0].replace('-', '_')}{'' if key[1] == 'all' else '_' + key[1]}"
        out[key] = value - below.get(name, 0.0)
    return out


def literacy(points: float) -> dict[tuple[str, str], float | None]:
    return figures(G3_READ=points, G3_WRITE=points, G6_READ=points, G6_WRITE=points)


def maths(points: float) -> dict[tuple[str, str], float | None]:
    return figures(G3_MATH=points, G6_MATH=points)


def standing(year: str, residual: float, proof: bool) -> Standing:
    return Standing(
        year=year, actual=60 + residual, predicted=60.0, residual=residual,
        standardized=residual / 8, existence_proof=proof,
    )  # fmt: skip


STABLE = (standing("2018-19", 12.0, True), standing("2017-18", 6.0, False))


def school(number: str, board: str, figs, place, standings=(), **context) -> SchoolEvidence:
    return SchoolEvidence(
        number=number,
        name=f"School {number}",
        board_number=board,
        board_name=f"Board {board}",
        figures=figs,
        context=context or {"pct_low_income": 20.0},
        position=place,
        standings=standings,
    )


def near(place: tuple[float, ...], shift: float) -> tuple[float, ...]:
    return (place[0] + shift, *place[1:])


def province() -> list[SchoolEvidence]:
    return [
        school("L1", "B2", literacy(21), near(LITERACY_PLACE, 0.1)),
        school("L2", "B2", literacy(20), near(LITERACY_PLACE, -0.1)),
        school("L3", "B3", literacy(19.5), near(LITERACY_PLACE, 0.2)),
        school("L4", "B1", literacy(19), near(LITERACY_PLACE, -0.2)),
        school("M1", "B1", maths(22), near(MATH_PLACE, 0.1)),
        school("M2", "B1", maths(21), near(MATH_PLACE, -0.1)),
        school("M3", "B2", maths(20), near(MATH_PLACE, 0.2)),
        school("M4", "B3", maths(19), near(MATH_PLACE, -0.2)),
        school("E-LIT", "B1", literacy(3), near(LITERACY_PLACE, 0.3), STABLE),
        school("E-MATH", "B3", maths(2), near(MATH_PLACE, 0.3), STABLE),
        school(
            "E-FAR",
            "B2",
            figures(),
            (5.0, 5.0, 5.0, 0.0, 0.0),
            (standing("2018-19", 30.0, True), standing("2017-18", 25.0, True)),
        ),
        school(
            "E-ONCE",
            "B2",
            figures(),
            near(LITERACY_PLACE, 0.0),
            (standing("2018-19", 15.0, True), standing("2017-18", -3.0, False)),
        ),
        school("OK1", "B1", figures(), near(MATH_PLACE, 0.5)),
        school("OK2", "B3", figures(), near(LITERACY_PLACE, 0.5)),
    ]


def test_it_groups_the_literacy_and_the_mathematics_schools_each_with_its_example() -> None:
    run = suggest_networks(province(), PROVINCE, year="2018-19")
    assert [(s.members, s.example) for s in run.suggestions] == [
        (("L1", "L3", "L2", "L4"), "E-LIT"),
        (("M1", "M3", "M2", "M4"), "E-MATH"),
    ]
    assert (run.schools, run.candidates, run.examples, run.without_example) == (14, 8, 3, 0)


def test_it_takes_a_second_board_first_then_the_most_alike() -> None:
    """L1 (board 2) is most like L2 (board 2, 1 point apart), but L3 (board 3) comes second:
    the group crosses a board line before it grows within one; then L2 (the most alike)."""
    first = suggest_networks(province(), PROVINCE).suggestions[0]
    assert first.members[:3] == ("L1", "L3", "L2")
    assert first.explanation["boards"] == 3


def test_every_school_is_in_at_most_one_suggestion() -> None:
    run = suggest_networks(province(), PROVINCE, settings=Settings(smallest=2, largest=3))
    numbers = [number for s in run.suggestions for number in s.schools]
    assert len(numbers) == len(set(numbers))
    assert all(len(s.schools) <= 3 for s in run.suggestions)
    # Two schools and an example each: the two examples are taken by the first two groups.
    assert [s.example for s in run.suggestions] == ["E-LIT", "E-MATH"]


def test_the_same_data_in_any_order_give_the_same_suggestions() -> None:
    expected = suggest_networks(province(), PROVINCE, year="2018-19")
    for seed in range(5):
        shuffled = province()
        random.Random(seed).shuffle(shuffled)
        again = suggest_networks(shuffled, PROVINCE, year="2018-19")
        assert again == expected
        assert json.dumps([s.explanation for s in again.suggestions], sort_keys=True) == (
            json.dumps([s.explanation for s in expected.suggestions], sort_keys=True)
        )


def test_an_example_must_beat_the_odds_two_years_running_and_near_in_context() -> None:
    """E-ONCE sits exactly at the literacy schools' context but beat the odds one year only;
    E-FAR beats them most but far away: neither is ever chosen."""
    run = suggest_networks(province(), PROVINCE)
    examples = {s.example for s in run.suggestions}
    assert "E-ONCE" not in examples and "E-FAR" not in examples
    without_lit = [s for s in province() if s.number != "E-LIT"]
    run = suggest_networks(without_lit, PROVINCE)
    assert [s.example for s in run.suggestions] == ["E-MATH"]
    assert run.without_example >= 1
    # Looser, the literacy group takes the nearest example left (E-MATH, 2.4 away), and the
    # mathematics group the one beyond (E-FAR).
    wide = suggest_networks(without_lit, PROVINCE, settings=Settings(max_context_distance=10))
    assert [s.example for s in wide.suggestions] == ["E-MATH", "E-FAR"]


def test_a_group_too_small_is_not_suggested() -> None:
    run = suggest_networks(province(), PROVINCE, settings=Settings(smallest=6, largest=8))
    assert run.suggestions == ()


def test_the_explanation_gives_the_shared_needs_with_figures() -> None:
    first = suggest_networks(province(), PROVINCE, year="2018-19").suggestions[0]
    explanation = first.explanation
    assert explanation["school_year"] == "2018-19"
    shared = {(n["assessment"], n["group"]): n for n in explanation["shared_needs"]}
    assert set(shared) == {
        ("G3-READ", "all"),
        ("G3-WRITE", "all"),
        ("G6-READ", "all"),
        ("G6-WRITE", "all"),
    }
    reading = shared[("G3-READ", "all")]
    assert reading["province"] == 70.0
    assert (reading["below"], reading["of"]) == (4, 4)
    assert reading["mean_gap"] == pytest.approx(-19.9, abs=0.05)
    assert reading["figures"] == {"L1": 49.0, "L2": 50.0, "L3": 50.5, "L4": 51.0, "E-LIT": 67.0}


def test_the_explanation_gives_each_school_s_profile() -> None:
    first = suggest_networks(province(), PROVINCE).suggestions[0]
    profiles = {p["number"]: p for p in first.explanation["schools"]}
    assert [p["number"] for p in first.explanation["schools"]] == ["L1", "L3", "L2", "L4", "E-LIT"]
    l1 = profiles["L1"]
    assert (l1["role"], l1["board_number"], l1["needs"]) == ("member", "B2", 4)
    assert l1["weakest"][0] == {
        "assessment": "G3-READ",
        "group": "all",
        "figure": 49.0,
        "province": 70.0,
        "gap": -21.0,
    }
    assert len(l1["weakest"]) == 3
    assert 0.9 < l1["similarity"] <= 1.0
    assert profiles["E-LIT"]["role"] == "example"
    assert profiles["E-LIT"]["similarity"] is None
    assert profiles["E-LIT"]["needs"] == 0  # 3 points below is not a need


def test_the_explanation_says_why_the_example_was_chosen() -> None:
    first = suggest_networks(province(), PROVINCE).suggestions[0]
    example = first.explanation["example"]
    assert example["number"] == "E-LIT"
    assert example["standings"] == [
        {
            "year": "2018-19",
            "actual": 72.0,
            "predicted": 60.0,
            "residual": 12.0,
            "standardized": 1.5,
        },
        {
            "year": "2017-18",
            "actual": 66.0,
            "predicted": 60.0,
            "residual": 6.0,
            "standardized": 0.75,
        },
    ]
    # Context distances: E-LIT sits 0.3 along the first axis; L1 at 0.1, L2 -0.1, L3 0.2, L4 -0.2.
    assert example["distances"] == {"L1": 0.2, "L2": 0.4, "L3": 0.1, "L4": 0.5}
    assert example["distance"] == 0.3


def test_a_hidden_figure_is_never_a_need_nor_shown() -> None:
    """A figure the gate hides is given as None (or left out): it makes no need, no likeness,
    and never appears in an explanation, whatever its real value was."""
    schools = province()
    hidden = figures()
    hidden[("G6-MATH", "ell")] = None  # its real value (say 5%) never reaches the module
    schools.append(school("H", "B2", hidden, near(MATH_PLACE, 0.0)))
    run = suggest_networks(schools, PROVINCE)
    assert all("H" not in s.schools for s in run.suggestions)
    text = json.dumps([s.explanation for s in run.suggestions])
    assert '"H"' not in text
    # The same with its figure left out rather than None.
    del hidden[("G6-MATH", "ell")]
    assert suggest_networks(schools, PROVINCE) == run


def test_a_need_only_one_member_has_is_in_its_profile_not_shared() -> None:
    schools = [s for s in province() if not s.number.startswith("L")]
    weak_ell = figures(G6_MATH=20, G6_MATH_ell=25)
    weak_ell[("G3-MATH", "all")] = 40.0
    schools[0] = school("M1", "B1", weak_ell, near(MATH_PLACE, 0.1))
    run = suggest_networks(schools, PROVINCE)
    explanation = run.suggestions[0].explanation
    # One member of four is below on it: a need of M1's, not one the group shares.
    assert all(n["group"] != "ell" for n in explanation["shared_needs"])
    m1 = next(p for p in explanation["schools"] if p["number"] == "M1")
    assert m1["weakest"][0] == {
        "assessment": "G6-MATH",
        "group": "ell",
        "figure": 15.0,
        "province": 40.0,
        "gap": -25.0,
    }


def test_excluded_schools_and_rejected_groups_are_left_out() -> None:
    run = suggest_networks(province(), PROVINCE, exclude=["L1"])
    assert all("L1" not in s.schools for s in run.suggestions)
    rejected = suggest_networks(province(), PROVINCE).suggestions[0].schools
    again = suggest_networks(province(), PROVINCE, avoid=[rejected])
    assert all(set(s.schools) != set(rejected) for s in again.suggestions)


def test_the_limit_stops_the_run() -> None:
    run = suggest_networks(province(), PROVINCE, settings=Settings(limit=1))
    assert [s.example for s in run.suggestions] == ["E-LIT"]


@pytest.mark.parametrize(
    "bad",
    [
        {"smallest": 1},
        {"smallest": 5, "largest": 4},
        {"need_points": -1},
        {"min_similarity": 2},
        {"limit": 0},
    ],
)
def test_it_refuses_settings_that_make_no_sense(bad) -> None:
    with pytest.raises(ValueError):
        Settings(**bad)


def test_no_school_no_suggestion() -> None:
    run = suggest_networks([], PROVINCE)
    assert (run.suggestions, run.schools, run.candidates) == ((), 0, 0)


def test_the_module_loads_no_django() -> None:
    code = (
        "import sys; import capacity.rounds.suggest; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={}
    )
    assert out.stdout.strip() == "False"
