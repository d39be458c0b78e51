"""The rounds app's API: debriefs and patterns (capacity/rounds/api.py joins the parts).

* GET /api/rounds/patterns?school=<number> | ?network=<id>: the finished debriefs of a school
  (or of a network's visits to its member schools) the caller reads, visit by visit and
  school year by school year: the named themes with how many notes each gathered, and the
  tasks by Bloom's level ("task predicts performance").
* GET /api/rounds/visits/{id}/debrief: one visit's debrief: its themes (with the words that
  explain them), its notes (grade, subject, the three prompts, the task's level; never who
  wrote them), the prediction and the next level of work. Those who run the debrief read it
  at any time; the visit's other readers once it is finished (before, `finished` is false and
  the lists are empty).

Scoped as the pages: `selectors_debrief.get_visit_for_user` and `patterns_place`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from capacity.api_common import answers, id_in_path
from capacity.rounds import selectors_debrief as selectors
from capacity.rounds.language import LEVELS, LevelCount
from capacity.rounds.models import VisitStage

router = Router(tags=["rounds"])


class RoundsLevelCountOut(Schema):
    level: str = Field(description="A level of Bloom's taxonomy, lowest first")
    count: int
    share: float = Field(description="Its share of the tasks with a confirmed level (0 to 1)")


class RoundsThemeCountOut(Schema):
    title: str = Field(description="The theme's name, as the team named it")
    notes: int


class RoundsPatternVisitOut(Schema):
    visit: int
    on: datetime.date
    school_year: str
    school_number: str
    school_name: str
    network: int | None
    notes: int
    themes: list[RoundsThemeCountOut]
    levels: list[RoundsLevelCountOut]
    higher_share: float | None = Field(
        description="The share of levelled tasks at analysis, synthesis or evaluation"
    )


class RoundsPatternYearOut(Schema):
    school_year: str
    visits: int
    themes: list[RoundsThemeCountOut]
    levels: list[RoundsLevelCountOut]
    higher_share: float | None


class RoundsPatternsOut(Schema):
    school_number: str | None
    network: int | None
    visits: list[RoundsPatternVisitOut]
    years: list[RoundsPatternYearOut]


class RoundsPatternsQuery(Schema):
    school: str | None = Field(None, max_length=20, description="A school's number")
    network: int | None = Field(None, ge=1, le=2**63 - 1, description="A network's id")


def _levels(levels: dict[str, LevelCount]) -> list[dict[str, Any]]:
    return [
        {"level": code, "count": levels[code]["count"], "share": round(levels[code]["share"], 4)}
        for code in LEVELS
    ]


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@router.get(
    "/rounds/patterns",
    response=answers(RoundsPatternsOut, 400, 403, 404),
    url_name="api_rounds_patterns",
    summary="Rounds' patterns over time for a school or a network",
    description="Give `school` (a school's number) or `network` (a network's id), not both. "
    "Finished debriefs only, oldest first: named themes with their note counts and the tasks "
    "by Bloom's level, per visit and per school year.",
)
def rounds_patterns(request: HttpRequest, query: Query[RoundsPatternsQuery]) -> dict[str, Any]:
    # An empty `school=` is no school (schemathesis sent one and the selector refused it).
    school_number = query.school or None
    if (school_number is None) == (query.network is None):
        raise HttpError(400, "Give a school's number or a network's id, not both.")
    try:
        school, network = selectors.patterns_place(
            request.user,
            school=school_number,
            network=str(query.network) if query.network is not None else None,
        )
    except PermissionDenied as exc:
        raise PermissionError(str(exc)) from exc
    patterns = selectors.patterns_for(request.user, school=school, network=network)
    return {
        "school_number": school.number if school is not None else None,
        "network": network.pk if network is not None else None,
        "visits": [
            {
                "visit": row.visit.pk,
                "on": row.visit.on,
                "school_year": row.school_year,
                "school_number": row.visit.school.number,
                "school_name": row.visit.school.name,
                "network": row.visit.network_id,
                "notes": row.notes,
                "themes": [{"title": t.title, "notes": t.notes} for t in row.themes],
                "levels": _levels(row.levels),
                "higher_share": _share(row.higher_share),
            }
            for row in patterns.visits
        ],
        "years": [
            {
                "school_year": year.school_year,
                "visits": year.visits,
                "themes": [{"title": t.title, "notes": t.notes} for t in year.themes],
                "levels": _levels(year.levels),
                "higher_share": _share(year.higher_share),
            }
            for year in patterns.years
        ],
    }


class RoundsTermOut(Schema):
    word: str = Field(description="A word of the notes that explains the theme")
    notes: int = Field(description="How many of the theme's notes use it")


class RoundsThemeOut(Schema):
    key: str
    name: str = Field(description="The team's name for it; empty while only suggested")
    suggested_name: str
    terms: list[RoundsTermOut]
    notes: list[int] = Field(description="The ids of its notes")


class RoundsDebriefNoteOut(Schema):
    id: int
    language: str
    grade: str
    subject: str
    teacher_doing: str
    students_doing: str
    task: str
    level: str = Field(description="The confirmed level of the task; empty if not confirmed")
    level_suggested: str
    theme: str | None = Field(description="The key of its theme")


class RoundsNextStepOut(Schema):
    id: int
    horizon: str = Field(description="week, month or year")
    text: str
    strategy: int | None = Field(description="The plan strategy it became")
    action: int | None = Field(description="The network action it became")


class RoundsDebriefOut(Schema):
    visit: int
    on: datetime.date
    school_number: str
    network: int | None
    stage: str
    finished: bool
    debriefed_at: datetime.datetime | None
    problem: str = Field(description="The problem of practice")
    prediction: str
    themes: list[RoundsThemeOut]
    ungrouped: list[int] = Field(description="Notes with no word to group by")
    notes: list[RoundsDebriefNoteOut]
    levels: list[RoundsLevelCountOut]
    next_steps: list[RoundsNextStepOut]


@router.get(
    "/rounds/visits/{visit_id}/debrief",
    response=answers(RoundsDebriefOut, 403, 404),
    url_name="api_rounds_debrief",
    summary="A visit's debrief: themes, notes, levels, prediction, next steps",
    description="Notes carry no author. The visit's readers who do not run its debrief get "
    "the lists once it is finished (`finished`); before, they are empty.",
)
def rounds_debrief(
    request: HttpRequest, visit_id: int = id_in_path("The visit's id")
) -> dict[str, Any]:
    try:
        visit, rights = selectors.get_visit_for_user(request.user, visit_id)
    except PermissionDenied as exc:
        raise PermissionError(str(exc)) from exc
    finished = visit.stage == VisitStage.DONE
    out: dict[str, Any] = {
        "visit": visit.pk,
        "on": visit.on,
        "school_number": visit.school.number,
        "network": visit.network_id,
        "stage": visit.stage,
        "finished": finished,
        "debriefed_at": visit.debriefed_at,
        "problem": visit.problem.statement,
        "prediction": "",
        "themes": [],
        "ungrouped": [],
        "notes": [],
        "levels": [],
        "next_steps": [],
    }
    if not selectors.may_read_debrief(visit, rights):
        return out
    debrief = selectors.debrief_for(visit)
    theme_of = {item.note.pk: t.key for t in debrief.themes for item in t.notes}
    out.update(
        prediction=visit.prediction,
        themes=[
            {
                "key": t.key,
                "name": t.name,
                "suggested_name": t.suggested_name,
                "terms": [{"word": term.word, "notes": term.notes} for term in t.terms],
                "notes": [item.note.pk for item in t.notes],
            }
            for t in debrief.themes
        ],
        ungrouped=[n.pk for n in debrief.ungrouped],
        notes=[
            {
                "id": n.pk,
                "language": n.language,
                "grade": n.grade,
                "subject": n.subject,
                "teacher_doing": n.teacher_doing,
                "students_doing": n.students_doing,
                "task": n.task,
                "level": n.level,
                "level_suggested": n.level_suggested,
                "theme": theme_of.get(n.pk),
            }
            for n in debrief.notes
        ],
        levels=_levels(debrief.levels),
        next_steps=[
            {
                "id": s.pk,
                "horizon": s.horizon,
                "text": s.text,
                "strategy": s.strategy_id,
                "action": s.action_id,
            }
            for s in debrief.next_steps
        ],
    )
    return out
