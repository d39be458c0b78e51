"""Every read of a visit's debrief and of rounds' patterns over time, scoped by the person asking.

A visit is read by those `access.visit_rights` lets read it; its debrief is run (grouped,
named, levelled, predicted, finished) by those with `VisitRights.debrief` (the visit's
facilitator and the school's rounds planners); everyone else who reads the visit sees the
debrief once it is finished. Notes are shown by their grade, subject and text, never by who
wrote them or which classroom on the schedule they come from.

Patterns (`patterns_for`) are the finished debriefs of a school or of a network's visits,
visit by visit and school year by school year: the themes the teams named, how many notes
each gathered, and the tasks' levels on Bloom's taxonomy.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from capacity.directory import access
from capacity.directory.models import Network, School
from capacity.planning.models import Goal, Kind, Plan
from capacity.planning.progress import school_year_of
from capacity.rounds import affinity
from capacity.rounds.language import LEVELS, LevelCount, level_distribution
from capacity.rounds.models import Bloom, Horizon, NextStep, Note, Visit, VisitMember, VisitStage

logger = logging.getLogger(__name__)

# Bloom's three upper levels: the tasks that ask students to analyse, create and judge.
HIGHER_LEVELS = ("analysis", "synthesis", "evaluation")
LISTED = 200  # the most visits a patterns page or answer reads


def _visits() -> QuerySet[Visit]:
    return Visit.objects.select_related("problem", "school", "board", "network", "facilitator")


def is_member(user: Any, visit: Visit) -> bool:
    pk = getattr(user, "pk", None)
    return pk is not None and VisitMember.objects.filter(visit=visit, person_id=pk).exists()


def get_visit_for_user(user: Any, pk: int) -> tuple[Visit, access.VisitRights]:
    """The visit and what the person may do with it; 404 when unknown, 403 when not theirs."""
    visit = get_object_or_404(_visits(), pk=pk)
    rights = access.visit_rights(user, visit, is_member(user, visit))
    if not rights.read:
        raise PermissionDenied
    return visit, rights


def may_read_debrief(visit: Visit, rights: access.VisitRights) -> bool:
    """Whether the person sees the themes and notes: those who run the debrief always, other
    readers once it is finished."""
    return rights.debrief or visit.stage == VisitStage.DONE


# --- the notes as the affinity step sees them ---------------------------------------------


def visit_notes(visit: Visit) -> list[Note]:
    """The visit's notes by grade and subject, then in the order of their random client ids
    (nothing about their authors is loaded). Not the schedule's order nor the time written: those
    would set each classroom's notes, and each observer's synced batch, side by side."""
    return list(
        Note.objects.filter(visit=visit).defer("author").order_by("grade", "subject", "client_id")
    )


def note_text(note: Note) -> str:
    """What the affinity step compares: the three prompts' answers."""
    return "\n".join(t for t in (note.teacher_doing, note.students_doing, note.task) if t.strip())


def note_language(note: Note) -> str:
    """The note's language if the word lists know it, else English (the lists' first)."""
    return note.language if note.language in affinity.languages() else "en"


def affinity_notes(notes: list[Note]) -> list[affinity.Note]:
    return [affinity.Note(str(n.pk), note_text(n), note_language(n)) for n in notes]


def stored_grouping(visit: Visit) -> affinity.Grouping | None:
    """The grouping kept on the visit, or None (none yet, or one that no longer reads)."""
    if not visit.grouping:
        return None
    try:
        return affinity.from_dict(visit.grouping)
    except ValueError:
        logger.warning("Visit %s keeps a grouping that does not read; it is ignored", visit.pk)
        return None


# --- the debrief as a page shows it --------------------------------------------------------


@dataclass(frozen=True)
class ThemeNote:
    note: Note
    ties: tuple[affinity.Term, ...]


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    suggested_name: str
    terms: tuple[affinity.Term, ...]
    notes: tuple[ThemeNote, ...]

    @property
    def title(self) -> str:
        return self.name or self.suggested_name


@dataclass(frozen=True)
class Debrief:
    """A visit's debrief: its themes with their notes, the notes not in a theme, the tasks'
    levels, the next level of work and what still stops it from being finished."""

    visit: Visit
    notes: list[Note]
    grouping: affinity.Grouping | None
    themes: list[Theme]
    ungrouped: list[Note]  # no word to group by: the facilitator places them
    unplaced: list[Note]  # written since the notes were grouped
    levels: dict[str, LevelCount]
    unlevelled: int  # tasks without a confirmed level
    next_steps: list[NextStep]
    problems: list[str] = field(default_factory=list)

    @property
    def levelled(self) -> int:
        return sum(c["count"] for c in self.levels.values())

    @property
    def higher_share(self) -> float | None:
        return higher_share(self.levels)


def higher_share(levels: dict[str, LevelCount]) -> float | None:
    """The share of levelled tasks at analysis, synthesis or evaluation (None with no task)."""
    total = sum(c["count"] for c in levels.values())
    if not total:
        return None
    return sum(levels[code]["count"] for code in HIGHER_LEVELS) / total


def confirmed_levels(notes: list[Note]) -> list[str]:
    return [n.level for n in notes if n.level in LEVELS]


def finish_problems(visit: Visit, grouping: affinity.Grouping | None) -> list[str]:
    """Why the debrief cannot be finished yet (empty when it can), in the reader's language."""
    from django.utils.translation import gettext as _

    problems = []
    if grouping is None or not grouping.groups:
        problems.append(_("Group the notes into themes."))
    elif not any(g.name for g in grouping.groups):
        problems.append(_("Name at least one theme: a suggestion is not a name yet."))
    if not visit.prediction.strip():
        problems.append(
            _(
                "Answer the prediction question: if you were a student here and did exactly "
                "what was asked, what would you know how to do?"
            )
        )
    return problems


def debrief_for(visit: Visit) -> Debrief:
    """Everything the debrief page, its PDF and the API show of one visit."""
    notes = visit_notes(visit)
    by_id = {str(n.pk): n for n in notes}
    grouping = stored_grouping(visit)
    themes: list[Theme] = []
    placed: set[str] = set()
    ungrouped: list[Note] = []
    if grouping is not None:
        for group in grouping.groups:
            members = tuple(
                ThemeNote(by_id[i], tuple(group.ties.get(i, ())))
                for i in group.note_ids
                if i in by_id
            )
            placed.update(group.note_ids)
            if members:
                themes.append(
                    Theme(group.key, group.name, group.suggested_name, group.terms, members)
                )
        ungrouped = [by_id[i] for i in grouping.ungrouped if i in by_id]
        placed.update(grouping.ungrouped)
    unplaced = [n for n in notes if str(n.pk) not in placed] if grouping is not None else []
    levels = level_distribution(confirmed_levels(notes))
    return Debrief(
        visit=visit,
        notes=notes,
        grouping=grouping,
        themes=themes,
        ungrouped=ungrouped,
        unplaced=unplaced,
        levels=levels,
        unlevelled=sum(1 for n in notes if n.level not in LEVELS),
        next_steps=list(
            NextStep.objects.filter(visit=visit).select_related("strategy__goal__plan", "action")
        ),
        problems=finish_problems(visit, grouping) if visit.stage == VisitStage.DEBRIEF else [],
    )


def next_steps_by_horizon(steps: list[NextStep]) -> list[tuple[str, Any, list[NextStep]]]:
    """(code, label, steps) for each horizon, nearest first, every horizon listed."""
    return [(h.value, h.label, [s for s in steps if s.horizon == h.value]) for h in Horizon]


# --- the next level of work: where a step can go ---------------------------------------------


def current_plan(visit: Visit) -> Plan | None:
    """The school's newest improvement plan (where a step becomes a strategy)."""
    return (
        Plan.objects.filter(kind=Kind.SCHOOL, school_id=visit.school_id)
        .order_by("-school_year", "-pk")
        .first()
    )


def goals_for_steps(user: Any, visit: Visit) -> tuple[Plan | None, list[Goal]]:
    """The school's current plan and its goals, the problem of practice's goal first, for a
    person who writes that plan; (None, []) for anyone else, who never sees its goals."""
    plan = current_plan(visit)
    if plan is None or not access.plan_rights(user, plan).edit:
        return None, []
    goals = list(plan.goals.order_by("position", "pk"))
    first = visit.problem.goal_id
    goals.sort(key=lambda g: g.pk != first)
    return plan, goals


def horizon_end(horizon: str, today: datetime.date) -> datetime.date:
    """When a step of `horizon` is due: a week, a month, or the end of the school year (30 June)."""
    if horizon == Horizon.WEEK:
        return today + datetime.timedelta(days=7)
    if horizon == Horizon.MONTH:
        return today + datetime.timedelta(days=30)
    end = datetime.date(today.year, 6, 30)
    return end if today <= end else datetime.date(today.year + 1, 6, 30)


# --- the home page -----------------------------------------------------------------------------


def visits_to_debrief(user: Any) -> list[Visit]:
    """Visits at their debrief whose debrief the person runs: as the visit's facilitator, or as
    one who plans the school's rounds (its team, its board's leaders, a network's facilitators
    for the network's visits)."""
    scope = access.scope_for(user)
    if scope.empty:
        return []
    q = Q(facilitator_id=user.pk) | Q(board_id__in=scope.led_board_ids)
    q |= Q(school_id__in=scope.team_school_ids) | Q(network_id__in=scope.network_ids)
    return list(_visits().filter(q, stage=VisitStage.DEBRIEF).order_by("on", "pk")[:LISTED])


# --- patterns over time ------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeCount:
    title: str
    notes: int


@dataclass(frozen=True)
class VisitPattern:
    visit: Visit
    school_year: str
    themes: tuple[ThemeCount, ...]  # the named themes, most notes first
    levels: dict[str, LevelCount]
    notes: int

    @property
    def levelled(self) -> int:
        return sum(c["count"] for c in self.levels.values())

    @property
    def higher_share(self) -> float | None:
        return higher_share(self.levels)


@dataclass(frozen=True)
class YearPattern:
    school_year: str
    visits: int
    themes: tuple[ThemeCount, ...]  # named themes over the year's visits, most notes first
    levels: dict[str, LevelCount]

    @property
    def levelled(self) -> int:
        return sum(c["count"] for c in self.levels.values())

    @property
    def higher_share(self) -> float | None:
        return higher_share(self.levels)


@dataclass(frozen=True)
class Patterns:
    school: School | None
    network: Network | None
    visits: list[VisitPattern]
    years: list[YearPattern]


def patterns_place(
    user: Any, *, school: str | None, network: str | None
) -> tuple[School | None, Network | None]:
    """The school (by number) or network (by id) whose patterns the person asks for; 404 when
    unknown, 403 when the person reads no rounds there."""
    scope = access.scope_for(user)
    if bool(school) == bool(network):
        raise ValueError("patterns are for one school or one network")
    if school:
        found = get_object_or_404(School.objects.select_related("board"), number=school)
        if not scope.may_read_rounds_of(
            board_ids={found.board_id}, school_ids={found.pk}, network_id=None
        ):
            raise PermissionDenied
        return found, None
    assert network is not None
    if not network.isdigit() or int(network) > 2**63 - 1:
        raise PermissionDenied
    net = get_object_or_404(Network, pk=int(network))
    members = list(net.schools.values_list("pk", "board_id"))
    if not scope.may_read_rounds_of(
        board_ids={b for _s, b in members}, school_ids={s for s, _b in members}, network_id=net.pk
    ):
        raise PermissionDenied
    return None, net


def _theme_counts(counts: Counter[str], first_seen: dict[str, str]) -> tuple[ThemeCount, ...]:
    ordered = sorted(counts, key=lambda k: (-counts[k], k))
    return tuple(ThemeCount(first_seen[k], counts[k]) for k in ordered)


def patterns_for(user: Any, *, school: School | None, network: Network | None) -> Patterns:
    """The finished debriefs of a school's visits (or a network's visits to its member schools)
    that the person reads, oldest first, and the same by school year.

    A network's patterns hold the network's own visits only: a member school's own rounds are
    the school's, shown on its patterns as its readers read them. Themes are the names the
    teams gave (a suggestion nobody adopted is not a theme); names that differ only by case
    or accents count as one.
    """
    from capacity.folding import fold

    visits = _visits().filter(
        access.rounds_filter(user, team="members__person"), stage=VisitStage.DONE
    )
    visits = visits.filter(school=school) if school is not None else visits.filter(network=network)
    chosen = list(visits.distinct().order_by("on", "pk")[:LISTED])
    levels_of: dict[int, list[str]] = {v.pk: [] for v in chosen}
    notes_of: Counter[int] = Counter()
    for visit_id, level in Note.objects.filter(visit__in=chosen).values_list("visit_id", "level"):
        notes_of[visit_id] += 1
        if level in LEVELS:
            levels_of[visit_id].append(level)
    rows: list[VisitPattern] = []
    by_year: dict[str, list[tuple[Visit, Counter[str], list[str]]]] = {}
    seen_title: dict[str, str] = {}
    for visit in chosen:
        grouping = stored_grouping(visit)
        counts: Counter[str] = Counter()
        for group in grouping.groups if grouping is not None else ():
            if group.name:
                key = fold(group.name)
                seen_title.setdefault(key, group.name)
                counts[key] += len(group.note_ids)
        year = school_year_of(visit.on)
        rows.append(
            VisitPattern(
                visit=visit,
                school_year=year,
                themes=_theme_counts(counts, seen_title),
                levels=level_distribution(levels_of[visit.pk]),
                notes=notes_of[visit.pk],
            )
        )
        by_year.setdefault(year, []).append((visit, counts, levels_of[visit.pk]))
    years = []
    for year, entries in sorted(by_year.items()):
        total: Counter[str] = Counter()
        levels: list[str] = []
        for _visit, counts, visit_levels in entries:
            total.update(counts)
            levels += visit_levels
        years.append(
            YearPattern(
                year, len(entries), _theme_counts(total, seen_title), level_distribution(levels)
            )
        )
    return Patterns(school=school, network=network, visits=rows, years=years)


def level_label(code: str) -> str:
    return str(Bloom(code).label)
