"""Every read of lesson studies, scoped by the person asking.

A study is read by those who read its school's rounds (the school's staff, its board's leaders,
the ministry), the people on its team and, for a network's study, the network's facilitators
(`access.rounds_filter`). It is written by its team, the school's rounds planners and, for a
network's study, the network's facilitators (`access.can_edit_lesson_study`). The plan goal a
study serves is shown only to those who read the school's plan, and its findings are shared as a
case study by those who write the board's case studies (its leaders).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from capacity.directory import access
from capacity.directory.models import Membership, Network, Role, School
from capacity.planning.models import Goal
from capacity.rounds import selectors_visits
from capacity.rounds.language import Flag, check_descriptive
from capacity.rounds.models import CycleStep, LessonCycle, LessonStudy

# The roles of a school's staff: who may be on a study's team.
STAFF_ROLES = (Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.TEACHER)
LISTED = 200


@dataclass(frozen=True)
class StudyRights:
    """What one person may do with one lesson study."""

    read: bool = False
    edit: bool = False  # the study's facts, its team, its cycles' records and steps
    member: bool = False  # on its team
    see_goal: bool = False  # the plan goal it serves (those who read the school's plan)
    share: bool = False  # its findings as a case study of its board (the board's leaders)


def _studies() -> QuerySet[LessonStudy]:
    current = LessonCycle.objects.filter(study=OuterRef("pk")).order_by("-number")
    return LessonStudy.objects.select_related("school", "board", "network", "case").annotate(
        current_number=Subquery(current.values("number")[:1]),
        current_step=Subquery(current.values("step")[:1]),
    )


def now_of(study: LessonStudy) -> tuple[int, str]:
    """The current cycle's number and step of a study read through these selectors."""
    return getattr(study, "current_number", None) or 1, getattr(study, "current_step", None) or str(
        CycleStep.PLAN
    )


def studies_for(user: Any) -> QuerySet[LessonStudy]:
    """The studies the person reads, each with its current cycle's number and step."""
    readable = LessonStudy.objects.filter(access.rounds_filter(user, team="team")).values("pk")
    return _studies().filter(pk__in=readable)


def studies_listed(
    user: Any, *, school: School | None = None
) -> tuple[list[LessonStudy], list[LessonStudy]]:
    """(in progress, finished) among the person's studies, optionally of one school."""
    studies = studies_for(user)
    if school is not None:
        studies = studies.filter(school=school)
    going = list(studies.filter(finished_at__isnull=True).order_by("school__name", "title", "pk"))
    done = list(studies.filter(finished_at__isnull=False).order_by("-finished_at", "pk"))
    return going[:LISTED], done[:LISTED]


def is_member(user: Any, study: LessonStudy) -> bool:
    pk = getattr(user, "pk", None)
    return pk is not None and study.team.filter(pk=pk).exists()


def rights_for(user: Any, study: LessonStudy) -> StudyRights:
    member = is_member(user, study)
    read = LessonStudy.objects.filter(access.rounds_filter(user, team="team"), pk=study.pk).exists()
    if not read:
        return StudyRights()
    scope = access.scope_for(user)
    return StudyRights(
        read=True,
        edit=access.can_edit_lesson_study(user, study, member),
        member=member,
        see_goal=scope.rights_for_plan(board_id=study.board_id, school_id=study.school_id).read,
        share=scope.may_act_for_board(study.board_id),
    )


def get_study_for_user(user: Any, pk: int) -> tuple[LessonStudy, StudyRights]:
    """The study and what the person may do with it; 404 when unknown, 403 when not theirs."""
    study = get_object_or_404(_studies(), pk=pk)
    rights = rights_for(user, study)
    if not rights.read:
        raise PermissionDenied
    return study, rights


def cycles_of(study: LessonStudy) -> list[LessonCycle]:
    return list(study.cycles.order_by("number"))


def get_cycle(study: LessonStudy, number: int) -> LessonCycle:
    return get_object_or_404(LessonCycle, study=study, number=number)


def current_cycle(study: LessonStudy) -> LessonCycle | None:
    return study.cycles.order_by("-number").first()


def team_of(study: LessonStudy) -> list[Any]:
    return list(study.team.order_by("last_name", "first_name", "pk"))


def observation_flags(cycle: LessonCycle, language: str) -> list[Flag]:
    """The judging words in what the team observed, with what to describe instead (suggestions:
    nothing is refused for them)."""
    return check_descriptive(cycle.observations, language) if cycle.observations else []


def study_language(study: LessonStudy) -> str:
    """The language the study is written in: its school's."""
    return "fr" if study.school.language == "fr" else "en"


# --- starting a study: where, with whom, for which goal ------------------------------------


def study_places(user: Any) -> QuerySet[School]:
    """Schools where the person may start a study: those whose rounds they plan, and the member
    schools of the networks they facilitate (a network's study)."""
    scope = access.scope_for(user)
    return (
        School.objects.filter(
            Q(pk__in=scope.team_school_ids)
            | Q(board_id__in=scope.led_board_ids)
            | Q(networks__in=scope.network_ids)
        )
        .distinct()
        .order_by("name", "pk")
    )


def may_start_studies(user: Any) -> bool:
    scope = access.scope_for(user)
    return bool(scope.team_school_ids or scope.led_board_ids or scope.network_ids)


def study_networks(user: Any, school: School) -> list[Network]:
    """The networks the school belongs to whose work the person leads (a network's study)."""
    return [n for n in school.networks.order_by("name") if access.can_lead_network(user, n)]


def may_start_at(user: Any, school: School) -> bool:
    return access.can_plan_rounds(user, school) or bool(study_networks(user, school))


def team_candidates(
    *, school: School, network: Network | None, current: tuple[Any, ...] = ()
) -> list[tuple[Any, str, School | None]]:
    """Who may be on a study's team: the staff in force of its school (principals, school team
    members, teachers) and, for a network's study, of the network's member schools, each once with
    their role and school; people already on it (`current`) stay, even if their role has ended."""
    schools = [school.pk]
    if network is not None:
        schools += list(network.schools.values_list("pk", flat=True))
    rows = (
        Membership.objects.in_force()
        .filter(role__in=STAFF_ROLES, school_id__in=schools, user__is_active=True)
        .select_related("user", "school")
        .order_by("user_id", "id")
    )
    order: dict[str, int] = {str(role): index for index, role in enumerate(STAFF_ROLES)}
    found: dict[int, tuple[Any, str, School | None]] = {}
    rank: dict[int, tuple[int, int]] = {}
    for membership in rows:
        # Each person once: at the study's own school first, then by their most leading role.
        mine = (0 if membership.school_id == school.pk else 1, order[membership.role])
        if membership.user_id not in rank or mine < rank[membership.user_id]:
            rank[membership.user_id] = mine
            found[membership.user_id] = (membership.user, membership.role, membership.school)
    for person in current:
        found.setdefault(person.pk, (person, "", None))
    return sorted(found.values(), key=lambda row: (row[0].last_name, row[0].first_name, row[0].pk))


def goals_for(user: Any, school: School) -> list[Goal]:
    """The goals of the school's plans the person reads (none for those who do not read them):
    the same rule and the same list as a problem of practice's (selectors_visits)."""
    if not selectors_visits.may_see_goal(user, school):
        return []
    return selectors_visits.goal_choices(school)


# --- home items ---------------------------------------------------------------------------


def team_studies_in_progress(user: Any) -> list[LessonStudy]:
    """Studies in progress the person is on the team of, oldest change first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        _studies()
        .filter(team=user, finished_at__isnull=True)
        .order_by("updated_at", "pk")
        .distinct()[: LISTED + 1]
    )


def ready_to_share(user: Any) -> QuerySet[LessonStudy]:
    """Finished studies not shared yet of the boards the person leads (who may share them)."""
    scope = access.scope_for(user)
    if not scope.led_board_ids:
        return LessonStudy.objects.none()
    return (
        _studies()
        .filter(board_id__in=scope.led_board_ids, finished_at__isnull=False, case__isnull=True)
        .order_by("finished_at", "pk")
    )


def sharers_of(study: LessonStudy) -> list[Any]:
    """Who may share a finished study as a case study: its board's leaders in force."""
    return access.board_leader_people([study.board_id]).get(study.board_id, [])
