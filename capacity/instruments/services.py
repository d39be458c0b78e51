"""Every instrument write: loading a definition (a new instrument, another wording, a new version).

Loading is safe to run twice: the same content again changes nothing. Another
wording of the same structure replaces the wording (an organisation's licensed
text); a changed structure needs a higher version, so results are never compared
across instruments that ask different things under the same number.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.directory import access
from capacity.directory.models import Board, Role, School
from capacity.instruments import notices
from capacity.instruments.definition import (
    FLOOR,
    Definition,
    DefinitionError,
    Problem,
    from_json,
    parse,
)
from capacity.instruments.models import (
    Instrument,
    Invitation,
    Rater,
    RegisterEntry,
    Response,
    Round,
    RoundAction,
)
from capacity.instruments.outcomes import CREATED, UNCHANGED, VERSION, WORDING
from capacity.instruments.scoring import PROFILE_PREFIX
from capacity.planning import selectors as planning_selectors
from capacity.planning import services as planning_services
from capacity.planning.models import Area, Characteristic, Goal, Plan
from capacity.planning.progress import school_year_of

SHIPPED = Path(__file__).resolve().parent / "definitions"


@dataclass(frozen=True)
class Loaded:
    instrument: Instrument
    outcome: str  # CREATED, UNCHANGED, WORDING or VERSION
    definition: Definition


def read_file(path: Path) -> str:
    """The file's text, refusing what is not UTF-8 (with the byte's position) or not a file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DefinitionError(
            [Problem(path.name, None, "", f"cannot be read: {error.strerror or error}")]
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DefinitionError(
            [
                Problem(
                    path.name,
                    line,
                    "",
                    f"byte {error.start + 1} is not UTF-8: save the file as UTF-8",
                )
            ]
        ) from None


@transaction.atomic
def instrument_load(
    *,
    text: str,
    file_name: str,
    actor: Any = None,
    actor_label: str = "",
    shipped: bool = False,
    audit: bool = True,
) -> Loaded:
    """Check and store one definition; DefinitionError (nothing stored) when it is refused.

    Every load a person asks for is audited; a fresh database taking the shipped
    definitions (`audit=False`, from migrate) is Capacity setting itself up, not an action.
    """
    definition = parse(text, file_name)
    current = Instrument.objects.select_for_update().filter(code=definition.code).first()
    content = definition.content_digest()
    structure = definition.structure_digest()
    if current is not None:
        if current.content_digest == content:
            return Loaded(current, UNCHANGED, definition)
        if current.structure_digest == structure and definition.version == current.version:
            outcome = WORDING
        elif definition.version > current.version:
            outcome = VERSION
        else:
            why = (
                f"version {definition.version} is older than the loaded version {current.version}"
                if definition.version < current.version
                else "the structure (dimensions, items, scale, reverse flags or scoring) differs "
                f"from the loaded version {current.version}: raise the version"
            )
            raise DefinitionError([Problem(file_name, None, "version", why)])
    instrument = current or Instrument(code=definition.code)
    instrument.version = definition.version
    instrument.kind = definition.kind
    instrument.name_en, instrument.name_fr = definition.name.en, definition.name.fr
    instrument.definition = definition.as_json()
    instrument.structure_digest, instrument.content_digest = structure, content
    instrument.source_file = file_name[:300]
    instrument.shipped = shipped
    instrument.full_clean()
    instrument.save()
    if audit:
        audit_record(
            action=Action.INSTRUMENT_LOADED,
            actor=actor,
            actor_label=actor_label,
            target=definition.code,
            detail={
                "instrument_version": definition.version,
                "source": file_name,
                "outcome": CREATED if current is None else outcome,
                "content": content,
            },
        )
    return Loaded(instrument, CREATED if current is None else outcome, definition)


def shipped_files() -> list[Path]:
    return sorted(SHIPPED.glob("*.yaml"))


def load_shipped(
    *, replace: bool = False, actor_label: str = "capacity", audit: bool = True
) -> list[Loaded]:
    """Load the definitions Capacity ships. An instrument already loaded is left as it is
    (an organisation's wording stays) unless `replace`."""
    loaded = []
    present = set(Instrument.objects.values_list("code", flat=True))
    for path in shipped_files():
        text = read_file(path)
        if not replace and parse(text, path.name).code in present:
            continue
        loaded.append(
            instrument_load(
                text=text, file_name=path.name, actor_label=actor_label, shipped=True, audit=audit
            )
        )
    return loaded


def load_shipped_after_migrate(sender: Any, **kwargs: Any) -> None:
    """post_migrate: a database that has the instruments table gets the shipped instruments.

    Also after a test database is flushed (its post_migrate may carry no app registry):
    the table's presence is what counts."""
    from django.db import connections

    using = kwargs.get("using", "default")
    if using != "default":
        return
    if Instrument._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated backwards past the app's first migration
    load_shipped(actor_label="capacity migrate", audit=False)


# --- survey rounds ---------------------------------------------------------------------------


class NotAllowed(ValidationError):
    """The move is not open to anyone now (the round is closed, the response already sent)."""


class Conflict(Exception):
    """The response changed since the person loaded it (another tab or device saved first)."""

    def __init__(self, response: Response) -> None:
        super().__init__("The response changed since it was loaded.")
        self.response = response


def round_state(round_: Round, today: datetime.date | None = None) -> str:
    """scheduled (before it opens), open, or closed (after its last day, or closed early)."""
    today = today or timezone.localdate()
    if round_.closed_at is not None or today > round_.closes_on:
        return CLOSED
    return SCHEDULED if today < round_.opens_on else OPEN


SCHEDULED, OPEN, CLOSED = "scheduled", "open", "closed"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def round_open(
    *,
    user: Any,
    instrument: Instrument,
    board: Board | None = None,
    school: School | None = None,
    roles: list[str] | None = None,
    opens_on: datetime.date,
    closes_on: datetime.date,
    subject: Any = None,
    min_respondents: int | None = None,
    links: int = 0,
    actor_label: str = "",
    people: list[tuple[Any, str]] | None = None,
    about: dict[str, str] | None = None,
) -> tuple[Round, list[str]]:
    """Open a round of `instrument` for a board or a school and invite its people.

    Invited: the people holding one of `roles` (default: the instrument's respondents)
    in the organisation, each once; with `subject`, the leader others rate, who rates
    themselves. `links` single-use links are made for people without accounts; the
    tokens are returned once and only their hashes are kept.

    `people` invites exactly these (person, role) pairs instead, for a round whose
    respondents were chosen by hand (a module session's participants); the round's
    roles are then theirs. The caller decides who may be chosen; each role must be one
    the instrument is for.

    `about` says, by language ({"en": ..., "fr": ...}), what the round is about when the
    instrument's name alone does not (a module evaluation names its session); invitations,
    the home page and the answer page show it.
    """
    definition = from_json(instrument.definition)
    if user is not None and not access.can_run_survey(user, board=board, school=school):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if (board is None) == (school is None):
        errors.setdefault("__all__", []).append(_("A round is for one board or one school."))
    if definition.kind in ("reference", "register"):
        errors.setdefault("instrument", []).append(
            _("%(name)s is not answered in rounds.") % {"name": definition.name.get(get_language())}
        )
    chosen_people: list[tuple[Any, str]] = []
    if people is not None:
        chosen_people = list({person.pk: (person, role) for person, role in people}.values())
        if not chosen_people:
            errors.setdefault("people", []).append(_("Invite at least one person."))
        given = {role for _person, role in chosen_people}
        roles = [r for r in definition.respondents if r in given]
        roles += sorted(given - set(definition.respondents))
    chosen = list(roles if roles is not None else definition.respondents)
    unknown = [role for role in chosen if role not in definition.respondents]
    if unknown or (not chosen and people is None):
        errors.setdefault("roles", []).append(
            _("Choose among the roles this instrument is for: %(roles)s.")
            % {"roles": ", ".join(str(Role(r).label) for r in definition.respondents)}
        )
    if closes_on < opens_on:
        errors.setdefault("closes_on", []).append(_("A round closes on or after the day it opens."))
    if closes_on < timezone.localdate():
        errors.setdefault("closes_on", []).append(_("The closing date has passed."))
    minimum = definition.min_respondents if min_respondents is None else min_respondents
    if minimum < max(FLOOR, definition.min_respondents):
        errors.setdefault("min_respondents", []).append(
            _(
                "Figures are hidden below %(n)s respondents for this instrument; choose that or more."
            )
            % {"n": max(FLOOR, definition.min_respondents)}
        )
    others = "others" in definition.raters
    if others and subject is None:
        errors.setdefault("subject", []).append(_("Name the leader the others rate."))
    if not others and subject is not None:
        errors.setdefault("subject", []).append(
            _("Only a round where others rate a leader names one.")
        )
    if not 0 <= links <= 5000:
        errors.setdefault("links", []).append(_("Make between 0 and 5,000 links."))
    if errors:
        raise ValidationError(errors)
    round_ = Round(
        instrument=instrument,
        definition=instrument.definition,
        structure_digest=instrument.structure_digest,
        board=board,
        school=school,
        subject=subject,
        roles=chosen,
        opens_on=opens_on,
        closes_on=closes_on,
        min_respondents=minimum,
        about={k: str(v) for k, v in (about or {}).items() if k in ("en", "fr") and v},
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    round_.full_clean()
    round_.save()
    invited = (
        chosen_people
        if people is not None
        else access.survey_respondent_people(board=board, school=school, roles=chosen)
    )
    invitations = [
        Invitation(
            round=round_,
            user=person,
            role=role,
            rater=Rater.SELF if (not others or person == subject) else Rater.OTHERS,
        )
        for person, role in invited
    ]
    if subject is not None and all(person != subject for person, _role in invited):
        invitations.append(Invitation(round=round_, user=subject, role="", rater=Rater.SELF))
    Invitation.objects.bulk_create(invitations)
    tokens = _links(round_, links, others)
    audit_record(
        action=Action.ROUND_OPENED,
        actor=user,
        actor_label=actor_label,
        target=str(round_),
        detail={"round": round_.pk, "invited": len(invitations), "links": links, "roles": chosen},
    )
    notices.round_opened(round_=round_, by=user)
    return round_, tokens


def _links(round_: Round, count: int, others: bool) -> list[str]:
    tokens = [secrets.token_urlsafe(24) for _ in range(count)]
    Invitation.objects.bulk_create(
        Invitation(
            round=round_,
            token_hash=_hash(token),
            rater=Rater.OTHERS if others else Rater.SELF,
        )
        for token in tokens
    )
    return tokens


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a single-use link stands for (None for an unknown link)."""
    return (
        Invitation.objects.select_related("round", "round__instrument")
        .filter(token_hash=_hash(token), user__isnull=True)
        .first()
    )


def check_answers(
    definition: Definition, answers: dict[str, Any], *, complete: bool
) -> dict[str, int]:
    """The answers as whole numbers on the scale, or ValidationError naming each bad one.

    Keys are item codes (a rubric's dimension codes; a profile's quadrant counts under
    `profile.<quadrant>`). With `complete`, every item must have an answer.
    """
    scale = definition.scale
    if scale is None:
        raise ValidationError(_("This instrument is not answered."))
    if definition.kind == "rubric":
        expected = {d.code: d.name for d in definition.dimensions}
    else:
        expected = {item.code: item.text for item in definition.items}
    counts = (
        {PROFILE_PREFIX + q.code for q in definition.profile.quadrants}
        if definition.profile
        else set()
    )
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    for code, raw in answers.items():
        if raw in (None, ""):
            continue
        if code not in expected and code not in counts:
            errors.setdefault(code, []).append(_("Not a question of this instrument."))
            continue
        try:
            value = int(str(raw).strip())
        except ValueError:
            errors.setdefault(code, []).append(_("Choose one of the answers offered."))
            continue
        if code in counts:
            if not 0 <= value <= 1000:
                errors.setdefault(code, []).append(_("Give a number of students from 0 to 1,000."))
                continue
        elif not scale.min <= value <= scale.max:
            errors.setdefault(code, []).append(_("Choose one of the answers offered."))
            continue
        clean[code] = value
    if complete:
        for code in expected:
            if code not in clean and code not in errors:
                errors.setdefault(code, []).append(_("Answer this question before sending."))
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def response_save(
    *,
    invitation: Invitation,
    answers: dict[str, Any],
    evidence: dict[str, str] | None = None,
    comment: str = "",
    seen: int | None = None,
    submit: bool = False,
) -> Response:
    """Save the person's answers as a draft, or send them (`submit`).

    Safe to repeat: sending the same answers again (a double click, a retry after a
    lost connection) returns the response already sent and makes nothing new. A draft
    saved since `seen` (its version when the page was loaded) raises Conflict, so two
    tabs never silently overwrite each other; nothing is accepted after the round closes.
    """
    round_ = Round.objects.select_for_update().get(pk=invitation.round_id)
    definition = from_json(round_.definition)
    clean = check_answers(definition, answers, complete=submit)
    notes = {k: v.strip()[:2000] for k, v in (evidence or {}).items() if v and v.strip()}
    comment = comment.strip()[:5000]
    response, _created = Response.objects.select_for_update().get_or_create(invitation=invitation)
    if response.submitted_at is not None:
        if submit and response.answers == clean and response.comment == comment:
            return response  # the same sending again: nothing new
        raise NotAllowed(_("Your answers were already sent; they cannot change now."))
    state = round_state(round_)
    if state != OPEN:
        raise NotAllowed(
            _("This round is closed.") if state == CLOSED else _("This round is not open yet.")
        )
    if seen is not None and not _created and response.version != seen:
        raise Conflict(response)
    response.answers, response.evidence, response.comment = clean, notes, comment
    response.version = (response.version or 0) + (0 if _created else 1)
    if submit:
        response.submitted_at = timezone.now()
    response.save()
    return response


@transaction.atomic
def round_close(*, round_: Round, user: Any, actor_label: str = "") -> Round:
    """Close a round before its last day (or after it, to record when it was closed)."""
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if user is not None and not access.can_run_survey(
        user, board=locked.board, school=locked.school
    ):
        raise PermissionDenied
    if locked.closed_at is not None:
        return locked
    locked.closed_at = timezone.now()
    locked.save(update_fields=["closed_at"])
    audit_record(
        action=Action.ROUND_CLOSED,
        actor=user,
        actor_label=actor_label,
        target=str(locked),
        detail={"round": locked.pk},
    )
    return locked


# --- from a report to the plan -------------------------------------------------------------

# The nine characteristics' dimension codes in strong-districts.yaml, and planning's tag for each.
CHARACTERISTIC_OF = {
    "mission": Characteristic.MISSION,
    "instruction": Characteristic.INSTRUCTIONAL_GUIDANCE,
    "evidence": Characteristic.EVIDENCE,
    "improvement": Characteristic.IMPROVEMENT_PROCESSES,
    "learning": Characteristic.PROFESSIONAL_DEVELOPMENT,
    "alignment": Characteristic.ALIGNMENT,
    "leadership": Characteristic.LEADERSHIP_DEVELOPMENT,
    "trustees": Characteristic.TRUSTEES,
    "relationships": Characteristic.RELATIONSHIPS,
}
ACTIONS_AT_ONCE = 3


def plan_for_round(round_: Round, user: Any) -> Plan:
    """This school year's plan of the round's school or board, started when there is none yet
    (by its own team: planning's services check who may)."""
    year = school_year_of(timezone.localdate())
    plan = planning_selectors.plan_of(
        school_year=year, school=round_.school, board=None if round_.school else round_.board
    )
    if plan is None:
        plan = planning_services.plan_create(
            user=user,
            school_year=year,
            school=round_.school,
            board=None if round_.school else round_.board,
        )
    return plan


@transaction.atomic
def round_actions_add(
    *, round_: Round, user: Any, actions: list[str], goal: Goal | None = None
) -> list[RoundAction]:
    """The team's actions after a report, each in one step a plan goal (`goal` None) or a
    strategy under `goal`. Only the plan's team may (planning's rule); nothing is kept when
    any one is refused."""
    texts = [text.strip() for text in actions if text and text.strip()]
    if not texts:
        raise ValidationError({"actions": [_("Write at least one action.")]})
    if len(texts) > ACTIONS_AT_ONCE:
        raise ValidationError({"actions": [_("Three actions at most: the next weeks are short.")]})
    plan = plan_for_round(round_, user)
    if goal is not None and goal.plan_id != plan.pk:
        raise ValidationError({"goal": [_("Choose a goal of this year's plan.")]})
    made = []
    for text in texts:
        plan.refresh_from_db(fields=["version"])
        if goal is None:
            new_goal = planning_services.goal_add(
                plan=plan, user=user, seen=plan.version, statement=text[:500], area=Area.OTHER
            )
            made.append(
                RoundAction.objects.create(
                    round=round_, text=text[:500], goal=new_goal, created_by=user
                )
            )
        else:
            strategy = planning_services.strategy_add(
                goal=goal,
                user=user,
                seen=plan.version,
                action=text[:500],
                responsible=str(user)[:200],
            )
            made.append(
                RoundAction.objects.create(
                    round=round_, text=text[:500], goal=goal, strategy=strategy, created_by=user
                )
            )
    return made


@transaction.atomic
def characteristic_goal_add(*, round_: Round, user: Any, dimension: str) -> Goal:
    """A board-plan goal for one of the nine characteristics, tagged with it, from a board's
    self-assessment (offered for its weakest characteristics)."""
    if round_.board_id is None or dimension not in CHARACTERISTIC_OF:
        raise ValidationError(
            {
                "dimension": [
                    _("Only a board's self-assessment of the nine characteristics offers these.")
                ]
            }
        )
    characteristic = CHARACTERISTIC_OF[dimension]
    plan = plan_for_round(round_, user)
    if plan.goals.filter(characteristic=characteristic).exists():
        raise ValidationError(
            {"dimension": [_("This year's board plan already has a goal for this characteristic.")]}
        )
    statement = _("Strengthen this characteristic across the board: %(name)s") % {
        "name": characteristic.label
    }
    goal = planning_services.goal_add(
        plan=plan,
        user=user,
        seen=plan.version,
        statement=statement,
        area=Area.OTHER,
        characteristic=characteristic,
    )
    RoundAction.objects.create(round=round_, text=statement, goal=goal, created_by=user)
    return goal


# --- the compliance register ------------------------------------------------------------------

_REGISTER_FIELDS = (
    "requirement",
    "category",
    "owner",
    "due",
    "delegated_to",
    "reviewed_on",
    "done",
)


def _require_register_keeper(user: Any) -> None:
    if not access.can_keep_register(user):
        raise PermissionDenied


@transaction.atomic
def register_entry_add(*, user: Any, **values: Any) -> RegisterEntry:
    """Add a requirement to the person's own register (principals and board leaders keep one)."""
    _require_register_keeper(user)
    entry = RegisterEntry(leader=user)
    for name in _REGISTER_FIELDS:
        if name in values:
            setattr(entry, name, values[name])
    _check_register(entry)
    entry.save()
    return entry


@transaction.atomic
def register_entry_update(
    *, entry: RegisterEntry, user: Any, seen: int, **values: Any
) -> RegisterEntry:
    """Change one of the person's own entries; another tab's save since `seen` is refused."""
    if entry.leader_id != getattr(user, "pk", None):
        raise PermissionDenied
    locked = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.version != seen:
        raise ValidationError(
            _("This entry changed since you opened it; it now shows the saved version.")
        )
    for name in _REGISTER_FIELDS:
        if name in values:
            setattr(locked, name, values[name])
    _check_register(locked)
    locked.version += 1
    locked.save()
    return locked


@transaction.atomic
def register_entry_delete(*, entry: RegisterEntry, user: Any) -> None:
    if entry.leader_id != getattr(user, "pk", None):
        raise PermissionDenied
    entry.delete()


def _check_register(entry: RegisterEntry) -> None:
    entry.requirement = (entry.requirement or "").strip()
    entry.full_clean(exclude=["leader"])
    if entry.category == RegisterEntry.Category.A and entry.delegated_to.strip():
        raise ValidationError(
            {"delegated_to": [_("An A item is yours to do well: delegate C items, not A items.")]}
        )
