"""The rounds app's API: lesson study (capacity/rounds/api.py joins the parts).

Studies the caller reads, as on the pages (`selectors_lessons.studies_for`): their school, the
step their current cycle is at and how many cycles they have; and one study with every cycle's
records. The plan goal a study serves is not part of an answer (the pages show it only to those
who read the school's plan), nor is its team: a data team reads the work, not who did it.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from capacity.api_common import PLAIN_TEXT, Paging, answers, id_in_path
from capacity.rounds import selectors_lessons as selectors
from capacity.rounds.models import LessonCycle, LessonStudy
from capacity.schoolnumbers import MAX_LENGTH as SCHOOL_NUMBER_MAX_LENGTH

router = Router(tags=["rounds"])


class RoundsLessonFilters(Schema):
    school: str = Field(
        "", max_length=SCHOOL_NUMBER_MAX_LENGTH, pattern=PLAIN_TEXT, description="School number"
    )
    finished: bool | None = Field(
        None, description="Only finished studies (true) or studies in progress (false)"
    )


class RoundsLessonFactsOut(Schema):
    id: int
    title: str
    school_number: str
    school_name: str
    board_number: str
    network: str | None = Field(description="The network's name, for a network's study")
    school_year: str
    grade: str = Field(description="K or 1 to 12; empty when not given")
    subject: str = Field(description="The subject's code; empty when not given")
    step: str = Field(description="The current cycle's step: plan, teach, critique, revise or done")
    finished_at: datetime.datetime | None
    shared: bool = Field(description="Whether its findings became a case study of the library")


class RoundsLessonSummaryOut(RoundsLessonFactsOut):
    cycles: int = Field(description="How many cycles the study has (the last is the current one)")


class RoundsLessonCycleOut(Schema):
    number: int
    step: str = Field(description="plan, teach, critique, revise or done")
    lesson_plan: str
    misconceptions: str = Field(description="The misconceptions the team anticipated")
    taught_on: datetime.date | None
    observations: str = Field(description="What the team observed (never attributed to anyone)")
    critique: str
    revisions: str = Field(description="What the team will change")


class RoundsLessonOut(RoundsLessonFactsOut):
    overarching_goal: str
    research_question: str
    findings: str = Field(description="What the team learned (once finished)")
    cycles: list[RoundsLessonCycleOut] = Field(description="Every cycle's records, first to last")


def _summary(study: LessonStudy) -> dict[str, Any]:
    number, step = selectors.now_of(study)
    return {
        "id": study.pk,
        "title": study.title,
        "school_number": study.school.number,
        "school_name": study.school.name,
        "board_number": study.board.number,
        "network": study.network.name if study.network else None,
        "school_year": study.school_year,
        "grade": study.grade,
        "subject": study.subject,
        "step": step,
        "cycles": number,
        "finished_at": study.finished_at,
        "shared": study.case_id is not None,
    }


def _cycle(cycle: LessonCycle) -> dict[str, Any]:
    return {
        "number": cycle.number,
        "step": cycle.step,
        "lesson_plan": cycle.lesson_plan,
        "misconceptions": cycle.misconceptions,
        "taught_on": cycle.taught_on,
        "observations": cycle.observations,
        "critique": cycle.critique,
        "revisions": cycle.revisions,
    }


class LessonPagination(Paging):
    """Limit/offset pages of studies, each summed up (its current cycle comes with the query)."""

    def paginate_queryset(
        self, queryset: QuerySet[LessonStudy], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = [_summary(s) for s in page[self.items_attribute]]
        return page


@router.get(
    "/rounds/lessons",
    response=answers(list[RoundsLessonSummaryOut]),
    url_name="api_rounds_lessons",
    summary="Lesson studies the caller reads",
    description="By school year (latest first) and title. Filters: `school` (its number) and "
    "`finished`. Each study with its current cycle's number and step.",
)
@paginate(LessonPagination)
def list_lessons(
    request: HttpRequest, filters: Query[RoundsLessonFilters]
) -> QuerySet[LessonStudy]:
    studies = selectors.studies_for(request.user).order_by("-school_year", "title", "pk")
    if filters.school:
        studies = studies.filter(school__number=filters.school)
    if filters.finished is not None:
        studies = studies.filter(finished_at__isnull=not filters.finished)
    return studies


@router.get(
    "/rounds/lessons/{int:study_id}",
    response=answers(RoundsLessonOut, 403, 404),
    url_name="api_rounds_lesson",
    summary="One lesson study with every cycle's records",
)
def get_lesson(
    request: HttpRequest, study_id: int = id_in_path("The study's id")
) -> dict[str, Any]:
    try:
        study, _rights = selectors.get_study_for_user(request.user, study_id)
    except PermissionDenied as exc:
        raise PermissionError("Not in your part of the organisation.") from exc
    return {
        **_summary(study),
        "overarching_goal": study.overarching_goal,
        "research_question": study.research_question,
        "findings": study.findings,
        "cycles": [_cycle(c) for c in selectors.cycles_of(study)],
    }
