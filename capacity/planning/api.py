"""API endpoints for improvement plans and support requests.

Reads go through `planning.selectors`, like the pages (scoped to the caller);
writes go through `planning.services`, whose
exceptions become HTTP answers in one place, `_service_errors`:

* `Conflict` (a stale `version`) -> 409 with the service's message and the current version;
* `NotAllowed` (a move the cycle refuses) and other validation errors -> 400 with the
  service's message (422 stays ninja's answer to a body that does not fit the schema);
* `PermissionDenied` -> 403 (through the API's PermissionError handler);
* an unknown plan or request -> 404.

Every operation documents these answers (`capacity.api_common.answers`), and the
schema states the constraints the services enforce where JSON Schema can say them.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import model_validator

from capacity.api_common import (
    MAX_ID,
    PLAIN_TEXT,
    SOME_TEXT,
    ErrorOut,
    Paging,
    ValidationErrorOut,
    answers,
    id_in_path,
)
from capacity.planning import parts_join, selectors, services
from capacity.planning.api_errors import service_errors
from capacity.planning.models import Plan, Review, Stage, SupportRequest
from capacity.schoolnumbers import MAX_LENGTH as SCHOOL_NUMBER_MAX_LENGTH

router = Router(tags=["planning"])


# --- errors ----------------------------------------------------------------------------


class ConflictOut(Schema):
    detail: str
    version: int = Field(
        description="The plan's current version: reload it, then try again from this version"
    )


_WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ConflictOut,
    422: ValidationErrorOut,
}


# --- plans -----------------------------------------------------------------------------


class TargetCounts(Schema):
    on_track: int
    off_track: int
    met: int
    no_data: int


class PlanSummaryOut(Schema):
    id: int
    kind: str
    school_number: str | None
    school_name: str | None
    board_number: str
    board_name: str
    school_year: str
    title: str
    stage: str
    review: str
    focused_intervention: bool
    version: int
    goals: int = Field(description="How many goals the plan has")
    targets: TargetCounts = Field(description="The plan's targets by live progress")
    open_support_requests: int


class PlanFilters(Schema):
    school: str = Field(
        "", max_length=SCHOOL_NUMBER_MAX_LENGTH, pattern=PLAIN_TEXT, description="School number"
    )
    board: str = Field("", max_length=10, pattern=PLAIN_TEXT, description="Board number")
    year: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="School year, such as 2018-19")
    stage: Stage | None = None
    review: Review | None = None
    focused: bool | None = Field(
        None,
        description="Only plans flagged (true) or not flagged (false) for focused intervention",
    )


class PlanPagination(Paging):
    """Limit/offset pages of plans; goal, target and request counts are computed for the page only."""

    def paginate_queryset(
        self,
        queryset: QuerySet[Plan],
        pagination: LimitOffsetPagination.Input,
        request: HttpRequest,
        **params: Any,
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = [
            s.as_dict() for s in selectors.plan_summaries(list(page[self.items_attribute]))
        ]
        return page


@router.get(
    "/plans",
    response=answers(list[PlanSummaryOut]),
    url_name="api_plans",
    summary="Plans the caller may read",
)
@paginate(PlanPagination)
def list_plans(request: HttpRequest, filters: Query[PlanFilters]) -> QuerySet[Plan]:
    return selectors.plans_filtered(
        request.user,
        school=filters.school,
        board=filters.board,
        year=filters.year,
        stage=filters.stage or "",
        review=filters.review or "",
        focused=filters.focused,
    )


class ProgressOut(Schema):
    status: str = Field(description="met, on_track, off_track or no_data")
    latest_year: str | None
    latest_value: float | None
    expected: float | None = Field(
        description="Where the line from baseline to target is in the latest year"
    )


class SnapshotTargetOut(Schema):
    measure: str
    assessment: str | None
    group: str
    description: str
    baseline_year: str
    baseline_value: float | None
    target_value: float
    target_year: str
    progress: ProgressOut


class StrategyOut(Schema):
    action: str
    responsible: str
    professional_learning: str
    resources: str
    starts: str | None
    ends: str | None
    drivers: list[str]


class GoalOut(Schema):
    statement: str
    area: str
    focus: str
    group: str
    marker_codes: str
    characteristic: str
    targets: list[SnapshotTargetOut]
    strategies: list[StrategyOut]


class CheckpointOut(Schema):
    due: str
    title: str
    evidence_gathered: str
    progress: str
    adjustments: str
    recorded_at: str | None


class PlanOut(Schema):
    id: int
    kind: str
    board: str = Field(description="Board number")
    school: str | None = Field(description="School number (none for a board plan)")
    owner: str
    school_year: str
    title: str
    stage: str
    review: str
    focused_intervention: bool
    identification: dict[str, Any]
    version: int = Field(
        description="Send this back with a change; a newer version on the server means a 409"
    )
    waiting_submission: int | None = Field(
        None,
        description="The number of the submission waiting for review (send it with a decision), if any",
    )
    overall_impact: str
    next_steps: str
    goals: list[GoalOut]
    checkpoints: list[CheckpointOut]


@router.get(
    "/plans/{int:plan_id}",
    response=answers(PlanOut, 403, 404),
    url_name="api_plan",
    summary="One plan in full, with its version",
)
@service_errors
def get_plan(request: HttpRequest, plan_id: int = id_in_path("The plan's id")) -> dict[str, Any]:
    plan, _ = selectors.get_plan_for_user(request.user, plan_id)
    basis = services.review_basis(plan)
    return {
        **services.plan_snapshot(plan),
        "waiting_submission": basis["submission"] if basis else None,
    }


class TargetOut(Schema):
    id: int
    goal_id: int
    goal: str
    measure: str
    assessment: str | None
    group: str
    description: str
    baseline_year: str
    baseline_value: float | None
    target_value: float
    target_year: str
    progress: ProgressOut
    progress_label: str


@router.get(
    "/plans/{int:plan_id}/targets",
    response=answers(list[TargetOut], 403, 404),
    url_name="api_plan_targets",
    summary="A plan's targets with their live progress",
)
@service_errors
def list_plan_targets(
    request: HttpRequest, plan_id: int = id_in_path("The plan's id")
) -> list[dict[str, Any]]:
    plan, _ = selectors.get_plan_for_user(request.user, plan_id)
    return [
        {
            "id": t.pk,
            "goal_id": t.goal_id,
            "goal": t.goal.statement,
            "measure": t.measure,
            "assessment": t.assessment.code if t.assessment else None,
            "group": t.group,
            "description": t.description,
            "baseline_year": t.baseline_year,
            "baseline_value": t.baseline_value,
            "target_value": t.target_value,
            "target_year": t.target_year,
            "progress": progress.as_dict(),
            "progress_label": str(progress.label),
        }
        for t, progress in selectors.plan_targets(plan)
    ]


class SubmissionOut(Schema):
    number: int
    decision: str
    comments: str


class PlanStateOut(Schema):
    id: int
    stage: str
    review: str
    version: int
    next_plan: int | None = Field(None, description="Next year's plan, opened when the year closes")
    submission: SubmissionOut | None = None


def _state(plan: Plan, **extra: Any) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "stage": plan.stage,
        "review": plan.review,
        "version": plan.version,
        **extra,
    }


class StageIn(Schema):
    to: Stage
    version: int = Field(description="The plan version the caller last read")


@router.post(
    "/plans/{int:plan_id}/stage",
    response={200: PlanStateOut, **_WRITE_ERRORS},
    url_name="api_plan_stage",
    summary="Move the plan along the cycle (the plan's team)",
    description="409 when the plan changed since `version`; 400 when the cycle refuses the move.",
)
@service_errors
def move_plan_stage(
    request: HttpRequest, body: StageIn, plan_id: int = id_in_path("The plan's id")
) -> dict[str, Any]:
    plan, _ = selectors.get_plan_for_user(request.user, plan_id)
    result = services.plan_stage_move(plan=plan, user=request.user, seen=body.version, to=body.to)
    return _state(plan, next_plan=result.pk if result.pk != plan.pk else None)


class SubmitIn(Schema):
    version: int = Field(description="The plan version the caller last read")


def _submission(submission: Any) -> dict[str, Any]:
    return {
        "number": submission.number,
        "decision": submission.decision,
        "comments": submission.comments,
    }


@router.post(
    "/plans/{int:plan_id}/submit",
    response={200: PlanStateOut, **_WRITE_ERRORS},
    url_name="api_plan_submit",
    summary="Send the plan for review (the plan's team)",
)
@service_errors
def submit_plan(
    request: HttpRequest, body: SubmitIn, plan_id: int = id_in_path("The plan's id")
) -> dict[str, Any]:
    plan, _ = selectors.get_plan_for_user(request.user, plan_id)
    submission = services.plan_submit(plan=plan, user=request.user, seen=body.version)
    return _state(plan, submission=_submission(submission))


class DecisionIn(Schema):
    accept: bool
    submission: int = Field(
        ge=1,
        le=2**31 - 1,
        description="The number of the submission the reviewer read (GET /api/plans/{id})",
    )
    version: int = Field(
        ge=1, le=2**31 - 1, description="The plan version the reviewer read; 409 when it moved on"
    )
    comments: str = Field("", description="Required when returning the plan")


@router.post(
    "/plans/{int:plan_id}/decision",
    response={200: PlanStateOut, **_WRITE_ERRORS},
    url_name="api_plan_decision",
    summary="Accept or return a submitted plan (its reviewers)",
)
@service_errors
def decide_plan(
    request: HttpRequest, body: DecisionIn, plan_id: int = id_in_path("The plan's id")
) -> dict[str, Any]:
    plan, _ = selectors.get_plan_for_user(request.user, plan_id)
    submission = services.plan_decide(
        plan=plan,
        user=request.user,
        accept=body.accept,
        comments=body.comments,
        submission=body.submission,
        seen=body.version,
    )
    return _state(plan, submission=_submission(submission))


# --- support requests ---------------------------------------------------------------


class SupportRequestOut(Schema):
    id: int
    board_number: str
    board_name: str
    school_number: str | None
    school_name: str | None
    plan_id: int | None
    to_ministry: bool
    tried: str
    needs: list[str]
    detail: str
    needed_by: datetime.date | None
    status: str
    answer: str
    provided: list[str]
    requested_at: datetime.datetime
    answered_at: datetime.datetime | None

    @staticmethod
    def resolve_board_number(obj: SupportRequest) -> str:
        return obj.board.number

    @staticmethod
    def resolve_board_name(obj: SupportRequest) -> str:
        return obj.board.name

    @staticmethod
    def resolve_school_number(obj: SupportRequest) -> str | None:
        return obj.school.number if obj.school else None

    @staticmethod
    def resolve_school_name(obj: SupportRequest) -> str | None:
        return obj.school.name if obj.school else None


class SupportRequestFilters(Schema):
    status: SupportRequest.Status | None = None
    board: str = Field("", max_length=10, pattern=PLAIN_TEXT, description="Board number")


@router.get(
    "/support-requests",
    response=answers(list[SupportRequestOut]),
    url_name="api_support_requests",
    summary="Support requests the caller may see",
    description="A school's staff see their school's requests, board leaders and trustees their board's, "
    "ministry officers all.",
)
@paginate(Paging)
def list_support_requests(
    request: HttpRequest, filters: Query[SupportRequestFilters]
) -> QuerySet[SupportRequest]:
    return selectors.requests_filtered(
        request.user, status=filters.status or "", board=filters.board
    )


class SupportRequestIn(Schema):
    """Exactly one of `school` and `board` says who asks."""

    model_config = {
        "json_schema_extra": {
            "oneOf": [
                {"required": ["school"], "not": {"required": ["board"]}},
                {"required": ["board"], "not": {"required": ["school"]}},
            ]
        }
    }

    school: str = Field(
        "",
        min_length=1,
        max_length=SCHOOL_NUMBER_MAX_LENGTH,
        pattern=PLAIN_TEXT,
        description="Number of the school asking (or give board)",
    )
    board: str = Field(
        "",
        min_length=1,
        max_length=10,
        pattern=PLAIN_TEXT,
        description="Number of the board asking (or give school)",
    )
    tried: str = Field(min_length=1, pattern=SOME_TEXT, description="What the team has tried")
    needs: list[SupportRequest.Need] = Field(
        min_length=1, description="What kind of support is needed"
    )
    detail: str = Field("", pattern=PLAIN_TEXT)
    needed_by: datetime.date | None = None
    plan: int | None = Field(
        None, ge=1, le=MAX_ID, description="The plan the request is about, if any"
    )
    to_ministry: bool = Field(
        False,
        description="A school's request goes to its board unless this is true; "
        "a board's always goes to the ministry",
    )

    @model_validator(mode="after")
    def _one_asker(self) -> "SupportRequestIn":
        if bool(self.school) == bool(self.board):
            raise ValueError("Give either a school number or a board number.")
        return self


@router.post(
    "/support-requests",
    response=answers(SupportRequestOut, 400, 403, 404, status=201),
    url_name="api_support_requests",
    summary="Ask for support (a school's or a board's team)",
)
@service_errors
def create_support_request(request: HttpRequest, body: SupportRequestIn) -> Status[SupportRequest]:
    school = selectors.school_by_number(body.school) if body.school else None
    board = selectors.board_by_number(body.board) if body.board else None
    plan = None
    if body.plan is not None:
        # Readable or 403/404 here; the service checks it is the caller's own plan.
        plan, _rights = selectors.get_plan_for_user(request.user, body.plan)
    created = services.support_request_create(
        user=request.user,
        school=school,
        board=board,
        plan=plan,
        tried=body.tried,
        needs=[n.value for n in body.needs],
        detail=body.detail,
        needed_by=body.needed_by,
        to_ministry=body.to_ministry,
    )
    return Status(201, created)


@router.get(
    "/support-requests/{int:request_id}",
    response=answers(SupportRequestOut, 403, 404),
    url_name="api_support_request",
    summary="One support request",
)
@service_errors
def get_support_request(
    request: HttpRequest, request_id: int = id_in_path("The request's id")
) -> SupportRequest:
    return selectors.get_request_for_user(request.user, request_id)


class SupportAnswerIn(Schema):
    answer: str = Field(min_length=1, pattern=SOME_TEXT, description="What the system provides")
    provided: list[SupportRequest.Need] = Field(
        default_factory=list, description="What kind of support is given"
    )
    close: bool = Field(False, description="Close the request (otherwise it is marked answered)")


@router.post(
    "/support-requests/{int:request_id}/answer",
    response=answers(SupportRequestOut, 400, 403, 404),
    url_name="api_support_request_answer",
    summary="Answer a support request (the board, or the ministry for requests addressed to it)",
)
@service_errors
def answer_support_request(
    request: HttpRequest, body: SupportAnswerIn, request_id: int = id_in_path("The request's id")
) -> SupportRequest:
    support = selectors.get_request_for_user(request.user, request_id)
    return services.support_request_answer(
        request=support,
        user=request.user,
        answer=body.answer,
        provided=[n.value for n in body.provided],
        close=body.close,
    )


for _part in parts_join.ROUTERS:
    router.add_router("", _part)
