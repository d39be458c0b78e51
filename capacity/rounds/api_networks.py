"""The rounds app's API: networks' work (capacity/rounds/api.py joins the parts).

* GET /api/rounds/networks: the networks the caller reads (`access.networks_for`), with the
  current cycle's stage and the agreement's version in force.
* GET /api/rounds/networks/{id}: one network's work: the agreement in force, every cycle with its
  stage, the actions, and the impact figures of each measure through the disclosure gate (the
  network's figure pooled over published figures only; see `selectors_networks.impact`). No
  member school's plan, no note, no author.
* GET /api/rounds/network-suggestions: suggestions with their explanations, for those who form
  networks (`access.can_form_networks`); 403 for anyone else.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from capacity.api_common import Paging, answers, id_in_path
from capacity.directory import access
from capacity.directory.models import Network
from capacity.rounds import selectors_networks as selectors
from capacity.rounds.models import NetworkSuggestion, SuggestionState

router = Router(tags=["rounds"])


class RoundsNetworkSummaryOut(Schema):
    id: int
    name: str
    purpose: str
    schools: int = Field(description="How many member schools")
    current_cycle: int | None = Field(description="The number of the cycle under way, if any")
    current_stage: str | None = Field(
        description="co_plan, co_teach, co_debrief or co_reflect, if a cycle is under way"
    )
    agreement_version: int | None = Field(description="The agreement in force, if any")


class RoundsMeasureOut(Schema):
    assessment: str
    group: str
    target: float | None = Field(description="Target share at the standard (%), if set")


class RoundsAgreementOut(Schema):
    number: int
    agreed_on: datetime.date
    priorities: str
    norms: str
    measures: list[RoundsMeasureOut]
    schools: list[str] = Field(description="Member schools that took part in agreeing it")


class RoundsCycleOut(Schema):
    number: int
    focus: str
    stage: str = Field(description="co_plan, co_teach, co_debrief, co_reflect or done")
    starts: datetime.date | None
    ends: datetime.date | None
    visits: int = Field(description="Classroom visits planned in the cycle")
    cultures: dict[str, Any] = Field(
        description="For each of balkanisation, comfortable, contrived: noticed and what was seen"
    )


class RoundsActionOut(Schema):
    id: int
    text: str
    due: datetime.date | None
    done_at: datetime.datetime | None
    cycle: int | None = Field(description="The cycle's number, if the action belongs to one")


class RoundsSchoolFigureOut(Schema):
    school: str = Field(description="School number")
    figure: float | None = Field(description="% at the standard; null when not published")
    participating: int | None
    hidden: bool = Field(description="True when the disclosure rule hides the figure")


class RoundsImpactYearOut(Schema):
    school_year: str
    figure: float | None = Field(
        description="The network's figure, pooled over published figures with known counts"
    )
    students: int | None
    pooled: int = Field(description="Schools in the network's figure")
    hidden: int = Field(description="Schools whose figure is not published (never pooled)")
    why_none: str = Field(description='"" with a figure; "counts" (a count unknown) or "none"')
    target_met: bool | None
    schools: list[RoundsSchoolFigureOut]


class RoundsImpactOut(Schema):
    assessment: str
    group: str
    target: float | None
    years: list[RoundsImpactYearOut]


class RoundsNetworkOut(RoundsNetworkSummaryOut):
    members: list[str] = Field(description="Member schools' numbers")
    agreement: RoundsAgreementOut | None
    cycles: list[RoundsCycleOut]
    actions: list[RoundsActionOut]
    impact: list[RoundsImpactOut]


class RoundsSuggestionOut(Schema):
    id: int
    school_year: str
    state: str = Field(description="proposed, accepted or rejected")
    schools: list[str]
    explanation: dict[str, Any] = Field(
        description="Shared needs with figures, each school's profile, why the example school "
        "was chosen (docs/rounds.md, 'Learning networks')"
    )
    reason: str = Field(description="Why it was rejected")
    network: int | None = Field(description="The network formed from it")
    decided_at: datetime.datetime | None


class RoundsSuggestionFilters(Schema):
    school_year: str | None = Field(None, pattern=r"^\d{4}-\d{2}$")
    state: SuggestionState | None = None


def _summary(network: Network) -> dict[str, Any]:
    current = selectors.current_cycle(network)
    agreement = network.agreements.order_by("-number").first()
    return {
        "id": network.pk,
        "name": network.name,
        "purpose": network.purpose,
        "schools": network.schools.count(),
        "current_cycle": current.number if current else None,
        "current_stage": current.stage if current else None,
        "agreement_version": agreement.number if agreement else None,
    }


class NetworkPagination(Paging):
    def paginate_queryset(
        self, queryset: QuerySet[Network], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = [_summary(n) for n in page[self.items_attribute]]
        return page


@router.get(
    "/rounds/networks",
    response=answers(list[RoundsNetworkSummaryOut]),
    url_name="api_rounds_networks",
    summary="The learning networks you read, with their work's state",
)
@paginate(NetworkPagination)
def list_networks(request: HttpRequest) -> QuerySet[Network]:
    return access.networks_for(request.user).order_by("name", "pk")


@router.get(
    "/rounds/networks/{network_id}",
    response=answers(RoundsNetworkOut, 403, 404),
    url_name="api_rounds_network",
    summary="A network's work: agreement, cycles, actions and impact",
    description="Impact figures pass the disclosure gate; the network's figure pools published "
    "figures only, so it never reveals a hidden one. No member school's plan, no note.",
)
def get_network(
    request: HttpRequest, network_id: int = id_in_path("The network's id")
) -> dict[str, Any]:
    try:
        network, _lead = selectors.get_network_for_user(request.user, network_id)
    except PermissionDenied as exc:
        raise PermissionError(str(exc)) from exc
    agreement = selectors.agreement_version(network, None)
    open_actions, done_actions = selectors.actions(network)
    return {
        **_summary(network),
        "members": [s.number for s in selectors.members(network)],
        "agreement": {
            "number": agreement.number,
            "agreed_on": agreement.agreed_on,
            "priorities": agreement.priorities,
            "norms": agreement.norms,
            "measures": agreement.measures,
            "schools": sorted(s.number for s in agreement.schools.all()),
        }
        if agreement
        else None,
        "cycles": [
            {
                "number": c.number,
                "focus": c.focus,
                "stage": c.stage,
                "starts": c.starts,
                "ends": c.ends,
                "visits": c.visits.count(),
                "cultures": c.cultures or {},
            }
            for c in selectors.cycles(network)
        ],
        "actions": [
            {
                "id": a.pk,
                "text": a.text,
                "due": a.due,
                "done_at": a.done_at,
                "cycle": a.cycle.number if a.cycle else None,
            }
            for a in [*open_actions, *done_actions]
        ],
        "impact": [
            {
                "assessment": m.assessment,
                "group": m.group,
                "target": m.target,
                "years": [
                    {
                        "school_year": y.school_year,
                        "figure": y.figure,
                        "students": y.students,
                        "pooled": y.pooled,
                        "hidden": y.hidden,
                        "why_none": y.why_none,
                        "target_met": y.target_met,
                        "schools": [
                            {
                                "school": f.school.number,
                                "figure": f.figure,
                                "participating": f.participating,
                                "hidden": f.hidden,
                            }
                            for f in y.schools
                        ],
                    }
                    for y in m.years
                ],
            }
            for m in (selectors.impact(network, agreement.measures) if agreement else [])
        ],
    }


class SuggestionPagination(Paging):
    def paginate_queryset(
        self,
        queryset: QuerySet[NetworkSuggestion],
        pagination: Any,
        request: HttpRequest,
        **params: Any,
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = [
            {
                "id": s.pk,
                "school_year": s.school_year,
                "state": s.state,
                "schools": [school.number for school in s.schools.all()],
                "explanation": s.explanation,
                "reason": s.reason,
                "network": s.network_id,
                "decided_at": s.decided_at,
            }
            for s in page[self.items_attribute]
        ]
        return page


@router.get(
    "/rounds/network-suggestions",
    response=answers(list[RoundsSuggestionOut], 403),
    url_name="api_rounds_network_suggestions",
    summary="Networks suggested from evidence, with their explanations",
    description="For ministry officers and network facilitators. Filters: `school_year`, `state`.",
)
@paginate(SuggestionPagination)
def list_suggestions(
    request: HttpRequest, filters: Query[RoundsSuggestionFilters]
) -> QuerySet[NetworkSuggestion]:
    if not access.can_form_networks(request.user):
        raise PermissionError("Suggestions are for those who form networks.")
    return selectors.suggestions_for(
        request.user,
        school_year=filters.school_year,
        state=str(filters.state) if filters.state else None,
    )
