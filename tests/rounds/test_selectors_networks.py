"""Reads of networks' work: impact through the disclosure gate (and why a network's figure never
gives a hidden one away), the three cultures' signals, a cycle's visits, scoping."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from capacity.directory.models import Membership, Network, Role, School
from capacity.evidence.models import Result
from capacity.evidence.services import assessments_ensure
from capacity.rounds import selectors_networks as selectors
from capacity.rounds.models import (
    Agreement,
    NetworkAction,
    NetworkCycle,
    NetworkSuggestion,
    NextStep,
    ProblemOfPractice,
    Protocol,
    Visit,
    VisitMember,
)
from tests.factories import SchoolFactory

MEASURE = [{"assessment": "G6-MATH", "group": "all", "target": 50.0}]


def results(school: School, year: str, pct: float | None, n: int | None, group="all") -> None:
    ids = assessments_ensure()
    Result.objects.update_or_create(
        school=school,
        school_year=year,
        assessment_id=ids["G6-MATH"],
        group=group,
        defaults={"participating": n, "pct_at_standard": pct, "status": "" if pct else "nr"},
    )


@pytest.fixture
def trio(world) -> Network:
    """The world's network with a third school: A2 (40 students at 40%), B1 (20 at 70%) and
    C (8 students at 90%: too few to publish)."""
    third = SchoolFactory(board=world.board_b, number="700009", name="Cedar School")
    world.network.schools.add(third)
    results(world.school_a2, "2018-19", 40.0, 40)
    results(world.school_b1, "2018-19", 70.0, 20)
    results(third, "2018-19", 90.0, 8)
    return world.network


def test_the_network_figure_pools_published_figures_by_their_students(trio) -> None:
    [measure] = selectors.impact(trio, MEASURE)
    [year] = measure.years
    # (40 x 40 + 70 x 20) / 60 = 50.0; Cedar's 8 students are not published and not pooled.
    assert (year.figure, year.students, year.pooled, year.hidden) == (50.0, 60, 2, 1)
    assert year.target_met is True
    cedar = next(f for f in year.schools if f.school.number == "700009")
    assert (cedar.figure, cedar.participating, cedar.hidden) == (None, None, True)


def test_no_subtraction_recovers_a_hidden_figure(trio) -> None:
    """The network's figure times its students, less each shown school's, is zero: the
    published figures give it back exactly, with nothing left for the hidden school. And the
    hidden figure, whatever it is, changes nothing shown."""
    [year] = selectors.impact(trio, MEASURE)[0].years
    shown = [f for f in year.schools if f.figure is not None]
    leftover = year.figure * year.students - sum(f.figure * f.participating for f in shown)
    assert leftover == pytest.approx(0.0)
    results(School.objects.get(number="700009"), "2018-19", 10.0, 8)
    assert selectors.impact(trio, MEASURE)[0].years[0] == year


def test_a_group_hidden_to_protect_another_is_not_pooled_either(trio, world) -> None:
    """Girls at B1 are too few (6); boys are hidden too (the complementary rule), so neither
    girls' nor boys' figure of B1 enters the network's figure."""
    results(world.school_b1, "2018-19", 80.0, 6, group="female")
    results(world.school_b1, "2018-19", 60.0, 14, group="male")
    results(world.school_a2, "2018-19", 45.0, 20, group="male")
    [measure] = selectors.impact(trio, [{"assessment": "G6-MATH", "group": "male"}])
    [year] = measure.years
    b1 = next(f for f in year.schools if f.school == world.school_b1)
    assert b1.hidden and b1.figure is None
    assert (year.figure, year.students, year.pooled) == (45.0, 20, 1)


def test_figures_without_counts_cannot_be_pooled(trio, world) -> None:
    results(world.school_a2, "2018-19", 40.0, None)
    [year] = selectors.impact(trio, MEASURE)[0].years
    assert (year.figure, year.why_none, year.target_met) == (None, "counts", None)
    a2 = next(f for f in year.schools if f.school == world.school_a2)
    assert a2.figure == 40.0  # still shown for the school itself


def test_a_measure_without_results_has_no_years(trio) -> None:
    [measure] = selectors.impact(trio, [{"assessment": "G3-READ", "group": "all"}])
    assert measure.years == ()


def test_member_results_are_gated(trio, world) -> None:
    year, rows = selectors.member_results(trio)
    assert year == "2018-19"
    figures = {school.number: f.get("G6-MATH") for school, f in rows}
    assert figures["700009"]["pct_at_standard"] is None
    assert figures[world.school_b1.number]["pct_at_standard"] == 70.0


# --- the three cultures ------------------------------------------------------------------------


def visit(world, school, cycle, members=(), debriefed=False) -> Visit:
    problem = ProblemOfPractice.objects.create(
        school=school, board=school.board, school_year="2024-25", evidence="e", statement="s"
    )
    made = Visit.objects.create(
        problem=problem,
        school=school,
        board=school.board,
        network=cycle.network,
        cycle=cycle,
        on=datetime.date(2024, 11, 5),
        facilitator=world.personas["facilitator"],
        debriefed_at=datetime.datetime(2024, 11, 6, tzinfo=datetime.UTC) if debriefed else None,
    )
    for person in members:
        VisitMember.objects.create(visit=made, person=person)
    return made


def signal(signals, code):
    return next(s for s in signals if s.code == code)


def test_signals_with_no_visits_and_no_agreement_say_what_they_cannot_tell(world) -> None:
    cycle = NetworkCycle.objects.create(network=world.network, number=1, focus="f")
    signals = selectors.culture_signals(cycle)
    assert {s.culture for s in signals} == {"balkanisation", "comfortable", "contrived"}
    assert not any(s.shown for s in signals)
    assert all(s.cannot_tell for s in signals)


def test_visits_in_one_board_with_no_visitor_from_another_school_signal_balkanisation(
    world,
) -> None:
    cycle = NetworkCycle.objects.create(network=world.network, number=1, focus="f")
    visit(world, world.school_b1, cycle, members=[world.personas["principal_b1"]])
    signals = selectors.culture_signals(cycle)
    assert signal(signals, "one_place").shown
    assert signal(signals, "no_visitors_from_members").shown
    a2_teacher = world.personas["board_a"]  # a board leader holds no school role: not counted
    visit(world, world.school_a2, cycle, members=[a2_teacher])
    signals = selectors.culture_signals(cycle)
    assert not signal(signals, "one_place").shown
    assert signal(signals, "no_visitors_from_members").shown
    Membership.objects.create(
        user=world.personas["principal_b1"], role=Role.TEACHER, school=world.school_b1
    )
    from capacity.directory.models import User

    a2_staff = User.objects.create(username="a2_teacher")
    Membership.objects.create(user=a2_staff, role=Role.TEACHER, school=world.school_a2)
    visit(world, world.school_b1, cycle, members=[a2_staff])
    assert not signal(selectors.culture_signals(cycle), "no_visitors_from_members").shown


def test_debriefs_that_led_to_nothing_signal_comfortable_collaboration(world) -> None:
    cycle = NetworkCycle.objects.create(network=world.network, number=1, focus="f")
    made = visit(world, world.school_b1, cycle, debriefed=True)
    assert signal(selectors.culture_signals(cycle), "no_next_work").shown
    NextStep.objects.create(visit=made, horizon="week", text="Try partner talk")
    assert not signal(selectors.culture_signals(cycle), "no_next_work").shown
    NetworkAction.objects.create(
        network=world.network, cycle=cycle, text="Late", due=datetime.date(2020, 1, 1)
    )
    assert signal(selectors.culture_signals(cycle), "overdue_actions").shown


def test_an_agreement_few_members_took_part_in_signals_contrived_congeniality(world) -> None:
    cycle = NetworkCycle.objects.create(network=world.network, number=1, focus="f")
    agreement = Agreement.objects.create(
        network=world.network, number=1, priorities="p", measures=MEASURE,
        agreed_on=datetime.date(2024, 9, 1),
    )  # fmt: skip
    assert signal(selectors.culture_signals(cycle), "agreement_without_members").shown
    agreement.schools.set([world.school_b1])  # one of two: half took part
    assert not signal(selectors.culture_signals(cycle), "agreement_without_members").shown


# --- a cycle's visits, scoping ------------------------------------------------------------------


def test_a_cycle_lists_visits_with_themes_to_those_who_read_them(world) -> None:
    cycle = NetworkCycle.objects.create(
        network=world.network, number=1, focus="f", stage=Protocol.CO_TEACH
    )
    made = visit(world, world.school_b1, cycle, debriefed=True)
    made.grouping = {
        "version": 1,
        "choice": "asked",
        "scores": [],
        "notes": {"1": [["fraction", "fractions", 1.0]], "2": [["fraction", "fractions", 1.0]]},
        "groups": [{"key": "g1", "name": "Fractions with models", "notes": ["1", "2"]}],
        "ungrouped": [],
    }
    made.save()
    facilitator = selectors.cycle_visits(world.personas["facilitator"], cycle)
    assert [v.themes for v in facilitator] == [("Fractions with models",)]
    assert selectors.cycle_visits(world.personas["principal_b1"], cycle)
    assert selectors.cycle_visits(world.personas["trustee_a"], cycle) == []


def test_suggestions_are_for_those_who_form_networks(world) -> None:
    NetworkSuggestion.objects.create(school_year="2018-19", explanation={})
    assert selectors.suggestions_for(world.personas["facilitator"]).count() == 1
    assert selectors.suggestions_for(world.personas["board_a"]).count() == 0
    with pytest.raises(PermissionDenied):
        selectors.get_suggestion_for_user(world.personas["principal_b1"], 1)
    assert selectors.waiting_suggestions(world.personas["ministry"]) == {"2018-19": 1}


def test_the_network_is_led_by_its_facilitators_and_the_ministry(world) -> None:
    pk = world.network.pk
    assert selectors.get_network_for_user(world.personas["facilitator"], pk)[1]
    assert selectors.get_network_for_user(world.personas["ministry"], pk)[1]
    assert not selectors.get_network_for_user(world.personas["principal_b1"], pk)[1]
    with pytest.raises(PermissionDenied):
        selectors.get_network_for_user(world.personas["principal_a1"], pk)


def test_problems_to_plan_a_visit_from_are_for_leads_only(world) -> None:
    ProblemOfPractice.objects.create(
        school=world.school_b1, board=world.board_b, school_year="2024-25", evidence="e",
        statement="Grade 6 students explain little",
    )  # fmt: skip
    assert len(selectors.visit_problems(world.personas["facilitator"], world.network)) == 1
    assert selectors.visit_problems(world.personas["principal_b1"], world.network) == []


def test_actions_due_lists_open_dated_actions_soonest_first(world) -> None:
    today = datetime.date(2024, 10, 1)
    NetworkAction.objects.create(
        network=world.network, text="later", due=datetime.date(2024, 12, 1)
    )
    NetworkAction.objects.create(network=world.network, text="soon", due=datetime.date(2024, 10, 5))
    NetworkAction.objects.create(network=world.network, text="late", due=datetime.date(2024, 9, 1))
    due = selectors.actions_due([world.network], today)
    assert [a.text for a in due] == ["late", "soon"]
