"""Counts of themes and lessons on a hand-built set of plans, suggestions from hand-built
contexts, and late timelines (planning/selectors_themes.py)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from capacity.directory.models import SchoolContext
from capacity.planning import selectors_themes
from capacity.planning.cycle import ACT, OBSERVE, REFLECT, SUBMIT
from capacity.planning.models import Checkpoint, CoReflection, Goal, Plan, Strategy
from tests.factories import SchoolFactory
from tests.planning.kit_themes import plan_a1, timeline_a


def _plan(w, year: str, *, school=None, board=None) -> Plan:
    if school is not None:
        return Plan.objects.create(
            kind="school", school=school, board=school.board, school_year=year
        )
    return Plan.objects.create(kind="board", board=board, school_year=year)


@pytest.fixture
def tagged(world) -> dict[str, Plan]:
    """2018-19: A1, A2, board A's plan and B1; 2017-18: A1 and B1."""
    a1 = _plan(world, "2018-19", school=world.school_a1)
    a2 = _plan(world, "2018-19", school=world.school_a2)
    board_a = _plan(world, "2018-19", board=world.board_a)
    b1 = _plan(world, "2018-19", school=world.school_b1)
    old_a1 = _plan(world, "2017-18", school=world.school_a1)
    _plan(world, "2017-18", school=world.school_b1)
    goal = Goal.objects.create(plan=a1, statement="g", lessons=["equity", "learning_needs"])
    Strategy.objects.create(goal=goal, action="s", responsible="r", lessons=["equity"])
    CoReflection.objects.create(plan=a1, stage="plan", themes="t", lessons=["leadership"])
    Goal.objects.create(plan=a2, statement="g", lessons=["literacy_mathematics"])
    Goal.objects.create(plan=board_a, statement="untagged")
    b1_goal = Goal.objects.create(plan=b1, statement="g")
    Strategy.objects.create(
        goal=b1_goal, action="s", responsible="r", lessons=["equity", "monitor_impact"]
    )
    Goal.objects.create(plan=old_a1, statement="g", lessons=["literacy_mathematics"])
    return {"a1": a1, "b1": b1}


def row(rows, code):
    return next(r for r in rows if r.code == code)


def test_province_counts_by_lesson_and_theme(world, tagged) -> None:
    counts = selectors_themes.theme_counts(world.personas["ministry"], year="2018-19")
    assert (counts.year, counts.plans, counts.years) == ("2018-19", 4, ["2018-19", "2017-18"])
    equity = row(counts.lessons, "equity")
    assert (equity.goals, equity.strategies, equity.coreflections, equity.plans, equity.share) == (
        1,
        2,
        0,
        2,
        50.0,
    )
    assert row(counts.lessons, "leadership").coreflections == 1
    assert row(counts.lessons, "relationships").plans == 0
    belief = row(counts.themes, "belief")
    # A1's goal names two lessons of theme 2: one goal for the theme.
    assert (belief.goals, belief.strategies, belief.plans) == (1, 2, 2)
    assert row(counts.themes, "professional_learning").strategies == 1
    assert row(counts.themes, "programs").plans == 1


def test_province_counts_by_year_and_by_board_and_whats_rising(world, tagged) -> None:
    counts = selectors_themes.theme_counts(world.personas["ministry"])
    assert counts.year == "2018-19" and counts.previous_year == "2017-18"
    assert counts.by_year == [
        ("2017-18", 2, {"literacy_mathematics": 1}),
        (
            "2018-19",
            4,
            {
                "equity": 2,
                "learning_needs": 1,
                "leadership": 1,
                "literacy_mathematics": 1,
                "monitor_impact": 1,
            },
        ),
    ]
    assert [(b.number, n, tags) for b, n, tags in counts.by_board] == [
        (
            "B66001",
            3,
            {"equity": 1, "learning_needs": 1, "leadership": 1, "literacy_mathematics": 1},
        ),
        ("B66002", 1, {"equity": 1, "monitor_impact": 1}),
    ]
    assert [r.code for r in counts.rising_lessons] == ["equity"]
    assert [r.code for r in counts.rising_themes] == ["belief"]
    assert (counts.rising_lessons[0].share_before, counts.rising_lessons[0].share_now) == (
        0.0,
        50.0,
    )


def test_an_earlier_year_has_nothing_to_compare_with(world, tagged) -> None:
    counts = selectors_themes.theme_counts(world.personas["ministry"], year="2017-18")
    assert counts.previous_year == "" and counts.rising_lessons == []
    assert row(counts.lessons, "literacy_mathematics").share == 50.0


def test_a_boards_leader_counts_the_boards_plans_only(world, tagged) -> None:
    counts = selectors_themes.theme_counts(world.personas["board_a"], board=world.board_a)
    assert counts.plans == 3 and counts.by_board == []
    assert row(counts.lessons, "equity").plans == 1
    assert row(counts.lessons, "monitor_impact").plans == 0


@pytest.mark.parametrize(
    ("persona", "board"),
    [
        ("board_a", None),
        ("board_a", "b"),
        ("trustee_a", "a"),
        ("principal_a1", "a"),
        ("teacher_a1", None),
    ],
)
def test_counts_are_refused_outside_the_rule(world, tagged, persona, board) -> None:
    chosen = {"a": world.board_a, "b": world.board_b, None: None}[board]
    with pytest.raises(PermissionDenied):
        selectors_themes.theme_counts(world.personas[persona], board=chosen)


def test_counts_cost_a_fixed_number_of_queries(
    world, tagged, django_assert_max_num_queries
) -> None:
    user = world.personas["ministry"]
    selectors_themes.theme_counts(user)  # warms the scope
    with django_assert_max_num_queries(7):
        selectors_themes.theme_counts(user)


def test_the_export_rows_have_every_lesson_and_theme(world, tagged) -> None:
    counts = selectors_themes.theme_counts(world.personas["ministry"])
    rows = selectors_themes.theme_rows_for_export(counts)
    assert len(rows) == 12
    assert rows[0] == {
        "school_year": "2018-19",
        "level": "lesson",
        "code": "equity",
        "name": "Ensure equity as the foundation for excellence",
        "plans": 2,
        "share_of_plans": 50.0,
        "goals": 1,
        "strategies": 2,
        "coreflections": 0,
    }


# --- suggestions from context -----------------------------------------------------------


def _context(school, **values) -> None:
    SchoolContext.objects.create(school=school, school_year="2018-19", **values)


def test_a_school_plan_gets_the_circumstances_its_context_suggests(world) -> None:
    other = SchoolFactory(board=world.board_b)
    _context(world.school_a1, pct_low_income=40.0, pct_parents_no_degree=10.0)
    _context(world.school_a2, pct_low_income=10.0, pct_parents_no_degree=50.0)
    _context(world.school_b1, pct_low_income=20.0, pct_parents_no_degree=20.0)
    _context(other, pct_low_income=5.0, pct_parents_no_degree=30.0)
    view = selectors_themes.circumstances_for_plan(plan_a1(world))
    assert view.context is not None and view.context.school_year == "2018-19"
    assert view.lines == {"pct_low_income": 20.0, "pct_parents_no_degree": 30.0}
    assert [s.circumstance.code for s in view.suggestions] == ["resources", "social_exclusion"]
    assert view.suggestions[0].reasons[0].value == 40.0


def test_a_board_plan_has_no_circumstances(world) -> None:
    board_plan = _plan(world, "2018-19", board=world.board_a)
    assert selectors_themes.circumstances_for_plan(board_plan).suggestions == []


# --- late timelines -----------------------------------------------------------------------


def test_lateness_reads_the_boards_timeline_and_recorded_checkpoints(world) -> None:
    timeline_a(world)
    plan = plan_a1(world)
    steps = selectors_themes.lateness([plan], today=datetime.date(2019, 2, 1))
    assert [item.step for item in steps[plan.pk]] == [SUBMIT, ACT, OBSERVE]
    Checkpoint.objects.create(
        plan=plan,
        due=datetime.date(2019, 1, 15),
        title="Mid-year",
        recorded_at=datetime.datetime(2019, 1, 20, tzinfo=datetime.UTC),
    )
    Plan.objects.filter(pk=plan.pk).update(stage="act", review="accepted")
    plan.refresh_from_db()
    steps = selectors_themes.lateness([plan], today=datetime.date(2019, 7, 1))
    assert [item.step for item in steps[plan.pk]] == [REFLECT]


def test_a_plan_without_a_timeline_is_never_late(world) -> None:
    plan = plan_a1(world)
    assert selectors_themes.lateness([plan], today=datetime.date(2030, 1, 1)) == {plan.pk: []}


def test_reviewers_see_the_late_plans_they_review(world) -> None:
    timeline_a(world)
    plan = plan_a1(world)
    rows, total = selectors_themes.late_plans_to_review(world.personas["board_a"])
    assert total == 1 and rows[0][0] == plan
    assert selectors_themes.late_plans_to_review(world.personas["ministry"]) == (
        [],
        0,
    )  # board plans only
