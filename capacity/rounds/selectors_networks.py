"""Every read of learning networks' work, scoped by the person asking.

* Suggestions are read by those who form networks (`access.can_form_networks`); they hold only
  published figures.
* A network's work (its agreement, cycles, actions and impact) is read by whoever reads the
  network (`access.get_network_for_user`) and led by its facilitators and the ministry
  (`access.can_lead_network`). It links to no member school's plan and shows no goal.
* A cycle's visits are listed for those who may read each visit (`access.visit_rights`), with
  their stage and, once debriefed, their themes: never a note, never who wrote one.
* Impact figures go through the disclosure gate (`privacy.suppress_results`), and a network's
  figure is pooled from the member schools' *published* figures only (see `impact`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from capacity.directory import access
from capacity.directory.models import Membership, Network, School
from capacity.rounds import affinity
from capacity.rounds.models import (
    Agreement,
    NetworkAction,
    NetworkCycle,
    NetworkSuggestion,
    NextStep,
    Protocol,
    SuggestionState,
    Visit,
    VisitMember,
)

IMPACT_YEARS = 6
DUE_SOON_DAYS = 14


# --- suggestions -------------------------------------------------------------------------------


def suggestions_for(
    user: Any, *, school_year: str | None = None, state: str | None = None
) -> QuerySet[NetworkSuggestion]:
    """The suggestions a person who forms networks reads (none for anyone else)."""
    if not access.can_form_networks(user):
        return NetworkSuggestion.objects.none()
    rows = NetworkSuggestion.objects.select_related("network", "decided_by").prefetch_related(
        Prefetch("schools", queryset=School.objects.select_related("board").order_by("number"))
    )
    if school_year:
        rows = rows.filter(school_year=school_year)
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-school_year", "pk")


def get_suggestion_for_user(user: Any, pk: int) -> NetworkSuggestion:
    if not access.can_form_networks(user):
        raise PermissionDenied
    return get_object_or_404(suggestions_for(user), pk=pk)


def suggestion_years(user: Any) -> list[str]:
    """School years with results (newest first): those a run may use."""
    from capacity.evidence.selectors import result_years

    return sorted(result_years(), reverse=True) if access.can_form_networks(user) else []


def waiting_suggestions(user: Any) -> dict[str, int]:
    """Suggestions waiting for a decision, counted by school year (ministry officers' home)."""
    rows = suggestions_for(user, state=SuggestionState.PROPOSED).order_by()
    return dict(rows.values_list("school_year").annotate(n=Count("pk")).order_by("-school_year"))


def explanation_schools(suggestion: NetworkSuggestion) -> list[dict[str, Any]]:
    """The explanation's school profiles, in its order (members most in need first, then the
    example), with names as the directory has them now."""
    return list(suggestion.explanation.get("schools", []))


# --- a network's work --------------------------------------------------------------------------


def networks_listed(user: Any) -> QuerySet[Network]:
    """The networks the person reads, with their member count."""
    return access.networks_for(user).annotate(member_count=Count("schools", distinct=True))


def get_network_for_user(user: Any, pk: int) -> tuple[Network, bool]:
    """The network and whether the person leads its work; 404 unknown, 403 when not theirs."""
    network, _writable = access.get_network_for_user(user, pk)
    return network, access.can_lead_network(user, network)


def get_cycle_for_user(user: Any, pk: int, number: int) -> tuple[NetworkCycle, bool]:
    network, lead = get_network_for_user(user, pk)
    cycle = get_object_or_404(
        NetworkCycle.objects.select_related("network"), network=network, number=number
    )
    return cycle, lead


def get_action_for_user(user: Any, pk: int) -> tuple[NetworkAction, bool]:
    action = get_object_or_404(NetworkAction.objects.select_related("network", "cycle"), pk=pk)
    _network, lead = get_network_for_user(user, action.network_id)
    return action, lead


def agreements(network: Network) -> list[Agreement]:
    """Every version, latest first."""
    return list(
        network.agreements.select_related("agreed_by")
        .prefetch_related("schools")
        .order_by("-number")
    )


def agreement_version(network: Network, number: int | None) -> Agreement | None:
    rows = network.agreements.select_related("agreed_by").prefetch_related("schools")
    if number is None:
        return rows.order_by("-number").first()
    return get_object_or_404(rows, number=number)


def cycles(network: Network) -> list[NetworkCycle]:
    return list(network.cycles.order_by("number"))


def current_cycle(network: Network) -> NetworkCycle | None:
    return network.cycles.exclude(stage=Protocol.DONE).order_by("number").first()


def actions(network: Network) -> tuple[list[NetworkAction], list[NetworkAction]]:
    """(open, soonest due first, undated last; done, latest first)."""
    rows = list(network.actions.select_related("cycle"))
    open_ = sorted(
        (a for a in rows if a.done_at is None),
        key=lambda a: (a.due is None, a.due or datetime.date.max, a.pk),
    )
    done = sorted(
        (a for a in rows if a.done_at is not None),
        key=lambda a: (a.done_at or timezone.now(), a.pk),
        reverse=True,
    )
    return open_, done


def members(network: Network) -> list[School]:
    return list(network.schools.select_related("board").order_by("name", "number"))


# --- a cycle's visits ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleVisit:
    """A visit of a cycle as its page lists it: where, when, its stage and its themes."""

    visit: Visit
    themes: tuple[str, ...]
    readable: bool  # the person may open it (access.visit_rights)


def cycle_visits(user: Any, cycle: NetworkCycle) -> list[CycleVisit]:
    """The cycle's visits the person may read, with their stage and (debriefed) themes' names."""
    rows = list(
        cycle.visits.select_related("school", "school__board")
        .prefetch_related(
            Prefetch("members", queryset=VisitMember.objects.only("visit_id", "person_id"))
        )
        .order_by("on", "pk")
    )
    out = []
    for visit in rows:
        member = any(m.person_id == getattr(user, "pk", None) for m in visit.members.all())
        if not access.visit_rights(user, visit, member).read:
            continue
        themes: tuple[str, ...] = ()
        if visit.debriefed_at is not None and visit.grouping:
            try:
                grouping = affinity.from_dict(visit.grouping)
            except ValueError:
                grouping = None
            if grouping is not None:
                themes = tuple(group.title for group in grouping.groups)
        out.append(CycleVisit(visit=visit, themes=themes, readable=True))
    return out


def visit_problems(user: Any, network: Network) -> list[Any]:
    """The member schools' problems of practice a network lead may plan a network visit from
    (rounds_visit_new with ?cycle=): their statements and schools, never the plan goals they
    serve. None for anyone who does not lead the network."""
    from capacity.rounds.models import ProblemOfPractice

    if not access.can_lead_network(user, network):
        return []
    return list(
        ProblemOfPractice.objects.filter(school__in=network.schools.all())
        .select_related("school")
        .order_by("-school_year", "school__name", "pk")[:50]
    )


# --- the three cultures: signals from the network's own records ------------------------------


@dataclass(frozen=True)
class Signal:
    culture: str  # balkanisation, comfortable, contrived
    code: str
    shown: bool  # the records show this signal
    says: str | Promise  # what the records show
    cannot_tell: str | Promise  # what this signal cannot tell


CULTURE_NAMES: dict[str, Promise] = {
    "balkanisation": _("Balkanisation"),
    "comfortable": _("Comfortable collaboration"),
    "contrived": _("Contrived congeniality"),
}
CULTURE_DESCRIPTIONS: dict[str, Promise] = {
    "balkanisation": _(
        "The network splits into camps that keep to themselves: each school, or each board, "
        "works with its own people and visits its own classrooms, and what one learns does not "
        "travel to the others."
    ),
    "comfortable": _(
        "People work together pleasantly but stay away from the hard questions: they share "
        "materials and stories, agree with each other, and nothing in anyone's practice changes "
        "because of what was seen."
    ),
    "contrived": _(
        "Collaboration is arranged from above rather than grown by the members: meetings and "
        "agreements are set for them, on a fixed schedule and with outcomes decided in advance, "
        "so the members take part without owning the work."
    ),
}


def culture_signals(cycle: NetworkCycle) -> list[Signal]:
    """What the network's own records say about each culture in this cycle, honestly: each signal
    says what it reads and what it cannot tell. They are prompts for the co-reflection, never a
    verdict."""
    network = cycle.network
    schools = list(network.schools.values_list("pk", "board_id"))
    member_ids = {pk for pk, _board in schools}
    member_boards = {board for _pk, board in schools}
    visits = list(cycle.visits.values_list("pk", "school_id", "board_id", "debriefed_at"))
    signals: list[Signal] = []

    # Balkanisation: where the cycle visited, and who visited.
    if not visits:
        signals.append(
            Signal(
                "balkanisation",
                "no_visits",
                False,
                _("The cycle has no classroom visits recorded, so where members went is unknown."),
                _("Visits made without Capacity are not counted."),
            )
        )
    else:
        visited_boards = {board for _pk, _school, board, _at in visits}
        visited_schools = {school for _pk, school, _board, _at in visits}
        one_place = (len(member_boards) > 1 and len(visited_boards) == 1) or (
            len(member_ids) > 1 and len(visited_schools) == 1
        )
        signals.append(
            Signal(
                "balkanisation",
                "one_place",
                one_place,
                _("Every visit of the cycle was to schools of one board, or to one school.")
                if one_place
                else _("The cycle's visits went to schools of more than one board or school."),
                _("It cannot tell whether the members chose to stay close or had to."),
            )
        )
        visit_ids = [pk for pk, _school, _board, _at in visits]
        team = VisitMember.objects.filter(visit_id__in=visit_ids).values_list(
            "visit_id", "person_id"
        )
        schools_of: dict[int, set[int]] = {}
        people = {person for _visit, person in team}
        for person, school in (
            Membership.objects.in_force()
            .filter(user_id__in=people, school_id__in=member_ids)
            .values_list("user_id", "school_id")
        ):
            schools_of.setdefault(person, set()).add(school)
        visited_at = {pk: school for pk, school, _board, _at in visits}
        crossed = any(schools_of.get(person, set()) - {visited_at[visit]} for visit, person in team)
        signals.append(
            Signal(
                "balkanisation",
                "no_visitors_from_members",
                not crossed,
                _("No visiting team had anyone from another member school.")
                if not crossed
                else _("Visiting teams had people from other member schools."),
                _(
                    "It reads the roles people hold in Capacity: a visitor without a school role "
                    "there is not counted."
                ),
            )
        )

    # Comfortable collaboration: debriefs that led to nothing new.
    debriefed = [pk for pk, _school, _board, at in visits if at is not None]
    if debriefed:
        steps = NextStep.objects.filter(visit_id__in=debriefed).count()
        cycle_actions = cycle.actions.count()
        quiet = steps == 0 and cycle_actions == 0
        signals.append(
            Signal(
                "comfortable",
                "no_next_work",
                quiet,
                _("The cycle's debriefs recorded no next level of work, and it has no action.")
                if quiet
                else _("The cycle's debriefs led to next steps or actions."),
                _(
                    "It cannot tell whether people disagreed, or changed their practice without "
                    "writing it down."
                ),
            )
        )
    else:
        signals.append(
            Signal(
                "comfortable",
                "no_debrief",
                False,
                _("No visit of the cycle has a finished debrief yet."),
                _("A co-debrief held without a visit in Capacity is not counted."),
            )
        )
    overdue = cycle.actions.filter(done_at__isnull=True, due__lt=timezone.localdate()).count()
    signals.append(
        Signal(
            "comfortable",
            "overdue_actions",
            overdue > 0,
            _("Some of the cycle's actions are past their date and not done.")
            if overdue
            else _("None of the cycle's actions is past its date."),
            _("It cannot tell why: a date may simply have been too close."),
        )
    )

    # Contrived congeniality: an agreement no member helped write.
    agreement = network.agreements.order_by("-number").first()
    if agreement is None:
        signals.append(
            Signal(
                "contrived",
                "no_agreement",
                False,
                _("The network has no working agreement recorded yet."),
                _("An agreement kept outside Capacity is not read."),
            )
        )
    else:
        took_part = agreement.schools.count()
        alone = took_part * 2 < max(len(member_ids), 1)
        signals.append(
            Signal(
                "contrived",
                "agreement_without_members",
                alone,
                _(
                    "Fewer than half the member schools took part in agreeing the agreement in force."
                )
                if alone
                else _(
                    "At least half the member schools took part in agreeing the agreement in force."
                ),
                _(
                    "It reads who took part as its recorder wrote it down; it cannot tell how "
                    "freely they agreed."
                ),
            )
        )
    return signals


# --- impact: measures of progress against the member schools' published results ---------------


@dataclass(frozen=True)
class SchoolFigure:
    school: School
    figure: float | None
    participating: int | None
    hidden: bool  # the gate hides it (too few students, or it would reveal one that is)


@dataclass(frozen=True)
class ImpactYear:
    school_year: str
    figure: float | None  # the network's, pooled over published figures with known counts
    students: int | None
    pooled: int  # schools in the network's figure
    hidden: int  # schools whose figure is not published: never part of the network's figure
    why_none: str  # "" when there is a figure; "counts" (a count unknown) or "none"
    schools: tuple[SchoolFigure, ...]
    target_met: bool | None


@dataclass(frozen=True)
class MeasureImpact:
    assessment: str
    group: str
    target: float | None
    years: tuple[ImpactYear, ...] = field(default_factory=tuple)


def impact(network: Network, measures: list[dict[str, Any]]) -> list[MeasureImpact]:
    """Each measure's figures per school year: the network's and each member school's.

    Every figure comes through the disclosure gate, run on every group of each member school's
    cells (the complementary rule reads them all). The network's figure pools the member schools'
    *published* figures, weighting each by its participating students; a hidden figure never
    enters it. So nothing shown is a function of a hidden figure, and no subtraction (the
    network's figure times its students, less the shown schools') can recover one: the
    published figures alone give the network's figure back exactly. When a published figure's
    count is unknown (Ontario's tables give none) the figures cannot be weighted, and the page
    says the network's figure cannot be pooled rather than guess."""
    from capacity.evidence.models import Result
    from capacity.evidence.privacy import suppress_results

    schools = members(network)
    codes = sorted({m["assessment"] for m in measures})
    if not schools or not codes:
        return [MeasureImpact(m["assessment"], m["group"], m.get("target")) for m in measures]
    rows = suppress_results(Result.objects.filter(school__in=schools, assessment__code__in=codes))
    by_cell: dict[tuple[str, str, str, str], dict[str, Any]] = {
        (r["school_number"], r["school_year"], r["assessment"], r["group"]): r for r in rows
    }
    out = []
    for measure in measures:
        assessment, group, target = measure["assessment"], measure["group"], measure.get("target")
        years = sorted(
            {r["school_year"] for r in rows if (r["assessment"], r["group"]) == (assessment, group)}
        )[-IMPACT_YEARS:]
        per_year = []
        for year in years:
            figures = []
            for school in schools:
                row = by_cell.get((school.number, year, assessment, group))
                hidden = bool(row and row["suppressed"])
                figures.append(
                    SchoolFigure(
                        school=school,
                        figure=None if row is None or hidden else row["pct_at_standard"],
                        participating=None if row is None or hidden else row["participating"],
                        hidden=hidden,
                    )
                )
            shown = [f for f in figures if f.figure is not None]
            hidden_count = sum(1 for f in figures if f.hidden)
            figure: float | None = None
            students: int | None = None
            why = ""
            if not shown:
                why = "none"
            elif any(f.participating is None or f.participating <= 0 for f in shown):
                why = "counts"
            else:
                students = sum(int(f.participating or 0) for f in shown)
                figure = sum(float(f.figure or 0) * int(f.participating or 0) for f in shown) / (
                    students
                )
            per_year.append(
                ImpactYear(
                    school_year=year,
                    figure=None if figure is None else round(figure, 1),
                    students=students,
                    pooled=len(shown) if figure is not None else 0,
                    hidden=hidden_count,
                    why_none=why,
                    schools=tuple(figures),
                    target_met=None if figure is None or target is None else figure >= target,
                )
            )
        out.append(MeasureImpact(assessment, group, target, tuple(per_year)))
    return out


def member_results(network: Network) -> tuple[str | None, list[tuple[School, dict[str, Any]]]]:
    """The member schools' published results for all students in the latest year any has:
    (year, [(school, {assessment: figure or None})]). Through the gate, like every figure."""
    from capacity.evidence.models import Result
    from capacity.evidence.privacy import suppress_results

    schools = members(network)
    latest = (
        Result.objects.filter(school__in=schools, group="all")
        .order_by("-school_year")
        .values_list("school_year", flat=True)
        .first()
    )
    if latest is None:
        return None, []
    rows = suppress_results(Result.objects.filter(school__in=schools, school_year=latest))
    figures: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["group"] == "all":
            figures.setdefault(row["school_number"], {})[row["assessment"]] = row
    return latest, [(school, figures.get(school.number, {})) for school in schools]


# --- home --------------------------------------------------------------------------------------


def led_networks(user: Any) -> list[Network]:
    """Networks whose work the person leads as a facilitator (not every network, for a ministry
    officer: their home would list the province)."""
    scope = access.scope_for(user)
    return list(Network.objects.filter(pk__in=scope.network_ids).order_by("name"))


def actions_due(networks: list[Network], today: datetime.date | None = None) -> list[NetworkAction]:
    """Open actions of these networks due within DUE_SOON_DAYS (or overdue), soonest first."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=DUE_SOON_DAYS)
    return list(
        NetworkAction.objects.filter(
            network__in=networks, done_at__isnull=True, due__isnull=False, due__lte=until
        )
        .select_related("network")
        .order_by("due", "pk")
    )
