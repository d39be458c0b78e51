"""The rounds app's API: visits and their notes (capacity/rounds/api.py joins the parts).

Scoped like the pages (`selectors_visits`): a caller lists and reads the visits they may read.
A visit's notes come without their authors, always; a phone app sends its notes through the
same sync as the notes page (`services_visits.notes_sync`), idempotent by each note's
`client_id`, with a token (`Authorization: Bearer ...`).
"""

import datetime
import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from capacity.api_common import Paging, answers, id_in_path
from capacity.rounds import selectors_visits as selectors
from capacity.rounds import services_visits as services
from capacity.rounds.models import Note, Visit, VisitStage
from capacity.rounds.selectors_debrief import may_read_debrief

router = Router(tags=["rounds"])


def _refusals(view: Callable[..., Any]) -> Callable[..., Any]:
    """The services' and selectors' refusals as HTTP answers (403 through the API's handler)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {}
            return Status(400, {"detail": " ".join(exc.messages), "errors": errors})
        except PermissionDenied as exc:
            raise PermissionError(str(exc)) from exc

    return wrapper


class RoundsVisitFilters(Schema):
    school: str | None = Field(None, max_length=20, description="A school's number")
    stage: VisitStage | None = Field(None, description="planned, observing, debrief or done")


class RoundsVisitSummaryOut(Schema):
    id: int
    on: datetime.date
    school_number: str
    school_name: str
    network_id: int | None
    stage: str
    problem_id: int
    classrooms: int = Field(description="Classrooms on its schedule")
    notes: int = Field(description="Notes taken (never who took them)")


class RoundsClassroomOut(Schema):
    position: int
    starts: datetime.time | None
    minutes: int
    grade: str
    subject: str


class RoundsNoteOut(Schema):
    # No author, and no place on the schedule: with the schedule's times that would say which
    # classroom (and so which teacher) a note observed. A grade and a subject at most.
    id: int
    grade: str
    subject: str
    language: str
    teacher_doing: str
    students_doing: str
    task: str
    level: str = Field(description="The level the observer confirmed (Bloom), or empty")
    level_suggested: str = Field(description="The level suggested from the task's verbs")
    flags: list[dict[str, Any]] = Field(
        description="Judging words found in each prompt (capacity/rounds/language.py)"
    )


class RoundsVisitOut(RoundsVisitSummaryOut):
    problem: str = Field(description="The problem of practice it observes")
    evidence: str
    facilitator: str
    schedule: list[RoundsClassroomOut]
    notes_taken: list[RoundsNoteOut] = Field(
        description="Every note, without its author or its classroom's place on the schedule; "
        "for the visit's other readers, empty until its debrief is finished"
    )


def _summary(visit: Visit) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "on": visit.on,
        "school_number": visit.school.number,
        "school_name": visit.school.name,
        "network_id": visit.network_id,
        "stage": visit.stage,
        "problem_id": visit.problem_id,
        "classrooms": getattr(visit, "classroom_count", 0),
        "notes": getattr(visit, "note_count", 0),
    }


class VisitPagination(Paging):
    def paginate_queryset(
        self,
        queryset: QuerySet[Visit],
        pagination: LimitOffsetPagination.Input,
        request: HttpRequest,
        **params: Any,
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = [_summary(v) for v in page[self.items_attribute]]
        return page


def _counted(visits: QuerySet[Visit]) -> QuerySet[Visit]:
    return visits.annotate(
        classroom_count=Count("classrooms", distinct=True),
        note_count=Count("notes", distinct=True),
    )


@router.get(
    "/rounds/visits",
    response=answers(list[RoundsVisitSummaryOut]),
    url_name="api_rounds_visits",
    summary="Classroom visits the caller may read",
    description="Latest first. Filters: `school` (its number) and `stage`. Counts of classrooms "
    "and notes; never who wrote a note.",
)
@paginate(VisitPagination)
def list_visits(request: HttpRequest, filters: Query[RoundsVisitFilters]) -> QuerySet[Visit]:
    visits = selectors.visits_for(request.user)
    if filters.school:
        visits = visits.filter(school__number=filters.school)
    if filters.stage:
        visits = visits.filter(stage=filters.stage)
    return _counted(visits).order_by("-on", "-pk")


@router.get(
    "/rounds/visits/{int:visit_id}",
    response=answers(RoundsVisitOut, 403, 404),
    url_name="api_rounds_visit",
    summary="One visit: its schedule and its notes, without authors",
)
@_refusals
def get_visit(request: HttpRequest, visit_id: int = id_in_path("The visit's id")) -> dict[str, Any]:
    visit, rights = selectors.get_visit_for_user(request.user, visit_id)
    counted = _counted(Visit.objects.filter(pk=visit.pk)).get()
    # The notes as the debrief shows them: to those who run it, and to the visit's other readers
    # once it is finished (selectors_debrief.may_read_debrief).
    notes = (
        Note.objects.filter(visit=visit).defer("author").order_by("grade", "subject", "pk")
        if may_read_debrief(visit, rights)
        else Note.objects.none()
    )
    return {
        **_summary(counted),
        "problem": visit.problem.statement,
        "evidence": visit.problem.evidence,
        "facilitator": str(visit.facilitator),
        "schedule": [
            {
                "position": c.position,
                "starts": c.starts,
                "minutes": c.minutes,
                "grade": c.grade,
                "subject": c.subject,
            }
            for c in visit.classrooms.all()
        ],
        "notes_taken": [
            {
                "id": n.pk,
                "grade": n.grade,
                "subject": n.subject,
                "language": n.language,
                "teacher_doing": n.teacher_doing,
                "students_doing": n.students_doing,
                "task": n.task,
                "level": n.level,
                "level_suggested": n.level_suggested,
                "flags": n.flags,
            }
            for n in notes
        ],
    }


class RoundsNoteIn(Schema):
    client_id: str = Field(max_length=36, description="A UUID the device made for this note")
    revision: int = Field(
        0, ge=0, le=2**31 - 1, description="The revision an edit started from (0: new)"
    )
    classroom: int | None = Field(None, ge=1, le=1000, description="Its classroom's position")
    grade: str = Field("", max_length=2, description="Without a classroom: the grade's code")
    subject: str = Field("", max_length=12, description="Without a classroom: the subject's code")
    language: str = Field(max_length=2, description="en or fr")
    teacher_doing: str = Field("", max_length=services.NOTE_TEXT_MAX)
    students_doing: str = Field("", max_length=services.NOTE_TEXT_MAX)
    task: str = Field("", max_length=services.NOTE_TEXT_MAX)
    level: str = Field("", max_length=13, description="The confirmed level (Bloom), or empty")
    written_at: datetime.datetime | None = None


class RoundsNotesIn(Schema):
    notes: list[RoundsNoteIn] = Field(max_length=services.NOTES_PER_SYNC)


class RoundsNoteResultOut(Schema):
    index: int = Field(description="The note's place in the request")
    client_id: str
    status: str = Field(description="created, updated, unchanged, conflict, refused or invalid")
    errors: dict[str, list[str]]
    note: dict[str, Any] | None = Field(description="The server's copy, without its author")


class RoundsSyncOut(Schema):
    results: list[RoundsNoteResultOut]


@router.post(
    "/rounds/visits/{int:visit_id}/notes",
    response=answers(RoundsSyncOut, 400, 403, 404),
    url_name="api_rounds_visit_notes",
    summary="Send notes taken on a visit (its team members)",
    description="Idempotent by `client_id`: the same note twice is stored once (`unchanged`). "
    "An edit names the `revision` it started from; if the note changed since, nothing is "
    "overwritten (`conflict`, with the saved note). Each note gets a result by index; the good "
    "ones are kept when others are refused.",
)
@_refusals
def sync_notes(
    request: HttpRequest, body: RoundsNotesIn, visit_id: int = id_in_path("The visit's id")
) -> dict[str, Any]:
    visit, rights = selectors.get_visit_for_user(request.user, visit_id)
    if not rights.notes:
        raise PermissionDenied("Only the visit's team members send notes.")
    notes = []
    for note in body.notes:
        raw = note.dict()
        if raw["written_at"] is not None:
            raw["written_at"] = raw["written_at"].isoformat()
        notes.append(raw)
    results = services.notes_sync(user=request.user, visit=visit, notes=notes)
    return {
        "results": [
            {
                "index": r.index,
                "client_id": r.client_id,
                "status": r.status,
                "errors": r.errors,
                "note": r.note,
            }
            for r in results
        ]
    }
