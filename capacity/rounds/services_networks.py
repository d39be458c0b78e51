"""Every write to learning networks' work: suggestions from evidence and their decisions, working
agreements, cycles of the four-stage protocol, and actions.

* Suggestions: those who form networks (`access.can_form_networks`: ministry officers and network
  facilitators) run `suggest.suggest_networks` for a school year on the evidence as people may
  read it (`suggestion_evidence`), then accept a suggestion (after editing its schools and
  naming the network: the directory's `network_create` makes it, and a facilitator who accepts
  becomes its facilitator) or reject it with a reason. A decision is final and kept; deciding one
  already decided is refused with who decided it.
* Agreements: a network's leads (`access.can_lead_network`) record its agreement; each change is
  a new numbered version, and one started from an older version than the latest is refused.
* Cycles move through co-plan, co-teach, co-debrief and co-reflect one stage at a time; each
  stage's record is written before moving on, and the co-reflection answers about the three
  cultures that stall collaboration. Edits name the version they started from.
* Actions: created by leads (here, or from a visit's next level of work in services_debrief),
  edited against the text and date the editor saw, marked done or not done.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.directory import access
from capacity.directory import services as directory_services
from capacity.directory.models import Network, Role, School
from capacity.evidence.labels import GROUP_NAMES
from capacity.rounds import notices_networks as notices
from capacity.rounds import suggest
from capacity.rounds.models import (
    Agreement,
    NetworkAction,
    NetworkCycle,
    NetworkSuggestion,
    Protocol,
    SuggestionState,
)

TEXT_MAX = 20000
# The cultures that stall collaboration (Hargreaves), as keys of NetworkCycle.cultures.
CULTURES = ("balkanisation", "comfortable", "contrived")
# The stages in order, and the record each one fills.
STAGES = (Protocol.CO_PLAN, Protocol.CO_TEACH, Protocol.CO_DEBRIEF, Protocol.CO_REFLECT)
SIX = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


# --- suggestions from evidence ------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """What a run reads: every school's published figures and standing, the province's figures."""

    year: str
    previous_year: str | None
    schools: tuple[suggest.SchoolEvidence, ...]
    province: dict[tuple[str, str], float]


def _float(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if number != number else number


def suggestion_evidence(*, year: str) -> Evidence:
    """The evidence a run for `year` reads, all of it as people may read it: the gated results of
    the six Grade 3 and 6 assessments (every group), the province's figures rolled up from them
    (evidence's `trends.rollup`), each school's standing against the context model this year and
    the year before with results (evidence's `beat_the_odds_table`), and where its context sits
    (evidence's `standardized_context`, the similar-schools z-scores). Cached per data version."""
    from capacity.evidence import selectors as evidence
    from capacity.evidence.analytics import trends

    def compute() -> Evidence:
        years = evidence.result_years()
        previous = trends.base_year_for(year, years, years=1) if year in years else None
        results = evidence.shown_tables().results
        rows = (
            results.filter((results.school_year == year) & results.assessment.isin(list(SIX)))
            .select(
                "school_number",
                "school_name",
                "board_number",
                "board_name",
                "assessment",
                "group",
                "pct_at_standard",
            )  # fmt: skip
            .to_pyarrow()
            .to_pylist()
        )
        province_rows = (
            trends.rollup(
                results.filter((results.school_year == year) & results.assessment.isin(list(SIX))),
                by=(),
                group=None,
            )
            .to_pyarrow()
            .to_pylist()
        )
        province = {
            (r["assessment"], r["group"]): float(r["pct_at_standard"])
            for r in province_rows
            if r["pct_at_standard"] is not None
        }
        standings_now = evidence.beat_the_odds_table(year)
        standings_before = evidence.beat_the_odds_table(previous) if previous else {}
        context_year = evidence.context_year_for(year)
        scaled = (
            evidence.standardized_context(context_year=context_year, within="*")
            if context_year
            else None
        )
        places: dict[str, tuple[tuple[float, ...], dict[str, float | None]]] = {}
        if scaled is not None:
            from capacity.evidence.analytics.schema import CONTEXT_INDICATORS

            z = [c for c in scaled.columns if c.startswith("_z")] + ["_size"]
            for record in scaled.to_dict("records"):
                places[record["school_number"]] = (
                    tuple(float(record[c]) for c in z),
                    {name: _float(record[name]) for name in CONTEXT_INDICATORS},
                )
        by_school: dict[str, dict[str, Any]] = {}
        for row in rows:
            entry = by_school.setdefault(
                row["school_number"],
                {
                    "name": row["school_name"],
                    "board_number": row["board_number"],
                    "board_name": row["board_name"],
                    "figures": {},
                },
            )
            if row["pct_at_standard"] is not None:
                entry["figures"][(row["assessment"], row["group"])] = float(row["pct_at_standard"])

        def standing(table: dict[str, dict[str, Any]], label: str | None, number: str) -> Any:
            found = table.get(number)
            if found is None or label is None or _float(found.get("residual")) is None:
                return None
            return suggest.Standing(
                year=label,
                actual=float(found["actual"]),
                predicted=float(found["predicted"]),
                residual=float(found["residual"]),
                standardized=_float(found.get("standardized_residual")),
                existence_proof=bool(found.get("existence_proof")),
            )

        schools = []
        for number in sorted(by_school):
            entry = by_school[number]
            now, before = (
                standing(standings_now, year, number),
                standing(standings_before, previous, number),
            )
            place = places.get(number)
            schools.append(
                suggest.SchoolEvidence(
                    number=number,
                    name=entry["name"],
                    board_number=entry["board_number"],
                    board_name=entry["board_name"],
                    figures=entry["figures"],
                    context=place[1] if place else {},
                    position=place[0] if place else None,
                    standings=tuple(s for s in (now, before) if s is not None)
                    if now is not None
                    else (),
                )
            )
        return Evidence(year, previous, tuple(schools), province)

    return evidence.cached(f"rounds-network-evidence:{year}", compute)


@transaction.atomic
def network_suggestions_run(
    *,
    user: Any,
    school_year: str,
    boards: list[str] | None = None,
    settings: suggest.Settings | None = None,
) -> list[NetworkSuggestion]:
    """Suggest networks for `school_year` and keep them, replacing the year's undecided ones.

    Schools of networks already formed from this year's suggestions are left out, and a group
    already rejected is not suggested again. `boards` (board numbers) limits the schools
    considered; the province's figures stay the province's."""
    if not access.can_form_networks(user):
        raise PermissionDenied
    from capacity.evidence.selectors import result_years

    if school_year not in result_years():
        raise _refuse("school_year", _("Choose a school year that has results."))
    settings = settings or suggest.Settings(limit=20)
    evidence = suggestion_evidence(year=school_year)
    schools = [s for s in evidence.schools if not boards or s.board_number in set(boards)]
    decided = NetworkSuggestion.objects.filter(school_year=school_year).exclude(
        state=SuggestionState.PROPOSED
    )
    taken = set(
        School.objects.filter(
            pk__in=decided.filter(state=SuggestionState.ACCEPTED).values("network__schools")
        ).values_list("number", flat=True)
    )
    rejected = [
        [school.number for school in suggestion.schools.all()]
        for suggestion in decided.filter(state=SuggestionState.REJECTED).prefetch_related("schools")
    ]
    run = suggest.suggest_networks(
        schools,
        evidence.province,
        settings=settings,
        exclude=taken,
        avoid=rejected,
        year=school_year,
    )
    replaced, _kinds = NetworkSuggestion.objects.filter(
        school_year=school_year, state=SuggestionState.PROPOSED
    ).delete()
    by_number = {
        s.number: s
        for s in School.objects.filter(number__in=[n for g in run.suggestions for n in g.schools])
    }
    made = []
    for found in run.suggestions:
        explanation = dict(found.explanation)
        explanation["run"] = {
            "schools": run.schools,
            "candidates": run.candidates,
            "examples": run.examples,
            "previous_year": evidence.previous_year,
            "boards": sorted(boards or []),
        }
        suggestion = NetworkSuggestion(school_year=school_year, explanation=explanation)
        suggestion.full_clean()
        suggestion.save()
        suggestion.schools.set([by_number[n] for n in found.schools if n in by_number])
        made.append(suggestion)
    audit_record(
        action=Action.NETWORKS_SUGGESTED,
        actor=user,
        target=school_year,
        detail={
            "school_year": school_year,
            "created": len(made),
            "replaced": replaced,
            "boards": sorted(boards or []),
        },
    )
    return made


def _locked_suggestion(suggestion: NetworkSuggestion) -> NetworkSuggestion:
    locked = NetworkSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.state != SuggestionState.PROPOSED:
        who = str(locked.decided_by) if locked.decided_by_id else _("someone")
        raise _refuse(
            "__all__",
            _("%(who)s already decided on this suggestion (%(state)s): nothing was changed.")
            % {"who": who, "state": locked.get_state_display().lower()},
        )
    return locked


@transaction.atomic
def network_suggestion_accept(
    *,
    user: Any,
    suggestion: NetworkSuggestion,
    schools: list[School],
    name: str,
    purpose: str,
) -> Network:
    """Form the network a suggestion proposes, with the schools as edited and a name and purpose.

    The directory makes the network; a facilitator who accepts becomes its facilitator. The
    suggestion keeps the schools it proposed; the audit entry says which were added or left out.
    """
    if not access.can_form_networks(user):
        raise PermissionDenied
    locked = _locked_suggestion(suggestion)
    errors: dict[str, list[str]] = {}
    chosen = sorted({s.pk: s for s in schools}.values(), key=lambda s: s.number)
    if len(chosen) < 2:
        errors.setdefault("schools", []).append(_("A network needs at least two schools."))
    if not name.strip():
        errors.setdefault("name", []).append(_("Give the network a name."))
    elif Network.objects.filter(name__iexact=name.strip()).exists():
        errors.setdefault("name", []).append(_("A network already has this name."))
    if not purpose.strip():
        errors.setdefault("purpose", []).append(
            _("Say what the network will work on together: its shared learning needs.")
        )
    if len(purpose) > TEXT_MAX:
        errors.setdefault("purpose", []).append(_("Keep it under 20,000 characters."))
    if errors:
        raise ValidationError(errors)
    network = directory_services.network_create(
        name=name, purpose=purpose, schools=chosen, actor=user
    )
    facilitates = Role.NETWORK_FACILITATOR in access.scope_for(user).roles
    if facilitates:
        directory_services.membership_grant(
            user=user, role=Role.NETWORK_FACILITATOR, organisation=network, actor=user
        )
    proposed = set(locked.schools.values_list("number", flat=True))
    numbers = {s.number for s in chosen}
    locked.state = SuggestionState.ACCEPTED
    locked.network = network
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.full_clean()
    locked.save()
    audit_record(
        action=Action.NETWORK_FORMED,
        actor=user,
        target=network.name,
        detail={
            "school_year": locked.school_year,
            "schools": sorted(numbers),
            "added": sorted(numbers - proposed),
            "left_out": sorted(proposed - numbers),
            "facilitator": facilitates,
        },
    )
    notices.network_formed(network=network, by=user)
    return network


@transaction.atomic
def network_suggestion_reject(
    *, user: Any, suggestion: NetworkSuggestion, reason: str
) -> NetworkSuggestion:
    """Reject a suggestion, saying why; the group is not suggested again for the year."""
    if not access.can_form_networks(user):
        raise PermissionDenied
    locked = _locked_suggestion(suggestion)
    if not reason.strip():
        raise _refuse("reason", _("Say why: the reason is kept with the decision."))
    if len(reason) > TEXT_MAX:
        raise _refuse("reason", _("Keep it under 20,000 characters."))
    locked.state = SuggestionState.REJECTED
    locked.reason = reason.strip()
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.full_clean()
    locked.save()
    audit_record(
        action=Action.SUGGESTION_REJECTED,
        actor=user,
        target=f"{locked.school_year} #{locked.pk}",
        detail={
            "school_year": locked.school_year,
            "schools": sorted(locked.schools.values_list("number", flat=True)),
            "reason": locked.reason,
        },
    )
    return locked


# --- working agreements -----------------------------------------------------------------------


def _require_lead(user: Any, network: Network) -> None:
    if not access.can_lead_network(user, network):
        raise PermissionDenied


def clean_measures(measures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Measures as stored ({"assessment", "group", "target"}), or ValidationError naming the problem."""
    from capacity.evidence.models import Assessment

    known = set(Assessment.objects.values_list("code", flat=True))
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for measure in measures:
        assessment = str(measure.get("assessment") or "")
        group = str(measure.get("group") or "all")
        target = measure.get("target")
        if assessment not in known:
            raise _refuse("measures", _("Choose each measure's assessment from the list."))
        if group not in GROUP_NAMES:
            raise _refuse("measures", _("Choose each measure's student group from the list."))
        if target is not None:
            try:
                target = round(float(target), 1)
            except (TypeError, ValueError):
                raise _refuse(
                    "measures", _("A target is a share of students, from 0 to 100.")
                ) from None
            if not 0 <= target <= 100:
                raise _refuse("measures", _("A target is a share of students, from 0 to 100."))
        if (assessment, group) in seen:
            raise _refuse("measures", _("Each measure once: an assessment and group is repeated."))
        seen.add((assessment, group))
        out.append({"assessment": assessment, "group": group, "target": target})
    return out


def agreement_in_force(network: Network) -> Agreement | None:
    return network.agreements.order_by("-number").first()


@transaction.atomic
def agreement_record(
    *,
    user: Any,
    network: Network,
    based_on: int,
    priorities: str,
    norms: str,
    measures: list[dict[str, Any]],
    agreed_on: datetime.date,
    schools: list[School],
) -> Agreement:
    """Record a new version of the network's working agreement.

    `based_on` is the version the writer started from (0 for the first): when someone recorded
    another since, nothing is saved and the error says so. `schools`: the member schools that
    took part in agreeing it (others are refused)."""
    _require_lead(user, network)
    locked = Network.objects.select_for_update().get(pk=network.pk)
    latest = locked.agreements.aggregate(n=Max("number"))["n"] or 0
    if latest != based_on:
        raise _refuse(
            "__all__",
            _(
                "Version %(n)s of the agreement was recorded after you opened it, so yours was "
                "not saved. Read it, then record your changes again."
            )
            % {"n": latest},
        )
    errors: dict[str, list[str]] = {}
    if not priorities.strip():
        errors.setdefault("priorities", []).append(_("Write the priorities you agreed on."))
    for field, text in (("priorities", priorities), ("norms", norms)):
        if len(text) > TEXT_MAX:
            errors.setdefault(field, []).append(_("Keep it under 20,000 characters."))
    try:
        cleaned = clean_measures(measures)
    except ValidationError as error:
        errors.update(error.message_dict)
        cleaned = []
    if not cleaned and "measures" not in errors:
        errors["measures"] = [_("Agree at least one measure of progress.")]
    if not isinstance(agreed_on, datetime.date):
        errors.setdefault("agreed_on", []).append(_("Give the date it was agreed."))
    elif agreed_on > timezone.localdate():
        errors.setdefault("agreed_on", []).append(_("An agreement is recorded once agreed."))
    members = set(locked.schools.values_list("pk", flat=True))
    if any(s.pk not in members for s in schools):
        errors.setdefault("schools", []).append(_("Choose among the network's member schools."))
    if errors:
        raise ValidationError(errors)
    agreement = Agreement(
        network=locked,
        number=latest + 1,
        priorities=priorities.strip(),
        norms=norms.strip(),
        measures=cleaned,
        agreed_on=agreed_on,
        agreed_by=user,
    )
    agreement.full_clean()
    agreement.save()
    agreement.schools.set(schools)
    audit_record(
        action=Action.AGREEMENT_RECORDED,
        actor=user,
        target=locked.name,
        detail={
            "agreement_version": agreement.number,
            "schools": sorted(s.number for s in schools),
        },
    )
    notices.agreement_recorded(agreement=agreement, by=user)
    return agreement


# --- cycles of the four-stage protocol ---------------------------------------------------------


def _stage_index(stage: str) -> int:
    return [*STAGES, Protocol.DONE].index(Protocol(stage))


@transaction.atomic
def network_cycle_create(
    *,
    user: Any,
    network: Network,
    focus: str,
    starts: datetime.date | None = None,
    ends: datetime.date | None = None,
) -> NetworkCycle:
    """Start the network's next cycle at co-plan. One cycle at a time: the last one is done first."""
    _require_lead(user, network)
    locked = Network.objects.select_for_update().get(pk=network.pk)
    open_cycle = locked.cycles.exclude(stage=Protocol.DONE).order_by("number").first()
    if open_cycle is not None:
        raise _refuse(
            "__all__",
            _("Cycle %(n)s is still under way: finish it (co-reflect) before starting another.")
            % {"n": open_cycle.number},
        )
    _check_cycle_text(focus=focus, starts=starts, ends=ends)
    number = (locked.cycles.aggregate(n=Max("number"))["n"] or 0) + 1
    cycle = NetworkCycle(
        network=locked, number=number, focus=focus.strip(), starts=starts, ends=ends
    )
    cycle.full_clean()
    cycle.save()
    return cycle


def _check_cycle_text(
    *, focus: str, starts: datetime.date | None, ends: datetime.date | None
) -> None:
    errors: dict[str, list[str]] = {}
    if not focus.strip():
        errors["focus"] = [_("Say what this cycle works on.")]
    elif len(focus) > TEXT_MAX:
        errors["focus"] = [_("Keep it under 20,000 characters.")]
    if starts and ends and ends < starts:
        errors["ends"] = [_("A cycle ends after it starts.")]
    if errors:
        raise ValidationError(errors)


def _clean_cultures(cultures: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in CULTURES:
        answer = cultures.get(key)
        if not isinstance(answer, dict) or answer.get("noticed") is None:
            continue
        seen = str(answer.get("seen") or "").strip()
        if len(seen) > TEXT_MAX:
            raise _refuse(key, _("Keep it under 20,000 characters."))
        if answer["noticed"] and not seen:
            raise _refuse(key, _("Say what you saw that made you notice it."))
        out[key] = {"noticed": bool(answer["noticed"]), "seen": seen}
    return out


def _locked_cycle(user: Any, cycle: NetworkCycle, version: int) -> NetworkCycle:
    locked = (
        NetworkCycle.objects.select_for_update(of=("self",))
        .select_related("network")
        .get(pk=cycle.pk)
    )
    _require_lead(user, locked.network)
    if locked.version != version:
        raise _refuse(
            "__all__",
            _(
                "Someone saved this cycle after you opened it, so your changes were not saved. "
                "What they saved is shown: check it and save again."
            ),
        )
    return locked


@transaction.atomic
def network_cycle_update(
    *,
    user: Any,
    cycle: NetworkCycle,
    version: int,
    focus: str,
    records: dict[str, str],
    cultures: dict[str, Any] | None = None,
    starts: datetime.date | None = None,
    ends: datetime.date | None = None,
    move: str = "",
) -> NetworkCycle:
    """Write the cycle's focus, dates and the records of the stages it has reached (`records` by
    stage code: co_plan, co_teach, co_debrief, co_reflect; a stage left out stays as it is); the
    cultures once it reaches co-reflect. A stage not reached yet has no record. With `move` (a
    stage), the cycle then moves there (`network_cycle_advance`): if it may not, nothing is
    saved."""
    locked = _locked_cycle(user, cycle, version)
    _check_cycle_text(focus=focus, starts=starts, ends=ends)
    reached = _stage_index(locked.stage)
    for index, stage in enumerate(STAGES):
        if stage.value not in records:
            continue  # left as it is
        text = (records.get(stage.value) or "").strip()
        if len(text) > TEXT_MAX:
            raise _refuse(stage.value, _("Keep it under 20,000 characters."))
        if index > reached and text:
            raise _refuse(
                stage.value,
                _("The cycle has not reached %(stage)s yet: write it when it does.")
                % {"stage": stage.label.lower()},
            )
        setattr(locked, stage.value, text)
    if cultures:
        if reached < _stage_index(Protocol.CO_REFLECT):
            raise _refuse("__all__", _("The three cultures are looked at in the co-reflect stage."))
        locked.cultures = _clean_cultures(cultures)
    locked.focus = focus.strip()
    locked.starts, locked.ends = starts, ends
    locked.version += 1
    locked.full_clean()
    locked.save()
    if move:
        return network_cycle_advance(user=user, cycle=locked, version=locked.version, to=move)
    return locked


@transaction.atomic
def network_cycle_advance(*, user: Any, cycle: NetworkCycle, version: int, to: str) -> NetworkCycle:
    """Move the cycle to its next stage. Stages come in order, one at a time, and a stage's record
    is written before the cycle leaves it; co-reflect ends with the three cultures answered."""
    locked = _locked_cycle(user, cycle, version)
    order = [*STAGES, Protocol.DONE]
    try:
        target = Protocol(to)
    except ValueError:
        raise _refuse("to", _("Choose one of the protocol's stages.")) from None
    here = _stage_index(locked.stage)
    if locked.stage == Protocol.DONE:
        raise _refuse("to", _("This cycle is done."))
    following = order[here + 1]
    if target != following:
        raise _refuse(
            "to",
            _("A cycle moves one stage at a time, in order: after %(here)s comes %(next)s.")
            % {
                "here": Protocol(locked.stage).label.lower(),
                "next": following.label.lower(),
            },
        )
    current = STAGES[here]
    if not getattr(locked, current.value).strip():
        raise _refuse(
            current.value,
            _("Record the %(stage)s before moving on.") % {"stage": current.label.lower()},
        )
    if current == Protocol.CO_REFLECT and any(key not in locked.cultures for key in CULTURES):
        raise _refuse(
            "__all__",
            _("Before the cycle ends, say for each of the three cultures whether you noticed it."),
        )
    locked.stage = target
    locked.version += 1
    locked.full_clean()
    locked.save()
    return locked


# --- actions -----------------------------------------------------------------------------------


def _check_action(text: str) -> str:
    if not text.strip():
        raise _refuse("text", _("Say what the network will do."))
    if len(text) > TEXT_MAX:
        raise _refuse("text", _("Keep it under 20,000 characters."))
    return text.strip()


@transaction.atomic
def network_action_create(
    *,
    user: Any,
    network: Network,
    text: str,
    due: datetime.date | None = None,
    cycle: NetworkCycle | None = None,
) -> NetworkAction:
    _require_lead(user, network)
    if cycle is not None and cycle.network_id != network.pk:
        raise _refuse("cycle", _("Choose one of this network's cycles."))
    action = NetworkAction(
        network=network, cycle=cycle, text=_check_action(text), due=due, created_by=user
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def network_action_update(
    *,
    user: Any,
    action: NetworkAction,
    done: bool,
    text: str | None = None,
    due: datetime.date | None = None,
    seen_text: str | None = None,
    seen_due: datetime.date | None = None,
) -> NetworkAction:
    """Mark an action done (or not), and change its text and date when `text` is given.

    A change names the text and date the editor saw (`seen_text`, `seen_due`): if someone changed
    them since, nothing is saved. Marking done needs no such check: it means the same whoever
    does it."""
    locked = NetworkAction.objects.select_for_update().select_related("network").get(pk=action.pk)
    _require_lead(user, locked.network)
    if text is not None:
        if (seen_text or "").strip() != locked.text or seen_due != locked.due:
            raise _refuse(
                "__all__",
                _(
                    "Someone changed this action after you opened it, so your change was not "
                    "saved. Check it and change it again."
                ),
            )
        locked.text = _check_action(text)
        locked.due = due
    if done and locked.done_at is None:
        locked.done_at = timezone.now()
    elif not done:
        locked.done_at = None
    # Its creator may have left (SET_NULL): that is no reason to refuse a change.
    locked.full_clean(exclude=["created_by"])
    locked.save()
    return locked
