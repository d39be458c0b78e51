"""Every read of problems of practice, visits and notes, scoped by the person asking.

A school's rounds are read by its staff, its board's leaders, the ministry, the people on a
visit's team and its facilitator, and for a network's visit the network's facilitators
(`access.rounds_filter`, `access.visit_rights`). A note's author is read here for one purpose
only: to give its author their own notes (`own_notes`). Nothing in this module returns the
author of someone else's note.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from capacity.directory import access
from capacity.directory.models import Membership, Network, Role, School
from capacity.evidence.labels import group_name
from capacity.evidence.models import Assessment
from capacity.evidence.selectors import shown_rows_by_school
from capacity.planning.models import Goal
from capacity.rounds.models import NetworkCycle, Note, ProblemOfPractice, Visit, VisitStage

COMING_UP_DAYS = 14
LISTED = 200

SCHOOL_STAFF = (Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.TEACHER)


# --- problems of practice ----------------------------------------------------------------


def _problem_filter(user: Any) -> Q:
    """Problems whose school's rounds the person reads, or that one of their visits observes."""
    scope = access.scope_for(user)
    if scope.ministry:
        return Q()  # (Q() | q is q: an empty Q must not be combined)
    pk = getattr(user, "pk", None) or 0
    return (
        access.rounds_filter(user, team="visits__members__person_id", network=None)
        | Q(visits__network_id__in=scope.network_ids)
        | Q(visits__facilitator_id=pk)
    )


def problems_for(user: Any, *, school: School | None = None) -> QuerySet[ProblemOfPractice]:
    if not getattr(user, "is_authenticated", False):
        return ProblemOfPractice.objects.none()
    ids = ProblemOfPractice.objects.filter(_problem_filter(user))
    if school is not None:
        ids = ids.filter(school=school)
    return (
        ProblemOfPractice.objects.filter(pk__in=ids.values("pk"))
        .select_related("school", "board", "goal")
        .annotate(visit_count=Count("visits"))
        .order_by("-school_year", "school__name", "-pk")
    )


def get_problem_for_user(user: Any, pk: int) -> tuple[ProblemOfPractice, bool]:
    """The problem and whether the person may change it (plan the school's rounds); 404, 403."""
    problem = get_object_or_404(
        ProblemOfPractice.objects.select_related("school", "board", "goal", "goal__plan"), pk=pk
    )
    if not problems_for(user).filter(pk=problem.pk).exists():
        raise PermissionDenied
    return problem, access.can_plan_rounds(user, problem.school)


def may_see_goal(user: Any, school: School) -> bool:
    """The plan goal a problem serves is shown to those who read the school's plan."""
    return (
        access.scope_for(user).rights_for_plan(board_id=school.board_id, school_id=school.pk).read
    )


def goal_choices(school: School) -> list[Goal]:
    """The goals of the school's plans, latest plan first."""
    return list(
        Goal.objects.filter(plan__school=school)
        .select_related("plan")
        .order_by("-plan__school_year", "plan_id", "position", "pk")
    )


# --- the school's results, as a problem of practice starts from them ---------------------


@dataclass(frozen=True)
class ResultChoice:
    """One published result a problem of practice can start from (never a hidden one)."""

    key: str  # "<year>|<assessment>|<group>"
    school_year: str
    assessment: str
    assessment_name: str
    grade: int
    subject: str
    group: str
    participating: int | None
    pct_at_standard: float

    @property
    def below(self) -> float:
        """The share of students below the provincial standard (levels 3 and 4), in percent: 100
        minus the published share at the standard, so it counts students at levels 1 and 2 and
        the few with no level (not enough evidence, exempt), which is why the sentence says
        "below the standard" rather than "at levels 1 and 2"."""
        return round(100 - self.pct_at_standard, 1)

    @property
    def group_label(self) -> str:
        return group_name(self.group)

    def facts(self) -> dict[str, Any]:
        return {
            "school_year": self.school_year,
            "assessment": self.assessment,
            "group": self.group,
            "participating": self.participating,
            "pct_at_standard": self.pct_at_standard,
            "below_standard": self.below,
        }


def result_choices(school: School) -> list[ResultChoice]:
    """The school's latest published result on each assessment, for all students and for each
    group whose figure is shown, weakest first. Rows come through the disclosure gate
    (`evidence.selectors.shown_rows_by_school`): a hidden figure is never offered."""
    rows = [
        r
        for r in shown_rows_by_school(school.board.number).get(school.number, [])
        if not r["suppressed"] and r["pct_at_standard"] is not None
    ]
    latest: dict[str, str] = {}
    for row in rows:
        latest[row["assessment"]] = max(latest.get(row["assessment"], ""), row["school_year"])
    assessments = {a.code: a for a in Assessment.objects.filter(code__in=list(latest))}
    choices = []
    for row in rows:
        code = row["assessment"]
        if row["school_year"] != latest[code] or code not in assessments:
            continue
        assessment = assessments[code]
        choices.append(
            ResultChoice(
                key=f"{row['school_year']}|{code}|{row['group']}",
                school_year=row["school_year"],
                assessment=code,
                assessment_name=assessment.label,
                grade=assessment.grade,
                subject=assessment.subject,
                group=row["group"],
                participating=row["participating"],
                pct_at_standard=float(row["pct_at_standard"]),
            )
        )
    return sorted(choices, key=lambda c: (c.group != "all", c.pct_at_standard, c.key))


# Plain words for a share, nearest first; "About a third of our Grade 6 students...".
SHARES = (
    (0.1, gettext_lazy("About one in ten")),
    (0.2, gettext_lazy("About one in five")),
    (0.25, gettext_lazy("About a quarter")),
    (1 / 3, gettext_lazy("About a third")),
    (0.4, gettext_lazy("About two in five")),
    (0.5, gettext_lazy("About half")),
    (0.6, gettext_lazy("About three in five")),
    (2 / 3, gettext_lazy("About two thirds")),
    (0.75, gettext_lazy("About three quarters")),
    (0.8, gettext_lazy("About four in five")),
    (0.9, gettext_lazy("About nine in ten")),
)


def plain_share(percent: float) -> str:
    """A percentage in plain words: the nearest common fraction, "Hardly any" under 5%, "Nearly
    all" over 95%, "Not one" and "Every one" at the ends."""
    share = percent / 100
    if share <= 0:
        return _("Not one")
    if share >= 1:
        return _("Every one")
    if share < 0.05:
        return _("Hardly any")
    if share > 0.95:
        return _("Nearly all")
    return str(min(SHARES, key=lambda pair: abs(pair[0] - share))[1])


SUBJECT_WORDS: dict[str, Any] = {
    Assessment.Subject.READING: gettext_lazy("in reading"),
    Assessment.Subject.WRITING: gettext_lazy("in writing"),
    Assessment.Subject.MATHEMATICS: gettext_lazy("in mathematics"),
    Assessment.Subject.LITERACY: gettext_lazy("in literacy"),
}


def evidence_sentence(choice: ResultChoice) -> str:
    """The result in one sentence in the active language, the plain-words share beside the
    exact percentage: "About a third of our Grade 6 students (34% of 120) are below the
    provincial standard in mathematics (2018-19)." The count is left out when the result gives none."""
    values = {
        "share": plain_share(choice.below),
        "grade": choice.grade,
        "pct": f"{choice.below:g}",
        "n": choice.participating,
        "subject": SUBJECT_WORDS.get(choice.subject, choice.subject),
        "year": choice.school_year,
        "group": choice.group_label,
    }
    if choice.group == "all":
        if choice.participating:
            text = _(
                "%(share)s of our Grade %(grade)s students (%(pct)s%% of %(n)s) are below the "
                "provincial standard %(subject)s (%(year)s)."
            )
        else:
            text = _(
                "%(share)s of our Grade %(grade)s students (%(pct)s%%) are below the provincial "
                "standard %(subject)s (%(year)s)."
            )
    elif choice.participating:
        text = _(
            "%(share)s of our Grade %(grade)s students in the group “%(group)s” (%(pct)s%% of "
            "%(n)s) are below the provincial standard %(subject)s (%(year)s)."
        )
    else:
        text = _(
            "%(share)s of our Grade %(grade)s students in the group “%(group)s” (%(pct)s%%) are "
            "below the provincial standard %(subject)s (%(year)s)."
        )
    return text % values


# --- visits ------------------------------------------------------------------------------


def _visits() -> QuerySet[Visit]:
    return Visit.objects.select_related("school", "board", "network", "problem", "facilitator")


def _visit_filter(user: Any) -> Q:
    if access.scope_for(user).ministry:
        return Q()  # (Q() | q is q: an empty Q must not be combined)
    pk = getattr(user, "pk", None) or 0
    return access.rounds_filter(user, team="members__person_id") | Q(facilitator_id=pk)


def visits_for(user: Any) -> QuerySet[Visit]:
    """Visits the person reads (as `access.visit_rights(...).read`)."""
    if not getattr(user, "is_authenticated", False) or access.scope_for(user).empty:
        return Visit.objects.none()
    ids = Visit.objects.filter(_visit_filter(user)).values("pk")
    return _visits().filter(pk__in=ids)


def visits_listed(
    user: Any, *, school: School | None = None, today: datetime.date | None = None
) -> tuple[list[Visit], list[Visit]]:
    """(coming up and today, soonest first; past, latest first) among the visits the person reads,
    each with its counts of classrooms and notes."""
    today = today or timezone.localdate()
    visits: QuerySet[Visit] = visits_for(user).annotate(
        classroom_count=Count("classrooms", distinct=True),
        note_count=Count("notes", distinct=True),
    )
    if school is not None:
        visits = visits.filter(school=school)
    coming = list(visits.filter(on__gte=today).order_by("on", "pk")[:LISTED])
    past = list(visits.filter(on__lt=today).order_by("-on", "-pk")[:LISTED])
    return coming, past


def is_member(user: Any, visit: Visit) -> bool:
    pk = getattr(user, "pk", None)
    return pk is not None and visit.members.filter(person_id=pk).exists()


def get_visit_for_user(user: Any, pk: int) -> tuple[Visit, access.VisitRights]:
    """The visit and what the person may do with it; 404 when unknown, 403 when not theirs."""
    visit = get_object_or_404(_visits(), pk=pk)
    rights = access.visit_rights(user, visit, is_member(user, visit))
    if not rights.read:
        raise PermissionDenied
    return visit, rights


def coming_up(user: Any, today: datetime.date | None = None) -> list[Visit]:
    """Visits from today to COMING_UP_DAYS ahead on which the person is on the team or which they
    facilitate, not yet in debrief, soonest first."""
    today = today or timezone.localdate()
    pk = getattr(user, "pk", None)
    if pk is None:
        return []
    return list(
        _visits()
        .filter(Q(members__person_id=pk) | Q(facilitator_id=pk))
        .filter(
            on__gte=today,
            on__lte=today + datetime.timedelta(days=COMING_UP_DAYS),
            stage__in=[VisitStage.PLANNED, VisitStage.OBSERVING],
        )
        .distinct()
        .order_by("on", "pk")
    )


def team(visit: Visit) -> list[Any]:
    """The people on the visit's team, by name (shown on the visit's page, never beside notes)."""
    people = [m.person for m in visit.members.select_related("person")]
    return sorted(people, key=lambda p: (p.last_name, p.first_name, str(p), p.pk))


def get_cycle_for_visit(user: Any, pk: int, school: School) -> NetworkCycle:
    """A network cycle whose visit the person plans: they lead its network, the school is one of
    its members (404 when unknown, 403 otherwise)."""
    cycle = get_object_or_404(NetworkCycle.objects.select_related("network"), pk=pk)
    if not access.can_lead_network(user, cycle.network):
        raise PermissionDenied
    if not cycle.network.schools.filter(pk=school.pk).exists():
        raise PermissionDenied
    return cycle


@dataclass(frozen=True)
class Candidate:
    person: Any
    role: str
    where: str

    @property
    def label(self) -> str:
        return f"{self.person} — {Role(self.role).label}, {self.where}"


def team_candidates(school: School, network: Network | None = None) -> list[Candidate]:
    """Who may be on a visit's team (and facilitate it): a cross-role team.

    The host school's staff, its board's leaders, the principals, school teams and teachers of
    the board's other schools, and ministry officers; for a network's visit also the member
    schools' staff and the network's facilitators. Roles in force, active people, each person
    once with their first role found (the host school's first)."""
    rows = Membership.objects.in_force().filter(user__is_active=True)
    where = (
        Q(school=school, role__in=SCHOOL_STAFF)
        | Q(board_id=school.board_id, role=Role.BOARD_LEADER)
        | Q(school__board_id=school.board_id, role__in=SCHOOL_STAFF)
        | Q(role=Role.MINISTRY_OFFICER)
    )
    if network is not None:
        where |= Q(school__in=network.schools.all(), role__in=SCHOOL_STAFF) | Q(
            network=network, role=Role.NETWORK_FACILITATOR
        )
    found: dict[int, Candidate] = {}
    memberships = rows.filter(where).select_related(
        "user", "school", "board", "province", "network"
    )
    for m in sorted(memberships, key=lambda m: (m.school_id != school.pk, m.pk)):
        if m.user_id not in found:
            place = m.school or m.board or m.network or m.province
            found[m.user_id] = Candidate(m.user, m.role, str(place))
    return sorted(
        found.values(),
        key=lambda c: (
            c.where != str(school),
            c.person.last_name,
            c.person.first_name,
            c.person.pk,
        ),
    )


# --- notes ---------------------------------------------------------------------------------


def own_notes(user: Any, visit: Visit) -> list[Note]:
    """The person's own notes on the visit: the only reading of a note's author anywhere."""
    pk = getattr(user, "pk", None)
    if pk is None:
        return []
    return list(
        Note.objects.filter(visit=visit, author_id=pk)
        .select_related("classroom")
        .order_by("written_at", "pk")
    )


def note_count(visit: Visit) -> int:
    return Note.objects.filter(visit=visit).count()


def visits_page_counts(visits: list[Visit]) -> dict[int, int]:
    """Notes per visit, for lists that did not annotate them."""
    rows = Note.objects.filter(visit__in=visits).values("visit_id").annotate(n=Count("pk"))
    return {row["visit_id"]: row["n"] for row in rows}
