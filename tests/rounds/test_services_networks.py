"""Networks' work: suggestions run and decided, agreements in versions, cycles through the four
stages, actions. The province is tests/rounds/networks_world.py."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from capacity.audit.models import Action, AuditEntry
from capacity.directory.models import Membership, Network, Role, School
from capacity.evidence.selectors import forget_cached, forget_data_version
from capacity.notifications.models import Notification
from capacity.rounds import services_networks as services
from capacity.rounds import suggest
from capacity.rounds.models import NetworkSuggestion, Protocol, SuggestionState
from tests.rounds import networks_world

YEAR = "2018-19"
WEAK = {"800001", "800002", "800003", "800004", "800005", "800006"}


@pytest.fixture
def province(world, django_capture_on_commit_callbacks):
    return networks_world.build(world)


def run(world, persona="ministry", **kwargs):
    return services.network_suggestions_run(
        user=world.personas[persona], school_year=YEAR, **kwargs
    )


def numbers(suggestion) -> set[str]:
    return set(suggestion.schools.values_list("number", flat=True))


# --- the evidence a run reads ------------------------------------------------------------------


def test_it_reads_published_figures_standings_and_contexts(world, province) -> None:
    evidence = services.suggestion_evidence(year=YEAR)
    assert evidence.previous_year == "2017-18"
    by_number = {s.number: s for s in evidence.schools}
    assert set(by_number) == set(networks_world.SCHOOLS)
    # N1's ELL figures (6 students) are hidden: they are not among its figures at all.
    assert not any(group == "ell" for _code, group in by_number["800001"].figures)
    assert ("G6-MATH", "ell") in by_number["800002"].figures
    example = by_number["800007"]
    assert [s.year for s in example.standings] == ["2018-19", "2017-18"]
    assert example.standings[0].existence_proof and example.standings[1].residual > 0
    assert example.position is not None and len(example.position) == 5
    assert set(example.context) == {
        "pct_low_income",
        "pct_language_learners",
        "pct_special_education",
        "pct_parents_no_degree",
    }
    assert evidence.province[("G6-MATH", "all")] == pytest.approx(31.9, abs=0.1)


# --- running suggestions ----------------------------------------------------------------------


def test_a_run_groups_the_weak_schools_with_the_one_that_beats_the_odds(world, province) -> None:
    made = run(world)
    assert len(made) == 1
    suggestion = made[0]
    assert numbers(suggestion) == WEAK | {"800007"}
    explanation = suggestion.explanation
    assert explanation["example"]["number"] == "800007"
    assert explanation["boards"] == 3
    needs = {(n["assessment"], n["group"]) for n in explanation["shared_needs"]}
    assert {("G3-MATH", "all"), ("G6-MATH", "all")} <= needs
    assert explanation["run"]["previous_year"] == "2017-18"
    entry = AuditEntry.objects.get(action=Action.NETWORKS_SUGGESTED)
    assert entry.detail["created"] == 1 and entry.actor == world.personas["ministry"]


def test_a_hidden_figure_never_shows_nor_changes_anything(world, province) -> None:
    """N1's ELL figures are hidden (6 students). Its G6 mathematics ELL figure, 5% or 95%, gives
    the same suggestion and explanation, and the explanation holds none of N1's ELL figures."""
    first = run(world)[0].explanation
    text = json.dumps(first)
    for need in first["shared_needs"]:
        if need["group"] == "ell":
            assert "800001" not in need["figures"]
    School.objects.get(number="800001").results.filter(
        group="ell", school_year=YEAR, assessment__code="G6-MATH"
    ).update(pct_at_standard=95.0)
    forget_data_version()
    forget_cached()
    second = run(world)[0].explanation
    assert json.dumps(second) == text


def test_only_those_who_form_networks_run_suggestions(world, province) -> None:
    assert run(world, "facilitator")
    for persona in ("board_a", "principal_a1", "teacher_a1", "trustee_a", "principal_b1"):
        with pytest.raises(PermissionDenied):
            run(world, persona)


def test_a_year_without_results_is_refused(world, province) -> None:
    with pytest.raises(ValidationError) as error:
        services.network_suggestions_run(user=world.personas["ministry"], school_year="2030-31")
    assert "school_year" in error.value.message_dict


def test_a_new_run_replaces_the_waiting_suggestions(world, province) -> None:
    first = run(world)[0]
    again = run(world)
    assert not NetworkSuggestion.objects.filter(pk=first.pk).exists()
    assert len(again) == 1
    assert AuditEntry.objects.filter(action=Action.NETWORKS_SUGGESTED).last().detail[
        "replaced"
    ] in (0, 1)


def test_a_run_leaves_out_schools_of_accepted_suggestions_and_rejected_groups(
    world, province
) -> None:
    suggestion = run(world)[0]
    services.network_suggestion_reject(
        user=world.personas["ministry"], suggestion=suggestion, reason="Too far apart."
    )
    assert run(world) == []  # the same group is not suggested again
    NetworkSuggestion.objects.all().delete()
    suggestion = run(world)[0]
    services.network_suggestion_accept(
        user=world.personas["ministry"],
        suggestion=suggestion,
        schools=list(suggestion.schools.all()),
        name="Junior Mathematics Across Boards",
        purpose="Grade 3 and 6 mathematics.",
    )
    assert run(world) == []  # its schools are taken this year


def test_a_run_can_be_limited_to_some_boards(world, province) -> None:
    made = run(world, boards=["B66001"], settings=suggest.Settings(smallest=2))
    assert made == []  # board A alone has no school that beats the odds


# --- deciding ----------------------------------------------------------------------------------


def accept(world, suggestion, persona="facilitator", **kwargs):
    values = {
        "schools": list(suggestion.schools.all()),
        "name": "Junior Mathematics Across Boards",
        "purpose": "Grade 3 and 6 mathematics, from level 2 to level 3.",
    } | kwargs
    return services.network_suggestion_accept(
        user=world.personas[persona], suggestion=suggestion, **values
    )


def test_a_facilitator_accepts_with_edited_schools_and_facilitates_the_network(
    world, province, django_capture_on_commit_callbacks
) -> None:
    suggestion = run(world)[0]
    chosen = [s for s in suggestion.schools.all() if s.number != "800006"] + [world.school_b1]
    with django_capture_on_commit_callbacks(execute=True):
        network = accept(world, suggestion, schools=chosen)
    assert set(network.schools.values_list("number", flat=True)) == (
        WEAK - {"800006"} | {"800007", world.school_b1.number}
    )
    assert Membership.objects.filter(
        user=world.personas["facilitator"], network=network, role=Role.NETWORK_FACILITATOR
    ).exists()
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestionState.ACCEPTED
    assert (suggestion.network, suggestion.decided_by) == (network, world.personas["facilitator"])
    assert numbers(suggestion) == WEAK | {"800007"}  # what was suggested stays on record
    entry = AuditEntry.objects.get(action=Action.NETWORK_FORMED)
    assert entry.detail["added"] == [world.school_b1.number]
    assert entry.detail["left_out"] == ["800006"]
    # B1's principal hears of it; the facilitator who acted does not.
    told = Notification.objects.filter(kind="rounds_network_formed")
    assert set(told.values_list("recipient__username", flat=True)) == {"principal_b1"}


def test_a_ministry_officer_who_accepts_does_not_become_facilitator(world, province) -> None:
    network = accept(world, run(world)[0], persona="ministry")
    assert not Membership.objects.filter(network=network).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "North Shore Numeracy Network"}, "name"),
        ({"purpose": ""}, "purpose"),
        ({"schools": []}, "schools"),
    ],
)
def test_accepting_needs_a_new_name_a_purpose_and_two_schools(
    world, province, change, field
) -> None:
    suggestion = run(world)[0]
    with pytest.raises(ValidationError) as error:
        accept(world, suggestion, **change)
    assert field in error.value.message_dict
    assert NetworkSuggestion.objects.get(pk=suggestion.pk).state == SuggestionState.PROPOSED


def test_a_decision_is_final_and_a_second_one_says_who_decided(world, province) -> None:
    suggestion = run(world)[0]
    services.network_suggestion_reject(
        user=world.personas["ministry"], suggestion=suggestion, reason="Not this year."
    )
    with pytest.raises(ValidationError) as error:
        accept(world, suggestion)
    assert "Ministry" in error.value.messages[0]
    assert Network.objects.count() == 1  # the world's own network only


def test_rejecting_needs_a_reason_and_is_audited(world, province) -> None:
    suggestion = run(world)[0]
    with pytest.raises(ValidationError):
        services.network_suggestion_reject(
            user=world.personas["ministry"], suggestion=suggestion, reason="  "
        )
    services.network_suggestion_reject(
        user=world.personas["facilitator"], suggestion=suggestion, reason="Two are closing."
    )
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.reason) == (SuggestionState.REJECTED, "Two are closing.")
    entry = AuditEntry.objects.get(action=Action.SUGGESTION_REJECTED)
    assert entry.detail["reason"] == "Two are closing."


def test_only_those_who_form_networks_decide(world, province) -> None:
    suggestion = run(world)[0]
    with pytest.raises(PermissionDenied):
        accept(world, suggestion, persona="principal_b1")
    with pytest.raises(PermissionDenied):
        services.network_suggestion_reject(
            user=world.personas["board_a"], suggestion=suggestion, reason="No."
        )


# --- agreements --------------------------------------------------------------------------------

MEASURES = [{"assessment": "G6-MATH", "group": "all", "target": 60}]


def record(world, based_on=0, persona="facilitator", **kwargs):
    values = {
        "priorities": "Mathematics talk in every junior classroom.",
        "norms": "We visit each other's classrooms every term.",
        "measures": MEASURES,
        "agreed_on": datetime.date(2024, 9, 20),
        "schools": [world.school_b1],
    } | kwargs
    return services.agreement_record(
        user=world.personas[persona], network=world.network, based_on=based_on, **values
    )


def test_each_change_is_a_new_numbered_version(world, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = record(world)
        second = record(world, based_on=1, priorities="Mathematics and reading.")
    assert (first.number, second.number) == (1, 2)
    assert world.network.agreements.get(number=1).priorities.startswith("Mathematics talk")
    assert list(second.schools.all()) == [world.school_b1]
    assert second.measures == [{"assessment": "G6-MATH", "group": "all", "target": 60.0}]
    assert AuditEntry.objects.filter(action=Action.AGREEMENT_RECORDED).count() == 2
    told = Notification.objects.filter(kind="rounds_agreement_recorded")
    assert set(told.values_list("recipient__username", flat=True)) == {"principal_b1"}
    assert told.count() == 2


def test_a_version_started_from_an_older_one_is_refused(world) -> None:
    record(world)
    record(world, based_on=1)
    with pytest.raises(ValidationError) as error:
        record(world, based_on=1, priorities="Mine")
    assert "Version 2" in error.value.messages[0]
    assert world.network.agreements.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"priorities": ""}, "priorities"),
        ({"measures": []}, "measures"),
        ({"measures": [{"assessment": "NOPE", "group": "all"}]}, "measures"),
        ({"measures": [{"assessment": "G6-MATH", "group": "pets"}]}, "measures"),
        ({"measures": [{"assessment": "G6-MATH", "group": "all", "target": 120}]}, "measures"),
        ({"measures": [{"assessment": "G6-MATH"}, {"assessment": "G6-MATH"}]}, "measures"),
        ({"agreed_on": timezone.localdate() + datetime.timedelta(days=3)}, "agreed_on"),
    ],
)
def test_an_agreement_is_checked(world, change, field) -> None:
    from capacity.evidence.services import assessments_ensure

    assessments_ensure()
    with pytest.raises(ValidationError) as error:
        record(world, **change)
    assert field in error.value.message_dict


def test_only_member_schools_take_part(world) -> None:
    with pytest.raises(ValidationError) as error:
        record(world, schools=[world.school_a1])
    assert "schools" in error.value.message_dict


def test_only_the_network_s_leads_record_its_agreement(world) -> None:
    record(world, persona="ministry")
    for persona in ("principal_b1", "board_a", "trustee_a", "teacher_a1"):
        with pytest.raises(PermissionDenied):
            record(world, based_on=1, persona=persona)


# --- cycles ------------------------------------------------------------------------------------


def new_cycle(world, persona="facilitator"):
    return services.network_cycle_create(
        user=world.personas[persona], network=world.network, focus="Talk in mathematics"
    )


def write(world, cycle, **records):
    return services.network_cycle_update(
        user=world.personas["facilitator"],
        cycle=cycle,
        version=cycle.version,
        focus=cycle.focus,
        records={stage.value: getattr(cycle, stage.value) for stage in services.STAGES} | records,
    )


def advance(world, cycle, to):
    return services.network_cycle_advance(
        user=world.personas["facilitator"], cycle=cycle, version=cycle.version, to=to
    )


def test_a_cycle_goes_through_the_four_stages_in_order(world) -> None:
    cycle = new_cycle(world)
    assert (cycle.number, cycle.stage) == (1, Protocol.CO_PLAN)
    cycle = write(world, cycle, co_plan="A task on equivalent fractions.")
    cycle = advance(world, cycle, "co_teach")
    cycle = write(world, cycle, co_teach="Taught in two schools.")
    cycle = advance(world, cycle, "co_debrief")
    cycle = write(world, cycle, co_debrief="Students explained with models.")
    cycle = advance(world, cycle, "co_reflect")
    cycle = services.network_cycle_update(
        user=world.personas["facilitator"],
        cycle=cycle,
        version=cycle.version,
        focus=cycle.focus,
        records={"co_reflect": "We will plan tasks at the analysis level."},
        cultures={
            "balkanisation": {"noticed": True, "seen": "Each school sent only its own staff."},
            "comfortable": {"noticed": False, "seen": ""},
            "contrived": {"noticed": False, "seen": ""},
        },
    )
    cycle = advance(world, cycle, "done")
    assert cycle.stage == Protocol.DONE
    assert cycle.cultures["balkanisation"] == {
        "noticed": True,
        "seen": "Each school sent only its own staff.",
    }
    assert cycle.co_plan == "A task on equivalent fractions."  # earlier records kept


def test_a_cycle_refuses_skipping_a_stage_with_a_reason(world) -> None:
    cycle = write(world, new_cycle(world), co_plan="Plan")
    with pytest.raises(ValidationError) as error:
        advance(world, cycle, "co_debrief")
    assert "after co-plan comes co-teach" in error.value.messages[0]
    with pytest.raises(ValidationError):
        advance(world, cycle, "backwards")


def test_a_stage_is_recorded_before_the_cycle_moves_on(world) -> None:
    cycle = new_cycle(world)
    with pytest.raises(ValidationError) as error:
        advance(world, cycle, "co_teach")
    assert "co_plan" in error.value.message_dict


def test_a_stage_not_reached_has_no_record_yet(world) -> None:
    cycle = new_cycle(world)
    with pytest.raises(ValidationError) as error:
        write(world, cycle, co_debrief="Too early")
    assert "co_debrief" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.network_cycle_update(
            user=world.personas["facilitator"],
            cycle=cycle,
            version=cycle.version,
            focus=cycle.focus,
            records={},
            cultures={"balkanisation": {"noticed": False, "seen": ""}},
        )


def test_the_cycle_ends_once_the_three_cultures_are_answered(world) -> None:
    cycle = new_cycle(world)
    for stage, following in (
        ("co_plan", "co_teach"),
        ("co_teach", "co_debrief"),
        ("co_debrief", "co_reflect"),
    ):
        cycle = advance(world, write(world, cycle, **{stage: "Recorded"}), following)
    cycle = write(world, cycle, co_reflect="Reflected")
    with pytest.raises(ValidationError) as error:
        advance(world, cycle, "done")
    assert "three cultures" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        services.network_cycle_update(
            user=world.personas["facilitator"],
            cycle=cycle,
            version=cycle.version,
            focus=cycle.focus,
            records={"co_reflect": "Reflected"},
            cultures={"contrived": {"noticed": True, "seen": ""}},
        )
    assert "contrived" in error.value.message_dict  # noticed: say what was seen


def test_a_stale_edit_of_a_cycle_is_refused(world) -> None:
    cycle = new_cycle(world)
    write(world, cycle, co_plan="First")
    with pytest.raises(ValidationError) as error:
        write(world, cycle, co_plan="Second, from the old version")
    assert "after you opened it" in error.value.messages[0]
    cycle.refresh_from_db()
    assert cycle.co_plan == "First"


def test_one_cycle_at_a_time(world) -> None:
    new_cycle(world)
    with pytest.raises(ValidationError):
        new_cycle(world)


def test_only_leads_write_cycles(world) -> None:
    for persona in ("principal_b1", "board_a", "teacher_a1"):
        with pytest.raises(PermissionDenied):
            new_cycle(world, persona)
    cycle = new_cycle(world, "ministry")
    with pytest.raises(PermissionDenied):
        services.network_cycle_advance(
            user=world.personas["principal_b1"], cycle=cycle, version=1, to="co_teach"
        )


# --- actions -----------------------------------------------------------------------------------


def test_an_action_is_added_changed_and_marked_done(world) -> None:
    lead = world.personas["facilitator"]
    action = services.network_action_create(
        user=lead, network=world.network, text="Share the fractions task", due=None
    )
    due = datetime.date(2024, 10, 1)
    action = services.network_action_update(
        user=lead, action=action, done=False, text="Share the task", due=due,
        seen_text="Share the fractions task", seen_due=None,
    )  # fmt: skip
    assert (action.text, action.due, action.done_at) == ("Share the task", due, None)
    action = services.network_action_update(user=lead, action=action, done=True)
    assert action.done_at is not None
    first_done = action.done_at
    action = services.network_action_update(user=lead, action=action, done=True)
    assert action.done_at == first_done  # marking it done twice keeps the first date
    action = services.network_action_update(user=lead, action=action, done=False)
    assert action.done_at is None


def test_a_stale_change_of_an_action_is_refused(world) -> None:
    lead = world.personas["facilitator"]
    action = services.network_action_create(user=lead, network=world.network, text="Visit B1")
    services.network_action_update(
        user=lead, action=action, done=False, text="Visit B1 in May", seen_text="Visit B1"
    )
    with pytest.raises(ValidationError):
        services.network_action_update(
            user=lead, action=action, done=False, text="Visit B1 in June", seen_text="Visit B1"
        )
    action.refresh_from_db()
    assert action.text == "Visit B1 in May"


def test_only_leads_change_actions(world) -> None:
    with pytest.raises(PermissionDenied):
        services.network_action_create(
            user=world.personas["principal_b1"], network=world.network, text="Mine"
        )
    with pytest.raises(ValidationError):
        services.network_action_create(
            user=world.personas["facilitator"], network=world.network, text=" "
        )
