"""From a report to the plan in one step: the team's actions, and the weakest characteristics."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from capacity.instruments import selectors, services
from capacity.instruments.models import Instrument, RoundAction
from capacity.planning.models import Characteristic, Goal, Plan, Strategy

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def board_round_with_answers(world, lean: dict[str, int]):
    round_, links = services.round_open(
        user=world.personas["board_a"],
        instrument=Instrument.objects.get(code="strong-districts"),
        board=world.board_a,
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=5),
        links=5,
    )
    definition = selectors.definition_of_round(round_)
    for token in links:
        answers = {i.code: lean.get(d.code, 3) for d in definition.dimensions for i in d.items}
        services.response_save(
            invitation=services.invitation_by_token(token), answers=answers, submit=True
        )
    return round_


def test_three_actions_become_goals_of_this_years_plan_in_one_step(world) -> None:
    round_ = board_round_with_answers(world, {})
    made = services.round_actions_add(
        round_=round_,
        user=world.personas["board_a"],
        actions=["Monthly data talks", "", "Coach principals"],
    )
    plan = Plan.objects.get(kind="board", board=world.board_a)
    assert [g.statement for g in plan.goals.all()] == ["Monthly data talks", "Coach principals"]
    assert [a.goal for a in made] == list(plan.goals.all())
    goal = plan.goals.first()
    services.round_actions_add(
        round_=round_, user=world.personas["board_a"], actions=["Visit classrooms"], goal=goal
    )
    assert Strategy.objects.get().action == "Visit classrooms"
    assert RoundAction.objects.count() == 3


def test_only_the_plans_team_turns_actions_into_the_plan_and_a_refusal_keeps_nothing(world) -> None:
    round_ = board_round_with_answers(world, {})
    with pytest.raises(PermissionDenied):
        services.round_actions_add(
            round_=round_, user=world.personas["ministry"], actions=["Do more"]
        )
    with pytest.raises(ValidationError):
        services.round_actions_add(
            round_=round_, user=world.personas["board_a"], actions=["a", "b", "c", "d"]
        )
    assert not RoundAction.objects.exists() and not Goal.objects.exists()


def test_the_weakest_characteristics_are_offered_as_tagged_board_plan_goals(world) -> None:
    round_ = board_round_with_answers(
        world, {"evidence": 1, "leadership": 2, "trustees": 2, "mission": 4}
    )
    leader = world.personas["board_a"]
    offered = selectors.next_steps(round_, selectors.round_report(round_), leader)["weakest"]
    assert [code for code, _name in offered] == ["evidence", "leadership", "trustees"]
    goal = services.characteristic_goal_add(round_=round_, user=leader, dimension="evidence")
    assert goal.characteristic == Characteristic.EVIDENCE and goal.plan.kind == "board"
    again = selectors.next_steps(round_, selectors.round_report(round_), leader)["weakest"]
    assert "evidence" not in [code for code, _name in again]
    with pytest.raises(ValidationError):
        services.characteristic_goal_add(round_=round_, user=leader, dimension="evidence")


def test_every_characteristic_of_the_instrument_has_its_planning_tag_in_order() -> None:
    from capacity.instruments.definition import from_json

    definition = from_json(Instrument.objects.get(code="strong-districts").definition)
    assert [services.CHARACTERISTIC_OF[d.code] for d in definition.dimensions] == list(
        Characteristic
    )


def test_the_report_page_offers_the_team_its_next_steps(client, world) -> None:
    round_ = board_round_with_answers(world, {"evidence": 1})
    client.force_login(world.personas["board_a"])
    page = client.get(f"/surveys/{round_.pk}/report/").content.decode()
    assert (
        "Three actions for the next weeks" in page and 'name="dimension" value="evidence"' in page
    )
    answer = client.post(f"/surveys/{round_.pk}/actions/", {"action": ["Weekly walk-throughs"]})
    assert answer.status_code == 302
    assert Goal.objects.get().statement == "Weekly walk-throughs"
    client.force_login(world.personas["ministry"])
    assert 'name="dimension"' not in client.get(f"/surveys/{round_.pk}/report/").content.decode()
