"""API endpoints for assessment results, identification and policies."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from capacity.api_common import PLAIN_TEXT, Paging, answers
from capacity.directory import access
from capacity.evidence import parts_join, selectors
from capacity.evidence.analytics.policy import PolicyError
from capacity.evidence.models import Policy as PolicyRow
from capacity.evidence.models import Result
from capacity.evidence.privacy import suppress
from capacity.schoolnumbers import MAX_LENGTH as SCHOOL_NUMBER_MAX_LENGTH

router = Router(tags=["evidence"])


class ResultOut(Schema):
    school_number: str
    school_year: str
    assessment: str
    group: str
    participating: int | None
    pct_at_standard: float | None
    status: str
    suppressed: bool = Field(
        description="Hidden because the group, or a group it would reveal, is under 10 students"
    )
    suppression_reason: str


class SuppressedPagination(Paging):
    """Limit/offset pages of results with small groups hidden.

    Whether a group must be hidden depends on the other groups of its school,
    year and assessment (its complement), so each page's rows are judged
    together with their siblings, wherever those fall in the paging. The
    siblings are read with three IN lists (schools, years, assessments) and
    narrowed to the page's cells here: one OR clause per cell made the query
    too large for SQLite at a few thousand rows.
    """

    def paginate_queryset(
        self,
        queryset: QuerySet[Result],
        pagination: LimitOffsetPagination.Input,
        request: HttpRequest,
        **params: Any,
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        rows = [_row(r) for r in page[self.items_attribute]]
        cells = {(r["school_id"], r["school_year"], r["assessment_id"]) for r in rows}
        siblings = (
            Result.objects.filter(
                school_id__in={c[0] for c in cells},
                school_year__in={c[1] for c in cells},
                assessment_id__in={c[2] for c in cells},
            ).values(*_FIELDS)
            if cells
            else []
        )
        in_cells = (
            x for x in siblings if (x["school_id"], x["school_year"], x["assessment_id"]) in cells
        )
        judged = {
            (r["school_number"], r["school_year"], r["assessment"], r["group"]): r
            for r in suppress(_row(x) for x in in_cells)
        }
        page[self.items_attribute] = [
            judged[(r["school_number"], r["school_year"], r["assessment"], r["group"])]
            for r in rows
        ]
        return page


_FIELDS = (
    "school_id",
    "assessment_id",
    "school_year",
    "group",
    "participating",
    "pct_at_standard",
    "status",
    "school__number",
    "assessment__code",
)


def _row(values: dict[str, Any]) -> dict[str, Any]:
    row = dict(values)
    row["school_number"] = row.pop("school__number")
    row["assessment"] = row.pop("assessment__code")
    return row


YEAR_PATTERN = r"^(\d{4}-\d{2})?$"


class ResultFilters(Schema):
    school: str = Field(
        "", max_length=SCHOOL_NUMBER_MAX_LENGTH, pattern=PLAIN_TEXT, description="School number"
    )
    board: str = Field("", max_length=10, pattern=PLAIN_TEXT, description="Board number")
    year: str = Field("", pattern=YEAR_PATTERN, description="School year, such as 2018-19")
    assessment: str = Field(
        "", max_length=20, pattern=PLAIN_TEXT, description="Assessment code, such as G3-READ"
    )
    group: str = Field(
        "",
        max_length=40,
        pattern=PLAIN_TEXT,
        description="Student group, such as all, female or ell",
    )


@router.get(
    "/results",
    response=answers(list[ResultOut]),
    url_name="api_results",
    summary="Results of the schools the caller may see",
    description="Groups under the policy's minimum size, and groups that would reveal them, are hidden "
    "(`suppressed`, with the reason).",
)
@paginate(SuppressedPagination)
def list_results(
    request: HttpRequest, filters: Query[ResultFilters]
) -> QuerySet[Result, dict[str, Any]]:
    rows = Result.objects.filter(school__in=access.schools_for(request.user))
    if filters.school:
        rows = rows.filter(school__number=filters.school)
    if filters.board:
        rows = rows.filter(school__board__number=filters.board)
    if filters.year:
        rows = rows.filter(school_year=filters.year)
    if filters.assessment:
        rows = rows.filter(assessment__code=filters.assessment)
    if filters.group:
        rows = rows.filter(group=filters.group)
    rows = rows.order_by("school__number", "school_year", "assessment__position", "group")
    return rows.values(*_FIELDS)


class IdentificationQuery(Schema):
    policy: str = Field(
        "",
        max_length=100,
        pattern=PLAIN_TEXT,
        description="Policy name (the default policy when empty)",
    )
    year: str = Field(
        "", pattern=YEAR_PATTERN, description="School year (the newest with results when empty)"
    )


@router.get(
    "/identification",
    response=answers(dict[str, Any], 400, 403, 404),
    url_name="api_identification",
    summary="Identification under a policy for a year, limited to the caller's schools",
    description="404 when the policy or the year is unknown, or no results have been imported.",
)
def get_identification(request: HttpRequest, query: Query[IdentificationQuery]) -> dict[str, Any]:
    scope = access.scope_for(request.user)
    if scope.empty or (not scope.province and not scope.board_ids and not scope.school_ids):
        raise PermissionError
    try:
        policy = selectors.get_policy(query.policy or None)
    except PolicyError as exc:
        raise HttpError(400, str(exc)) from exc
    if query.policy and policy.name != query.policy:
        raise HttpError(404, f"No policy named {query.policy!r}.")
    year = query.year or selectors.default_year(policy)
    if year is None:
        raise HttpError(404, "No results have been imported.")
    if year not in selectors.result_years():
        raise HttpError(404, f"No results for {year}.")
    payload = selectors.province_identification(policy, year).to_json()
    if not scope.province:
        visible = set(access.schools_for(request.user).values_list("number", flat=True))
        payload["identified"] = [s for s in payload["identified"] if s["school_number"] in visible]
        payload["insufficient_data"] = [
            s for s in payload["insufficient_data"] if s["school_number"] in visible
        ]
        # Sustaining and static schools (issue 13 policies only) are scoped the same way.
        extra = [key for key in ("sustaining", "static") if key in payload]
        for key in extra:
            payload[key] = [s for s in payload[key] if s["school_number"] in visible]
        payload["counts"] = {
            "identified": len(payload["identified"]),
            "insufficient_data": len(payload["insufficient_data"]),
            **{key: len(payload[key]) for key in extra},
            "scope": "yours",
        }
    return payload


class PolicyOut(Schema):
    name: str
    version: int
    title: str
    is_default: bool
    definition: str


@router.get(
    "/policies",
    response=answers(list[PolicyOut]),
    url_name="api_policies",
    summary="Identification policies",
)
def list_policies(request: HttpRequest) -> list[PolicyRow]:
    return selectors.policy_rows()


@router.get(
    "/policies/{name}",
    response=answers(PolicyOut, 404),
    url_name="api_policy",
    summary="One policy, newest version",
)
def get_policy(
    request: HttpRequest,
    name: str = Path(..., max_length=100, pattern=PLAIN_TEXT, description="Policy name"),
) -> PolicyRow:
    for row in selectors.policy_rows():
        if row.name == name:
            return row
    raise HttpError(404, f"No policy named {name!r}.")


for _part in parts_join.ROUTERS:
    router.add_router("", _part)
