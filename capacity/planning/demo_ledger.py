"""The demo's reciprocity as a ledger of the capacity given to schools, built through the services.

Runs after the demo's plans and support requests. As a board and a ministry would:

* most school requests addressed to a board get capacity from its leaders, a few days to a few
  weeks after they were asked (coaching hours, visits, release days), some in two instalments;
  about one in five still waits;
* one open request of the busiest board is one its leaders cannot meet: they send it on to the
  ministry with their reason, and the ministry answers with a provincial lead's hours;
* requests addressed to the ministry get ministry capacity (learning sessions, funding);
* focused-intervention schools are offered capacity first, during their plan's year: release days
  for co-planning from the board, funding from the ministry for some;
* a few boards get learning sessions from the ministry for the board as a whole;
* the receiving teams say whether it helped for about two entries in three (none of the last ten
  days: too soon to tell).

Every entry goes through `services_ledger`, as the person who gives (a board's leader, a ministry
officer), so the demo's ledger has the same audit entries and messages a real one would.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from capacity.directory.models import Board, Membership, Role
from capacity.planning import services_ledger
from capacity.planning.models import CapacityGift, Kind, Plan, SupportRequest

Gift = CapacityGift.Kind

# Bounds on the service calls, so the demo's build time stays short.
MAX_ANSWERED = 120
MAX_OFFERED = 80

NOTES = {
    Gift.COACHING_HOURS: (
        "The board's literacy coach co-plans and co-teaches with the Grade 3 team.",
        "Weekly coaching in the junior division on moderated marking of student work.",
        "The mathematics facilitator models number talks, then observes and gives feedback.",
    ),
    Gift.VISITS: (
        "A superintendent's learning walk with the principal, focused on the plan's first goal.",
        "The board's program team visited to look at student work with the school team.",
    ),
    Gift.RELEASE_DAYS: (
        "Release time for the teachers of Grades 3 and 6 to co-plan and moderate work.",
        "Release days so two teachers can visit a school that beat the odds in the same board.",
    ),
    Gift.LEARNING_SESSIONS: (
        "Provincial learning sessions on assessment for learning for the school team.",
        "A regional session on the instructional core for principals and lead teachers.",
    ),
    Gift.FUNDING: (
        "Funding for levelled texts and math manipulatives the plan calls for.",
        "Funding for release time and a family learning evening with interpreters.",
    ),
}
AMOUNTS = {
    Gift.COACHING_HOURS: ("6", "10", "12", "15", "20", "24"),
    Gift.VISITS: ("1", "2", "3"),
    Gift.RELEASE_DAYS: ("2", "3", "4", "6", "8"),
    Gift.LEARNING_SESSIONS: ("1", "2", "3", "4"),
    Gift.FUNDING: ("1500", "2500", "4000", "5000", "7500"),
}
HELPED = (
    ("helped", "Teachers are using the co-planned lessons; running records are up in two classes."),
    ("helped", "The coaching cycle changed how the division moderates: we now agree on level 3."),
    ("partly", "Useful, but it came after the first checkpoint; we needed it in October."),
    ("partly", "Good sessions; only half the team could be released to attend."),
    ("not_yet", "Too early to tell: the follow-up observations are next month."),
    (
        "did_not_help",
        "The sessions were generic; we needed help with our Grade 6 inferencing goal.",
    ),
)
ESCALATION = (
    "Our two numeracy coaches are committed to the board's focused-intervention schools until June, "
    "and the school needs a French-language mathematics lead the board does not have."
)


def _first_by(role: str, column: str) -> dict[int, Any]:
    people: dict[int, Any] = {}
    for m in (
        Membership.objects.in_force()
        .filter(role=role, user__is_active=True, **{f"{column}__isnull": False})
        .select_related("user")
        .order_by("id")
    ):
        people.setdefault(getattr(m, column), m.user)
    return people


def _teams() -> dict[int, Any]:
    people: dict[int, Any] = {}
    for m in (
        Membership.objects.in_force()
        .filter(
            role__in=[Role.PRINCIPAL, Role.SCHOOL_TEAM], school__isnull=False, user__is_active=True
        )
        .select_related("user")
        .order_by("role", "id")
    ):
        if m.school_id is not None:
            people.setdefault(m.school_id, m.user)
    return people


def _day(
    rng: random.Random, after: datetime.date, today: datetime.date, most: int
) -> datetime.date:
    return min(today, after + datetime.timedelta(days=rng.randint(2, most)))


def _year_days(year: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = int(year[:4])
    return datetime.date(start, 9, 15), min(today, datetime.date(start + 1, 5, 31))


@transaction.atomic
def build(*, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 4099 + 29)
    today = timezone.localdate()
    leaders = _first_by(Role.BOARD_LEADER, "board_id")
    ministry = next(iter(_first_by(Role.MINISTRY_OFFICER, "province_id").values()), None)
    teams = _teams()
    if ministry is None:
        return {}
    made: list[CapacityGift] = []

    def give(user: Any, **kwargs: Any) -> None:
        kind = kwargs["kind"]
        made.append(
            services_ledger.capacity_give(
                user=user,
                amount=Decimal(rng.choice(AMOUNTS[kind])),
                note=rng.choice(NOTES[kind]),
                **kwargs,
            )
        )

    # One open request of the board with the most is sent on to the ministry.
    requests = list(
        SupportRequest.objects.filter(school__isnull=False)
        .select_related("school", "board")
        .order_by("requested_at", "id")
    )
    escalated = 0
    open_to_boards = [
        r for r in requests if r.status == "open" and not r.to_ministry and r.board_id in leaders
    ]
    if open_to_boards:
        counts: dict[int, int] = {}
        for r in open_to_boards:
            counts[r.board_id] = counts.get(r.board_id, 0) + 1
        busiest = max(counts, key=lambda b: (counts[b], -b))
        chosen = next(r for r in open_to_boards if r.board_id == busiest)
        services_ledger.support_escalate(user=leaders[busiest], request=chosen, reason=ESCALATION)
        asked = timezone.localtime(chosen.requested_at).date()
        give(
            ministry,
            school=chosen.school,
            kind=Gift.COACHING_HOURS,
            given_on=_day(rng, asked, today, 20),
            request=chosen,
        )
        escalated = 1

    # Requests answered with capacity: the board's for its own, the ministry's for those sent to it.
    answered = 0
    for request in requests:
        if answered >= MAX_ANSWERED:
            break
        if request.escalated_at is not None or rng.random() < 0.2:
            continue
        asked = timezone.localtime(request.requested_at).date()
        kinds: tuple[str, ...]
        if request.to_ministry:
            giver, kinds = ministry, (Gift.LEARNING_SESSIONS, Gift.FUNDING)
        elif request.board_id in leaders:
            giver, kinds = (
                leaders[request.board_id],
                (Gift.COACHING_HOURS, Gift.VISITS, Gift.RELEASE_DAYS),
            )
        else:
            continue
        first = _day(rng, asked, today, 30)
        give(giver, school=request.school, kind=rng.choice(kinds), given_on=first, request=request)
        if rng.random() < 0.3:
            give(
                giver,
                school=request.school,
                kind=rng.choice(kinds),
                given_on=_day(rng, first, today, 21),
                request=request,
            )
        answered += 1

    # Offered first: focused-intervention schools, during their plan's year.
    offered = 0
    focused = (
        Plan.objects.filter(kind=Kind.SCHOOL, focused_intervention=True)
        .select_related("school", "board")
        .order_by("-school_year", "id")
    )
    for plan in focused[:MAX_OFFERED]:
        begins, ends = _year_days(plan.school_year, today)
        if begins > ends:
            continue
        day = begins + datetime.timedelta(days=rng.randint(0, (ends - begins).days))
        if plan.board_id in leaders:
            give(leaders[plan.board_id], school=plan.school, kind=Gift.RELEASE_DAYS, given_on=day)
            offered += 1
        if rng.random() < 0.35:
            give(ministry, school=plan.school, kind=Gift.FUNDING, given_on=day)
            offered += 1

    # The ministry's learning sessions for a few boards as a whole.
    for board in Board.objects.filter(pk__in=sorted(leaders)[:3]).order_by("pk"):
        give(
            ministry,
            board=board,
            kind=Gift.LEARNING_SESSIONS,
            given_on=today - datetime.timedelta(days=rng.randint(10, 60)),
        )

    # The receiving teams answer for about two entries in three.
    helped = 0
    for gift in made:
        # Capacity of the last ten days has not had time to show whether it helped.
        if rng.random() > 0.65 or (today - gift.given_on).days < 10:
            continue
        who = (
            teams.get(gift.school_id) if gift.school_id is not None else leaders.get(gift.board_id)
        )
        if who is None:
            continue
        answer, comment = rng.choice(HELPED)
        services_ledger.capacity_say_helped(
            user=who, gift=gift, helped=answer, comment=comment, seen=gift.version
        )
        helped += 1
    return {
        "capacity_given": len(made),
        "capacity_given_answering_requests": sum(1 for g in made if g.request_id is not None),
        "capacity_offered_first": offered,
        "capacity_helped_answers": helped,
        "support_escalated": escalated,
    }
