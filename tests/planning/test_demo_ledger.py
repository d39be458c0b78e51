"""The demo's ledger, built through the services on a small province with requests and plans."""

from __future__ import annotations

from capacity.audit.models import Action, AuditEntry
from capacity.planning import demo_ledger
from capacity.planning.models import CapacityGift, SupportRequest
from tests.planning.ledger_kit import ask, focused_plan


def test_it_answers_requests_sends_one_on_and_offers_capacity_first(world) -> None:
    focused_plan(world)
    for day in ("2025-10-01", "2025-11-01", "2025-12-01", "2026-01-10"):
        ask(world, day=day)
    ask(world, school=world.school_b1, day="2025-10-03")
    counts = demo_ledger.build(seed=2016)
    assert counts["support_escalated"] == 1
    escalated = SupportRequest.objects.get(escalated_at__isnull=False)
    assert escalated.to_ministry and escalated.board == world.board_a
    assert escalated.gifts.filter(given_by="ministry").exists()
    assert counts["capacity_given"] == CapacityGift.objects.count() > 3
    assert counts["capacity_given_answering_requests"] >= 2
    assert CapacityGift.objects.filter(
        request__isnull=True, school=world.school_a1, given_by="board"
    ).exists()
    assert CapacityGift.objects.filter(school__isnull=True, given_by="ministry").exists()
    assert counts["capacity_helped_answers"] == CapacityGift.objects.exclude(helped="").count()
    for gift in CapacityGift.objects.select_related("request"):
        if gift.request is not None:
            assert gift.given_on >= gift.request.requested_at.date()
    assert (
        AuditEntry.objects.filter(action=Action.CAPACITY_GIVEN).count() == counts["capacity_given"]
    )


def test_it_is_the_same_for_the_same_seed(world) -> None:
    ask(world, day="2025-10-01")
    first = demo_ledger.build(seed=7)
    amounts = list(CapacityGift.objects.order_by("id").values_list("kind", "amount", "helped"))
    CapacityGift.objects.all().delete()
    SupportRequest.objects.update(
        escalated_at=None, escalated_by=None, escalation_reason="", to_ministry=False
    )
    assert demo_ledger.build(seed=7) == first
    assert (
        list(CapacityGift.objects.order_by("id").values_list("kind", "amount", "helped")) == amounts
    )
