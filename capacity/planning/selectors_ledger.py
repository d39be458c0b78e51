"""Reads of the reciprocity ledger: demands beside capacity given, how soon, and whether it helped.

A line of the ledger is one school (a board's own line holds what concerns the board itself), one
board, or the province, for one school year (September to August):

* demands: focused-intervention plans of the year, targets set in the year's plans, support
  requests asked during the year (and how many were sent on to the ministry);
* capacity given during the year: totals by kind, in each kind's unit, and how many entries;
* how soon: for each request of the year that was given capacity, the days from the request to
  the first capacity given against it; the line shows their median;
* whether it helped: the receiving team's answers, and how many entries wait for one.

Every read starts from `directory.access` (the ledger's rules): the ministry reads every board,
a board's leaders and trustees their board (a trustee its totals only), a school's staff their
school. `tally` is the arithmetic alone, on plain rows, so the totals are tested on a hand-built
board.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from capacity.directory import access
from capacity.directory.models import Board, School
from capacity.planning.models import CapacityGift, Plan, SupportRequest, Target
from capacity.planning.progress import school_year_of
from capacity.schoolyears import is_school_year, school_year_label, year_start_of

KINDS = CapacityGift.Kind.values
HELPED = CapacityGift.Helped.values

# A line's key: (board id, school id or None for the board's own line).
Key = tuple[int, int | None]


@dataclass
class Line:
    """One line of the ledger for a school year."""

    label: str = ""
    number: str = ""
    focused_plans: int = 0
    targets: int = 0
    requests: int = 0
    escalated: int = 0
    open_requests: int = 0
    given: dict[str, Decimal] = field(default_factory=dict)  # kind -> total in its unit
    entries: int = 0
    helped: dict[str, int] = field(default_factory=dict)  # answer -> count
    waiting: int = 0  # entries nobody has said helped or not
    days: list[int] = field(default_factory=list)  # request -> first capacity, per request met

    @property
    def met(self) -> int:
        """Requests of the year that were given some capacity."""
        return len(self.days)

    @property
    def median_days(self) -> float | None:
        return median(self.days)

    def given_of(self, kind: str) -> Decimal:
        return self.given.get(kind, Decimal(0))

    @property
    def given_in_order(self) -> list[tuple[str, Decimal]]:
        """Totals by kind in the kinds' order (zero where none was given), for tables."""
        return [(kind, self.given_of(kind)) for kind in KINDS]

    @property
    def helped_in_order(self) -> list[tuple[str, int]]:
        return [(answer, self.helped.get(answer, 0)) for answer in HELPED]

    def add(self, other: Line) -> None:
        self.focused_plans += other.focused_plans
        self.targets += other.targets
        self.requests += other.requests
        self.escalated += other.escalated
        self.open_requests += other.open_requests
        self.entries += other.entries
        self.waiting += other.waiting
        self.days += other.days
        for kind, amount in other.given.items():
            self.given[kind] = self.given.get(kind, Decimal(0)) + amount
        for answer, n in other.helped.items():
            self.helped[answer] = self.helped.get(answer, 0) + n


def median(values: list[int] | list[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None for none.

    >>> median([3, 1, 10])
    3
    >>> median([1, 2, 4, 10])
    3.0
    """
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def tally(
    *,
    focused: Iterable[tuple[Key, int]] = (),
    targets: Iterable[tuple[Key, int]] = (),
    requests: Iterable[tuple[Key, datetime.date, bool, bool, datetime.date | None]] = (),
    gifts: Iterable[tuple[Key, str, Decimal, str]] = (),
) -> dict[Key, Line]:
    """The ledger's arithmetic on plain rows, by key.

    `focused`, `targets`: (key, count); `requests`: (key, asked on, escalated, open, first capacity
    given on or None); `gifts`: (key, kind, amount, helped answer or "").
    """
    lines: dict[Key, Line] = {}

    def line(key: Key) -> Line:
        return lines.setdefault(key, Line())

    for key, n in focused:
        line(key).focused_plans += n
    for key, n in targets:
        line(key).targets += n
    for key, asked, escalated, still_open, first in requests:
        entry = line(key)
        entry.requests += 1
        entry.escalated += int(escalated)
        entry.open_requests += int(still_open)
        if first is not None:
            entry.days.append(max(0, (first - asked).days))
    for key, kind, amount, helped in gifts:
        entry = line(key)
        entry.entries += 1
        entry.given[kind] = entry.given.get(kind, Decimal(0)) + amount
        if helped:
            entry.helped[helped] = entry.helped.get(helped, 0) + 1
        else:
            entry.waiting += 1
    return lines


# --- the year -----------------------------------------------------------------------------


def current_year() -> str:
    return school_year_of(timezone.localdate())


def year_or_current(value: str | None) -> str:
    return value if value is not None and is_school_year(value) else current_year()


def year_bounds(year: str) -> tuple[datetime.date, datetime.date]:
    """First day of the school year and the first day after it (September to August)."""
    start = year_start_of(year)
    return datetime.date(start, 9, 1), datetime.date(start + 1, 9, 1)


def years_offered() -> list[str]:
    """The current school year and the four before it, newest first."""
    start = year_start_of(current_year())
    return [school_year_label(start - n) for n in range(5)]


# --- reading the database ---------------------------------------------------------------------


def _lines(year: str, *, boards: Any = None, schools: Any = None) -> dict[Key, Line]:
    """Ledger lines of `year` for the given boards (every school of them and the board's own line)
    or only the given schools. Six queries, whatever the number of schools."""
    begins, ends = year_bounds(year)
    zone = timezone.get_current_timezone()
    asked_from = datetime.datetime.combine(begins, datetime.time(), tzinfo=zone)
    asked_to = datetime.datetime.combine(ends, datetime.time(), tzinfo=zone)
    where = Q(school__in=schools) if schools is not None else Q(board__in=boards)
    plans = Plan.objects.filter(where, school_year=year)
    focused = plans.filter(focused_intervention=True).values_list("board_id", "school_id")
    target_where = (
        Q(goal__plan__school__in=schools)
        if schools is not None
        else Q(goal__plan__board__in=boards)
    )
    targets = (
        Target.objects.filter(target_where, goal__plan__school_year=year)
        .values_list("goal__plan__board_id", "goal__plan__school_id")
        .annotate(n=Count("id"))
    )
    requests = list(
        SupportRequest.objects.filter(
            where, requested_at__gte=asked_from, requested_at__lt=asked_to
        )
        .annotate(first=Min("gifts__given_on"))
        .values_list("board_id", "school_id", "requested_at", "escalated_at", "status", "first")
    )
    gifts = CapacityGift.objects.filter(where, given_on__gte=begins, given_on__lt=ends)
    return tally(
        focused=[((b, s), 1) for b, s in focused],
        targets=[((b, s), n) for b, s, n in targets],
        requests=[
            (
                (b, s),
                timezone.localtime(asked, zone).date(),
                escalated is not None,
                status == SupportRequest.Status.OPEN,
                first,
            )
            for b, s, asked, escalated, status, first in requests
        ],
        gifts=[
            ((b, s), kind, amount, helped)
            for b, s, kind, amount, helped in gifts.values_list(
                "board_id", "school_id", "kind", "amount", "helped"
            )
        ],
    )


def _by_board(lines: dict[Key, Line], boards: list[Board]) -> list[Line]:
    out = []
    for board in boards:
        total = Line(label=board.name, number=board.number)
        for (board_id, _school), line in lines.items():
            if board_id == board.pk:
                total.add(line)
        out.append(total)
    return out


def province_ledger(user: Any, year: str) -> tuple[list[Line], Line | None]:
    """One line per board the person reads, and the province's total (ministry only)."""
    boards = list(access.ledger_boards_for(user).order_by("name"))
    if not boards:
        return [], None
    lines = _lines(year, boards=boards)
    rows = _by_board(lines, boards)
    total = None
    if access.scope_for(user).province:
        total = Line(label="", number="")
        for row in rows:
            total.add(row)
    return rows, total


def school_lines_for(user: Any, year: str) -> list[Line]:
    """A school's staff: one line per school they read (those without a board to read)."""
    schools = list(School.objects.filter(pk__in=access.scope_for(user).school_ids).order_by("name"))
    lines = _lines(year, schools=schools)
    out = []
    for school in schools:
        line = lines.get((school.board_id, school.pk), Line())
        line.label, line.number = school.name, school.number
        out.append(line)
    return out


@dataclass
class BoardLedger:
    board: Board
    total: Line
    own: Line  # what concerns the board itself (its requests to the ministry, what it was given)
    schools: list[Line] | None  # None: the reader sees totals only (a trustee)

    @property
    def total_list(self) -> list[Line]:
        return [self.total]

    @property
    def own_list(self) -> list[Line]:
        self.own.label = self.board.name
        return [self.own]


def board_ledger(user: Any, board: Board, year: str) -> BoardLedger:
    if not access.can_read_board_ledger(user, board):
        raise PermissionDenied
    lines = _lines(year, boards=[board])
    total = Line(label=board.name, number=board.number)
    for line in lines.values():
        total.add(line)
    own = lines.get((board.pk, None), Line())
    scope = access.scope_for(user)
    schools = None
    if scope.province or board.pk in scope.led_board_ids:
        schools = []
        for school in board.schools.order_by("name"):
            found = lines.get((board.pk, school.pk))
            if found is None:
                continue
            found.label, found.number = school.name, school.number
            schools.append(found)
    return BoardLedger(board=board, total=total, own=own, schools=schools)


def school_ledger(user: Any, school: School, year: str) -> Line:
    if not access.can_read_school_ledger(user, school):
        raise PermissionDenied
    line = _lines(year, schools=[school]).get((school.board_id, school.pk), Line())
    line.label, line.number = school.name, school.number
    return line


# --- entries ----------------------------------------------------------------------------------


def gifts_for(user: Any) -> QuerySet[CapacityGift]:
    """Capacity given that the person reads entry by entry."""
    return CapacityGift.objects.select_related(
        "board", "school", "request", "recorded_by", "helped_by"
    ).filter(access.ledger_gifts_filter(user))


def gifts_filtered(
    user: Any, *, year: str = "", board: str = "", school: str = ""
) -> QuerySet[CapacityGift]:
    rows = gifts_for(user)
    if is_school_year(year):
        begins, ends = year_bounds(year)
        rows = rows.filter(given_on__gte=begins, given_on__lt=ends)
    if board:
        rows = rows.filter(board__number=board)
    if school:
        rows = rows.filter(school__number=school)
    return rows.order_by("-given_on", "-id")


def get_gift_for_user(user: Any, pk: int) -> tuple[CapacityGift, bool]:
    """An entry and whether the person may say whether it helped; 404 unknown, 403 out of scope."""
    gift = get_object_or_404(
        CapacityGift.objects.select_related(
            "board", "school", "request", "recorded_by", "helped_by"
        ),
        pk=pk,
    )
    if not gifts_for(user).filter(pk=pk).exists():
        raise PermissionDenied
    return gift, access.can_say_helped(user, gift)


def school_gifts(user: Any, school: School, year: str) -> list[CapacityGift]:
    return list(gifts_filtered(user, year=year, school=school.number))


def board_own_gifts(user: Any, board: Board, year: str) -> list[CapacityGift]:
    """What the ministry gave the board itself (no school)."""
    return list(gifts_filtered(user, year=year, board=board.number).filter(school__isnull=True))


@dataclass(frozen=True)
class RequestLine:
    request: SupportRequest
    first_given: datetime.date | None
    days: int | None  # from the request to the first capacity given


def school_requests(user: Any, school: School, year: str) -> list[RequestLine]:
    """The school's requests of the year with how soon capacity answered each."""
    if not access.can_read_school_ledger(user, school):
        raise PermissionDenied
    begins, ends = year_bounds(year)
    zone = timezone.get_current_timezone()
    rows = (
        SupportRequest.objects.filter(
            school=school,
            requested_at__gte=datetime.datetime.combine(begins, datetime.time(), tzinfo=zone),
            requested_at__lt=datetime.datetime.combine(ends, datetime.time(), tzinfo=zone),
        )
        .annotate(first=Min("gifts__given_on"))
        .select_related("board", "school")
        .order_by("-requested_at", "-id")
    )
    out = []
    for row in rows:
        first = row.first
        asked = timezone.localtime(row.requested_at, zone).date()
        days = max(0, (first - asked).days) if first is not None else None
        out.append(RequestLine(request=row, first_given=first, days=days))
    return out


def request_gifts(request: SupportRequest) -> list[CapacityGift]:
    """Capacity given against a request (the caller has checked the request is readable)."""
    return list(request.gifts.select_related("recorded_by").order_by("given_on", "id"))


def waiting_for_helped(user: Any, limit: int = 5) -> tuple[list[CapacityGift], int]:
    """Entries the person's team received that wait for "did it help?" (home page)."""
    scope = access.scope_for(user)
    if not (scope.team_school_ids or scope.led_board_ids):
        return [], 0
    rows = CapacityGift.objects.filter(helped="").filter(
        Q(school_id__in=scope.team_school_ids)
        | Q(school__isnull=True, board_id__in=scope.led_board_ids)
    )
    count = rows.count()
    if not count:
        return [], 0
    return list(rows.select_related("school", "board").order_by("given_on", "id")[:limit]), count


def escalated_open(user: Any, limit: int = 5) -> tuple[list[SupportRequest], int]:
    """Requests sent on to the ministry that are still open (the ministry's home page)."""
    if not access.scope_for(user).ministry:
        return [], 0
    rows = SupportRequest.objects.filter(
        escalated_at__isnull=False, status=SupportRequest.Status.OPEN
    )
    count = rows.count()
    if not count:
        return [], 0
    return list(
        rows.select_related("school", "board").order_by("escalated_at", "id")[:limit]
    ), count


def school_by_number(number: str) -> School:
    return get_object_or_404(School.objects.select_related("board"), number=number)


def board_by_number(number: str) -> Board:
    return get_object_or_404(Board, number=number)


def givable_request(user: Any, pk: int, *, board: Board, school: School | None) -> SupportRequest:
    """A request the capacity answers: readable by the person and made by the same school or board."""
    from capacity.planning.selectors import get_request_for_user

    request = get_request_for_user(user, pk)
    if request.board_id != board.pk or request.school_id != (school.pk if school else None):
        raise PermissionDenied
    return request


def requests_answerable(user: Any, *, board: Board, school: School | None) -> list[SupportRequest]:
    """The school's (or the board's own) requests of this school year and the last that the person
    may answer with capacity: a board's leaders those addressed to the board, the ministry all."""
    begins, _ends = year_bounds(school_year_label(year_start_of(current_year()) - 1))
    zone = timezone.get_current_timezone()
    rows = SupportRequest.objects.filter(
        board=board,
        school=school,
        requested_at__gte=datetime.datetime.combine(begins, datetime.time(), tzinfo=zone),
    ).order_by("-requested_at", "-id")
    return [row for row in rows if access.can_answer_support_request(user, row)]
