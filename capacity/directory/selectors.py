"""Reads from the directory, always limited to what the requesting person may see."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from capacity.directory.access import boards_for, networks_for, schools_for, scope_for
from capacity.directory.models import (
    ApiToken,
    Board,
    Membership,
    Network,
    Role,
    School,
    SchoolContext,
)
from capacity.listing import Column, ListPage, ListSpec

# The schools and boards pages' columns, and what each may be sorted by.
SCHOOL_LIST = ListSpec(
    columns=(
        Column(_("School"), "name", ("name",)),
        Column(_("Number"), "number", ("number",)),
        Column(_("Board"), "board", ("board__name", "name")),
        Column(_("Level"), "level", ("level", "name")),
        Column(_("Language"), "language", ("language", "name")),
        Column(_("City"), "city", ("city", "name")),
        Column(_("Enrolment"), "enrolment", ("enrolment",), numeric=True),
    ),
    default="name",
    label=_("Pages of results"),
)
BOARD_LIST = ListSpec(
    columns=(
        Column(_("Board"), "name", ("name",)),
        Column(_("Number"), "number", ("number",)),
        Column(_("Language"), "language", ("language", "name")),
        Column(_("Type"), "type", ("board_type", "name")),
        Column(_("Elementary"), "elementary", ("elementary", "name"), numeric=True),
        Column(_("Secondary"), "secondary", ("secondary", "name"), numeric=True),
    ),
    default="name",
    label=_("Pages of boards"),
)


@dataclass(frozen=True)
class SchoolFilters:
    query: str = ""
    board: str = ""
    language: str = ""
    level: str = ""

    @classmethod
    def from_params(cls, params: Any) -> SchoolFilters:
        return cls(
            query=str(params.get("q", "")).strip()[:100],
            board=str(params.get("board", "")).strip()[:10],
            language=str(params.get("language", "")).strip()[:2],
            level=str(params.get("level", "")).strip()[:12],
        )

    @property
    def active(self) -> bool:
        return bool(self.query or self.board or self.language or self.level)


def school_search(*, user: Any, filters: SchoolFilters) -> QuerySet[School]:
    """Schools the person may see, matching a name or number and the filters."""
    schools = schools_for(user).select_related("board")
    if filters.query:
        schools = schools.filter(
            Q(name__icontains=filters.query)
            | Q(number__startswith=filters.query)
            | Q(city__icontains=filters.query)
        )
    if filters.board:
        schools = schools.filter(board__number=filters.board)
    if filters.language:
        schools = schools.filter(language=filters.language)
    if filters.level:
        schools = schools.filter(level=filters.level)
    return schools.order_by("name", "number")


def school_page(
    *, user: Any, filters: SchoolFilters, params: Mapping[str, Any]
) -> ListPage[School]:
    """One page of the school search, sorted as `params` ask (SCHOOL_LIST)."""
    return SCHOOL_LIST.page(school_search(user=user, filters=filters), params)


def board_page(*, user: Any, params: Mapping[str, Any]) -> ListPage[Board]:
    """One page of the boards a person may see with their school counts, sorted as `params` ask."""
    return BOARD_LIST.page(board_list(user=user), params)


def board_list(*, user: Any) -> QuerySet[Board]:
    return (
        boards_for(user)
        .annotate(
            elementary=Count("schools", filter=Q(schools__level=School.Level.ELEMENTARY)),
            secondary=Count("schools", filter=Q(schools__level=School.Level.SECONDARY)),
        )
        .order_by("name")
    )


def board_choices(*, user: Any) -> QuerySet[Board, tuple[str, str]]:
    """(number, name) of the boards a person may see, by name: a search form's board filter.

    Without `board_list`'s school counts, which cost a join over every school."""
    return boards_for(user).order_by("name").values_list("number", "name")


def network_list(*, user: Any) -> QuerySet[Network]:
    return (
        networks_for(user).annotate(school_count=Count("schools", distinct=True)).order_by("name")
    )


def school_latest_context(*, school: School) -> SchoolContext | None:
    return school.contexts.order_by("-school_year").first()


def school_contexts(*, school: School) -> list[SchoolContext]:
    return list(school.contexts.order_by("-school_year"))


def school_leaders(*, school: School) -> QuerySet[Membership]:
    """Who leads the school, for its profile (principals and school team), in their roles today."""
    return (
        Membership.objects.in_force()
        .filter(school=school, role__in=[Role.PRINCIPAL, Role.SCHOOL_TEAM])
        .select_related("user")
        .order_by("role", "user__last_name")
    )


@dataclass(frozen=True)
class BoardProfile:
    board: Board
    elementary: int
    secondary: int
    enrolment: int
    low_income_avg: float | None
    leaders: list[Membership]


def board_profile(*, board: Board) -> BoardProfile:
    """A board at a glance: its schools, their students, its leaders."""
    schools = board.schools.all()
    counts = schools.aggregate(
        elementary=Count("pk", filter=Q(level=School.Level.ELEMENTARY)),
        secondary=Count("pk", filter=Q(level=School.Level.SECONDARY)),
    )
    enrolment = sum(s for s in schools.values_list("enrolment", flat=True) if s)
    latest = (
        SchoolContext.objects.filter(school__board=board)
        .order_by("-school_year")
        .values_list("school_year", flat=True)
        .first()
    )
    low_income: float | None = None
    if latest:
        values = [
            v
            for v in SchoolContext.objects.filter(
                school__board=board, school_year=latest
            ).values_list("pct_low_income", flat=True)
            if v is not None
        ]
        low_income = round(sum(values) / len(values), 1) if values else None
    # A roster role that has ended (or not begun) names no one as a leader, as it gives no scope.
    leaders = list(
        Membership.objects.in_force()
        .filter(board=board, role__in=[Role.BOARD_LEADER, Role.TRUSTEE])
        .select_related("user")
        .order_by("role", "user__last_name")
    )
    return BoardProfile(
        board=board,
        elementary=counts["elementary"],
        secondary=counts["secondary"],
        enrolment=enrolment,
        low_income_avg=low_income,
        leaders=leaders,
    )


def home_responsibilities(*, user: Any) -> list[Membership]:
    """The person's memberships, with each board's school counts for the home page."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("province", "board", "school", "school__board", "network")
        .order_by("role")
    )
    board_ids = [m.board_id for m in memberships if m.board_id is not None]
    if board_ids:
        counts = {
            row["pk"]: row
            for row in Board.objects.filter(pk__in=board_ids)
            .values("pk")
            .annotate(
                elementary=Count("schools", filter=Q(schools__level=School.Level.ELEMENTARY)),
                secondary=Count("schools", filter=Q(schools__level=School.Level.SECONDARY)),
            )
        }
        for m in memberships:
            if m.board_id is not None:
                m.school_counts = counts[m.board_id]  # type: ignore[attr-defined]
    return memberships


def province_summary(*, user: Any) -> dict[str, int]:
    if not scope_for(user).province:
        return {}
    return {
        "boards": Board.objects.count(),
        "elementary": School.objects.filter(level=School.Level.ELEMENTARY).count(),
        "secondary": School.objects.filter(level=School.Level.SECONDARY).count(),
        "networks": Network.objects.count(),
    }


def sees_every_api_token(user: Any) -> bool:
    """Ministry officers answer for how the API is used province-wide, so they see and revoke every token."""
    return Role.MINISTRY_OFFICER in scope_for(user).roles


def api_tokens_for(*, user: Any) -> QuerySet[ApiToken]:
    """The API tokens a person may see and revoke: their own, or every token for a ministry officer."""
    tokens = ApiToken.objects.select_related("user")
    return tokens.all() if sees_every_api_token(user) else tokens.filter(user=user)


def role_titles(*, user: Any) -> list[str]:
    """The titles of the person's roles in force ("Literacy lead", "Superintendent"), for the home page."""
    return list(
        Membership.objects.in_force()
        .filter(user=user)
        .exclude(title="")
        .values_list("title", flat=True)
    )
