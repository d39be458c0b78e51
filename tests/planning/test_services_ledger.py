"""The ledger's writes: who records capacity given, whether it helped (with a version check), and
how a request the board cannot meet goes on to the ministry."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from capacity.audit.models import Action, AuditEntry
from capacity.notifications.models import Notification
from capacity.planning import services, services_ledger
from capacity.planning.models import CapacityGift, SupportRequest
from tests.planning.ledger_kit import ask, give


def test_it_records_what_a_board_gives_its_school(world) -> None:
    gift = give(world, kind="release_days", amount="3", note="Release for co-planning")
    assert gift.given_by == CapacityGift.Giver.BOARD
    assert gift.board == world.board_a and gift.school == world.school_a1
    assert gift.amount == Decimal("3") and gift.helped == "" and gift.version == 1
    entry = AuditEntry.objects.get(action=Action.CAPACITY_GIVEN)
    assert entry.detail["capacity"] == "release_days" and entry.detail["amount"] == "3.00"


def test_the_ministry_gives_to_any_school_or_to_a_board(world) -> None:
    to_b1 = give(world, by="ministry", school=world.school_b1, kind="funding", amount="1500")
    to_board = give(world, by="ministry", board=world.board_b, kind="visits", amount="2")
    assert to_b1.given_by == to_board.given_by == CapacityGift.Giver.MINISTRY
    assert to_board.school is None and to_board.board == world.board_b


@pytest.mark.parametrize(
    ("who", "where"),
    [
        ("board_a", "school_b1"),  # another board's school
        ("board_a", "board_a"),  # only the ministry gives to a board as a whole
        ("trustee_a", "school_a1"),
        ("principal_a1", "school_a1"),
        ("team_a1", "school_a1"),
        ("teacher_a1", "school_a1"),
        ("facilitator", "school_b1"),
    ],
)
def test_it_refuses_those_who_do_not_give(world, who: str, where: str) -> None:
    place = getattr(world, where)
    kwargs = {"board": place} if where.startswith("board") else {"school": place}
    with pytest.raises(PermissionDenied):
        give(world, by=who, **kwargs)
    assert not CapacityGift.objects.exists()


def test_it_refuses_a_request_of_another_school(world) -> None:
    other = ask(world, school=world.school_b1)
    with pytest.raises(ValidationError) as caught:
        give(world, by="ministry", school=world.school_a1, request=other)
    assert "request" in caught.value.message_dict


def test_it_refuses_capacity_in_the_future_and_amounts_below_a_cent(world) -> None:
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    with pytest.raises(ValidationError) as caught:
        give(world, day=tomorrow)
    assert "given_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        give(world, amount="0")
    assert "amount" in caught.value.message_dict
    assert not CapacityGift.objects.exists()


def test_the_database_holds_the_rules_too(world) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CapacityGift.objects.create(
            board=world.board_a,
            given_by="board",
            kind="visits",
            amount=Decimal(1),
            given_on=datetime.date(2025, 10, 1),
        )


def test_the_school_team_is_told_and_asked_whether_it_helped(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        give(world)
    told = set(
        Notification.objects.filter(kind="capacity_given").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"principal_a1", "team_a1"}


def test_the_receiving_team_says_whether_it_helped(
    world, django_capture_on_commit_callbacks
) -> None:
    gift = give(world)
    with django_capture_on_commit_callbacks(execute=True):
        services_ledger.capacity_say_helped(
            user=world.personas["team_a1"], gift=gift, helped="helped", comment="", seen=1
        )
    gift.refresh_from_db()
    assert gift.helped == "helped" and gift.version == 2 and gift.helped_at is not None
    assert Notification.objects.filter(
        kind="capacity_helped", recipient=world.personas["board_a"]
    ).exists()
    # Changeable, from the version the person read.
    services_ledger.capacity_say_helped(
        user=world.personas["principal_a1"],
        gift=gift,
        helped="partly",
        comment="Only two visits",
        seen=2,
    )
    gift.refresh_from_db()
    assert gift.helped == "partly" and gift.helped_by == world.personas["principal_a1"]


def test_a_stale_answer_is_refused_and_the_first_kept(world) -> None:
    gift = give(world)
    services_ledger.capacity_say_helped(
        user=world.personas["team_a1"], gift=gift, helped="helped", seen=1
    )
    with pytest.raises(services_ledger.StaleGift) as caught:
        services_ledger.capacity_say_helped(
            user=world.personas["principal_a1"],
            gift=gift,
            helped="did_not_help",
            comment="no",
            seen=1,
        )
    assert "version 2" in str(caught.value)
    gift.refresh_from_db()
    assert gift.helped == "helped" and gift.version == 2


def test_only_the_receiving_team_answers(world) -> None:
    gift = give(world)
    for who in ("board_a", "ministry", "teacher_a1", "trustee_a", "principal_b1"):
        with pytest.raises(PermissionDenied):
            services_ledger.capacity_say_helped(
                user=world.personas[who], gift=gift, helped="helped", seen=1
            )
    board_gift = give(world, by="ministry", board=world.board_a)
    services_ledger.capacity_say_helped(
        user=world.personas["board_a"], gift=board_gift, helped="not_yet", seen=1
    )
    with pytest.raises(PermissionDenied):
        services_ledger.capacity_say_helped(
            user=world.personas["principal_a1"], gift=board_gift, helped="helped", seen=2
        )


def test_did_not_help_asks_what_was_missing(world) -> None:
    gift = give(world)
    with pytest.raises(ValidationError) as caught:
        services_ledger.capacity_say_helped(
            user=world.personas["team_a1"], gift=gift, helped="did_not_help", comment=" ", seen=1
        )
    assert "comment" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services_ledger.capacity_say_helped(
            user=world.personas["team_a1"], gift=gift, helped="maybe", seen=1
        )
    gift.refresh_from_db()
    assert gift.helped == "" and gift.version == 1


def test_a_request_the_board_cannot_meet_goes_to_the_ministry(
    world, django_capture_on_commit_callbacks
) -> None:
    request = ask(world)
    with django_capture_on_commit_callbacks(execute=True):
        services_ledger.support_escalate(
            user=world.personas["board_a"],
            request=request,
            reason="No numeracy coach is free this term.",
        )
    request.refresh_from_db()
    assert request.to_ministry and request.escalated_at is not None
    assert request.escalated_by == world.personas["board_a"]
    told = set(
        Notification.objects.filter(kind="support_escalated").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"ministry", "principal_a1", "team_a1"}
    assert AuditEntry.objects.filter(
        action=Action.SUPPORT_ESCALATED, detail__request=request.pk
    ).exists()
    # Now the ministry's to answer: the board may no longer answer it or give against it.
    with pytest.raises(PermissionDenied):
        services.support_request_answer(
            request=request, user=world.personas["board_a"], answer="x", provided=[]
        )
    with pytest.raises(ValidationError):
        give(world, request=request)
    gift = give(world, by="ministry", request=request, kind="coaching_hours", amount="20")
    services.support_request_answer(
        request=request,
        user=world.personas["ministry"],
        answer="A provincial numeracy lead, 20 hours",
        provided=["people"],
    )
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.ANSWERED and list(request.gifts.all()) == [gift]


def test_escalation_is_refused_to_others_and_when_answered_or_unexplained(world) -> None:
    request = ask(world)
    for who in ("ministry", "trustee_a", "principal_a1", "team_a1", "principal_b1"):
        with pytest.raises(PermissionDenied):
            services_ledger.support_escalate(
                user=world.personas[who], request=request, reason="why"
            )
    with pytest.raises(ValidationError) as caught:
        services_ledger.support_escalate(
            user=world.personas["board_a"], request=request, reason="  "
        )
    assert "reason" in caught.value.message_dict
    services.support_request_answer(
        request=request, user=world.personas["board_a"], answer="A coach", provided=[]
    )
    with pytest.raises(ValidationError):
        services_ledger.support_escalate(
            user=world.personas["board_a"], request=request, reason="why"
        )
    request.refresh_from_db()
    assert request.escalated_at is None and not request.to_ministry
