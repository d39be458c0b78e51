"""Reading rounds: who sees which, what is left to answer, the change since the last round."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from capacity.instruments import scoring, selectors, services
from capacity.instruments.models import Instrument, Round

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def opened(world, *, school=None, opens_on=TODAY, code="professional-capital", links=0):
    return services.round_open(
        user=world.personas["board_a"],
        instrument=Instrument.objects.get(code=code),
        board=None if school else world.board_a,
        school=school,
        opens_on=opens_on,
        closes_on=TODAY + datetime.timedelta(days=5),
        links=links,
        roles=["principal"] if code == "professional-capital" else None,
    )


def test_rounds_are_listed_to_those_who_run_them_only(world) -> None:
    board_round, _ = opened(world, code="strong-districts")
    school_round, _ = opened(world, school=world.school_a1)
    seen = {
        name: set(selectors.rounds_run_by(world.personas[name]))
        for name in world.personas
        if name != "anonymous"
    }
    assert seen["ministry"] == seen["board_a"] == {board_round, school_round}
    assert seen["principal_a1"] == seen["team_a1"] == {school_round}
    for outsider in ("teacher_a1", "trustee_a", "principal_b1", "facilitator"):
        assert seen[outsider] == set()


def test_what_is_left_to_answer_leaves_out_sent_answers_and_rounds_not_open(world) -> None:
    now, _ = opened(world, school=world.school_a1)
    later, _ = opened(world, school=world.school_a1, opens_on=TODAY + datetime.timedelta(days=2))
    principal = world.personas["principal_a1"]
    assert [i.round for i in selectors.to_answer(principal)] == [now]
    invitation = selectors.get_invitation(principal, now.pk)
    answers = {item.code: 3 for item in selectors.definition_of_round(now).items}
    services.response_save(invitation=invitation, answers=answers, submit=True)
    assert selectors.to_answer(principal) == []
    assert later.invitations.filter(user=principal).exists()


def test_a_report_is_read_by_its_runners_and_by_those_invited_once_it_closes(world) -> None:
    round_, _ = opened(world, school=world.school_a1)
    assert selectors.get_round_to_read(world.personas["board_a"], round_.pk) == round_
    with pytest.raises(Http404):
        selectors.get_round_to_read(world.personas["principal_b1"], round_.pk)
    with pytest.raises(PermissionDenied):
        selectors.get_round_to_run(world.personas["teacher_a1"], round_.pk)
    services.round_close(round_=round_, user=world.personas["board_a"])
    assert selectors.get_round_to_read(world.personas["principal_a1"], round_.pk) == round_


def test_submitted_answers_carry_role_and_side_and_nothing_about_the_person(world) -> None:
    round_, links = opened(world, school=world.school_a1, links=1)
    invitation = services.invitation_by_token(links[0])
    answers = {item.code: 2 for item in selectors.definition_of_round(round_).items}
    services.response_save(invitation=invitation, answers=answers, submit=True)
    (answered,) = selectors.submitted_answers(round_)
    assert {f.name for f in dataclasses.fields(answered)} == {"answers", "role", "rater", "comment"}
    assert selectors.response_rate(round_) == selectors.Rate(invited=2, submitted=1)


def test_the_change_is_measured_against_the_last_round_of_the_same_structure(
    world, monkeypatch
) -> None:
    monkeypatch.setattr(scoring, "ALPHA_MINIMUM", 10)
    first, first_links = opened(world, school=world.school_a1, links=5)
    second, second_links = opened(world, school=world.school_a1, links=5)
    Round.objects.filter(pk=first.pk).update(opens_on=TODAY - datetime.timedelta(days=30))
    first.refresh_from_db()
    items = selectors.definition_of_round(first).items
    for token in first_links:
        invitation = services.invitation_by_token(token)
        services.response_save(
            invitation=invitation, answers={i.code: 2 for i in items}, submit=True
        )
    for token in second_links:
        invitation = services.invitation_by_token(token)
        services.response_save(
            invitation=invitation, answers={i.code: 4 for i in items}, submit=True
        )
    assert selectors.previous_round(second) == first
    report = selectors.round_report(second)
    human = report.dimensions[0]
    # 15 human-capital items, one reverse-scored: 14 x 4 + (6 - 4) = 58 now, 14 x 2 + (6 - 2) = 32 before.
    assert human.figure.mean == 58 and human.change == 58 - 32
