"""Every write to problems of practice, visits and notes.

A school's team and its board's leaders set its problems of practice and plan its visits
(`access.can_plan_rounds`); a network's facilitators plan a network's visit to a member school.
Edits name the version they started from, so two people (or two tabs) never silently overwrite
each other: a stale edit is refused and nothing is saved.

Notes come from phones that may have been offline for an hour (`notes_sync`). Each carries an id
its device made, so sending it again (a retry, a second sync) stores it once; an edit carries the
revision it started from and is applied only if nobody changed the note since. A note's author is
kept so that its author alone can see and edit it; nothing here logs or returns it, and no audit
entry is written for notes, since one would tie a note to a person.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.directory.models import School
from capacity.planning.models import Goal
from capacity.planning.progress import school_year_of
from capacity.rounds import notices_visits as notices
from capacity.rounds import selectors_visits as selectors
from capacity.rounds.language import check_descriptive, suggest_level
from capacity.rounds.models import (
    Bloom,
    Classroom,
    Grade,
    NetworkCycle,
    Note,
    ProblemOfPractice,
    Protocol,
    Subject,
    Visit,
    VisitMember,
    VisitStage,
)

EVIDENCE_MAX = 1000
STATEMENT_MAX = 2000
CLASSROOMS_MAX = 12
MINUTES = (5, 180)
NOTE_TEXT_MAX = 2000  # each of the three prompts
NOTES_PER_SYNC = 100
PROMPTS = ("teacher_doing", "students_doing", "task")
LANGUAGES = ("en", "fr")


class Stale(ValidationError):
    """Someone saved after the editor opened the form: nothing was saved."""


def _stale(what: str) -> Stale:
    return Stale(
        {
            "__all__": [
                _(
                    "Someone saved this %(what)s after you opened it, so your changes were not "
                    "saved. What they saved is shown: check it and save again."
                )
                % {"what": what}
            ]
        }
    )


def _text(errors: dict[str, list[str]], name: str, value: str, limit: int, label: str) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(name, []).append(_("Write %(what)s.") % {"what": label})
    elif len(value) > limit:
        errors.setdefault(name, []).append(
            _("Keep it under %(n)s characters.") % {"n": formats.number_format(limit)}
        )
    return value


# --- problems of practice --------------------------------------------------------------


def _problem_fields(
    *,
    user: Any,
    school: School,
    statement: str,
    evidence: str,
    result: str,
    goal: Goal | None,
    current_goal_id: int | None = None,
) -> tuple[str, str, dict[str, Any] | None]:
    """(statement, evidence, facts or None to keep them), or ValidationError by field."""
    errors: dict[str, list[str]] = {}
    statement = _text(errors, "statement", statement, STATEMENT_MAX, _("the problem of practice"))
    evidence = _text(errors, "evidence", evidence, EVIDENCE_MAX, _("what the evidence shows"))
    facts = None
    if result:
        chosen = {c.key: c for c in selectors.result_choices(school)}.get(result)
        if chosen is None:
            errors.setdefault("result", []).append(_("Choose one of the school's results."))
        else:
            facts = chosen.facts()
    if (
        goal is not None
        and goal.pk != current_goal_id
        and (goal.plan.school_id != school.pk or not selectors.may_see_goal(user, school))
    ):
        errors.setdefault("goal", []).append(_("Choose a goal of the school's plans."))
    if errors:
        raise ValidationError(errors)
    return statement, evidence, facts


@transaction.atomic
def problem_create(
    *,
    user: Any,
    school: School,
    statement: str,
    evidence: str,
    result: str = "",
    goal: Goal | None = None,
) -> ProblemOfPractice:
    """Set a problem of practice for `school`, grounded in one of its published results
    (`result`: a key of `selectors.result_choices`, whose figures are kept) and serving a goal
    of its plans."""
    if not access.can_plan_rounds(user, school):
        raise PermissionDenied
    statement, evidence, facts = _problem_fields(
        user=user, school=school, statement=statement, evidence=evidence, result=result, goal=goal
    )
    problem = ProblemOfPractice(
        school=school,
        board_id=school.board_id,
        school_year=school_year_of(timezone.localdate()),
        evidence=evidence,
        evidence_facts=facts or {},
        statement=statement,
        goal=goal,
        created_by=user,
    )
    problem.full_clean()
    problem.save()
    return problem


@transaction.atomic
def problem_update(
    *,
    user: Any,
    problem: ProblemOfPractice,
    version: int,
    statement: str,
    evidence: str,
    result: str = "",
    goal: Goal | None = None,
) -> ProblemOfPractice:
    """Change a problem of practice. `result` "" keeps the figures it was grounded in; `version`
    is the one the editor started from (a stale edit is refused, nothing saved)."""
    locked = (
        ProblemOfPractice.objects.select_for_update(of=("self",))
        .select_related("school")
        .get(pk=problem.pk)
    )
    if not access.can_plan_rounds(user, locked.school):
        raise PermissionDenied
    if locked.version != version:
        raise _stale(_("problem of practice"))
    if (
        goal is None
        and locked.goal_id is not None
        and not selectors.may_see_goal(user, locked.school)
    ):
        goal = locked.goal  # a goal the editor cannot see stays as it was
    statement, evidence, facts = _problem_fields(
        user=user,
        school=locked.school,
        statement=statement,
        evidence=evidence,
        result=result,
        goal=goal,
        current_goal_id=locked.goal_id,
    )
    locked.statement, locked.evidence, locked.goal = statement, evidence, goal
    if facts is not None:
        locked.evidence_facts = facts
    locked.version += 1
    locked.full_clean(exclude=["created_by"])
    locked.save()
    return locked


# --- visits ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassroomRow:
    """A classroom on the schedule as a form sends it: never a teacher or a room."""

    pk: int | None = None  # the classroom it changes; None for a new one
    starts: datetime.time | None = None
    minutes: int = 20
    grade: str = ""
    subject: str = ""


def _schedule(rows: list[ClassroomRow], errors: dict[str, list[str]]) -> list[ClassroomRow]:
    if len(rows) > CLASSROOMS_MAX:
        errors.setdefault("classrooms", []).append(
            _("A visit observes at most %(n)s classrooms.") % {"n": CLASSROOMS_MAX}
        )
    for number, row in enumerate(rows, start=1):
        problems = []
        if not MINUTES[0] <= row.minutes <= MINUTES[1]:
            problems.append(
                _("Classroom %(n)s: give between %(low)s and %(high)s minutes.")
                % {"n": number, "low": MINUTES[0], "high": MINUTES[1]}
            )
        if row.grade not in ("", *Grade.values) or row.subject not in ("", *Subject.values):
            problems.append(
                _("Classroom %(n)s: choose a grade and subject from the lists.") % {"n": number}
            )
        if problems:
            errors.setdefault("classrooms", []).extend(problems)
    return rows


def _people(
    *,
    user: Any,
    school: School,
    network: Any,
    facilitator: Any,
    team: list[Any],
    current: tuple[Any, ...] = (),
    errors: dict[str, list[str]],
) -> tuple[Any, list[Any]]:
    """The facilitator and team chosen among `selectors.team_candidates` (the planner may also
    facilitate; people already on the team stay choosable if their role has ended since)."""
    candidates = {c.person.pk: c.person for c in selectors.team_candidates(school, network)}
    candidates.setdefault(user.pk, user)
    for person in current:
        candidates.setdefault(person.pk, person)
    chosen = {getattr(p, "pk", p) for p in team}
    if not chosen:
        errors.setdefault("team", []).append(_("Choose at least one person for the team."))
    elif chosen - set(candidates):
        errors.setdefault("team", []).append(
            _("Choose the team among the people who may visit this school.")
        )
    leader = candidates.get(getattr(facilitator, "pk", facilitator))
    if leader is None:
        errors.setdefault("facilitator", []).append(
            _("Choose the facilitator among the people who may visit this school.")
        )
    return leader, [candidates[pk] for pk in sorted(chosen) if pk in candidates]


def _save_schedule(visit: Visit, rows: list[ClassroomRow]) -> None:
    """The schedule as given, in order. A row names the classroom it changes (its notes follow
    it when the order changes); a classroom with notes cannot be taken off."""
    existing = {c.pk: c for c in visit.classrooms.all()}
    kept = {row.pk for row in rows if row.pk in existing}
    gone = [pk for pk in existing if pk not in kept]
    if Note.objects.filter(classroom_id__in=gone).exists():
        raise ValidationError(
            {
                "classrooms": [
                    _(
                        "Notes were taken in a classroom you took off the schedule: keep it, or "
                        "change its grade and subject instead."
                    )
                ]
            }
        )
    Classroom.objects.filter(pk__in=gone).delete()
    # Out of the way first, so that reordering never meets the unique (visit, position).
    for classroom in existing.values():
        if classroom.pk in kept:
            classroom.position += 1000
            classroom.save(update_fields=["position"])
    used: set[int] = set()
    for position, row in enumerate(rows, start=1):
        found = existing.get(row.pk) if row.pk in kept and row.pk not in used else None
        if found is not None:
            used.add(found.pk)
        classroom = found or Classroom(visit=visit)
        classroom.position, classroom.starts, classroom.minutes = position, row.starts, row.minutes
        classroom.grade, classroom.subject = row.grade, row.subject
        classroom.full_clean()
        classroom.save()


def may_plan_visit(user: Any, problem: ProblemOfPractice, cycle: NetworkCycle | None) -> bool:
    if cycle is not None:
        return access.can_lead_network(user, cycle.network) and (
            cycle.network.schools.filter(pk=problem.school_id).exists()
        )
    return access.can_plan_rounds(user, problem.school)


@transaction.atomic
def visit_create(
    *,
    user: Any,
    problem: ProblemOfPractice,
    on: datetime.date,
    facilitator: Any,
    team: list[Any],
    classrooms: list[ClassroomRow],
    cycle: NetworkCycle | None = None,
) -> Visit:
    """Plan a visit observing `problem` at its school; with `cycle`, a network's visit to a member
    school (planned by the network's facilitators). The team is told."""
    if not may_plan_visit(user, problem, cycle):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not isinstance(on, datetime.date):
        errors.setdefault("on", []).append(_("Give the visit's date."))
    if cycle is not None and cycle.stage == Protocol.DONE:
        errors.setdefault("__all__", []).append(_("This network cycle is done: start a new one."))
    leader, people = _people(
        user=user,
        school=problem.school,
        network=cycle.network if cycle else None,
        facilitator=facilitator,
        team=team,
        errors=errors,
    )
    rows = _schedule(classrooms, errors)
    if errors:
        raise ValidationError(errors)
    visit = Visit(
        problem=problem,
        school=problem.school,
        board_id=problem.board_id,
        network=cycle.network if cycle else None,
        cycle=cycle,
        on=on,
        facilitator=leader,
        created_by=user,
    )
    visit.full_clean(exclude=["created_by"])
    visit.save()
    VisitMember.objects.bulk_create([VisitMember(visit=visit, person=p) for p in people])
    _save_schedule(visit, rows)
    notices.visit_team_added(visit=visit, people=people, by=user)
    return visit


def _require_plan(user: Any, visit: Visit) -> access.VisitRights:
    rights = access.visit_rights(user, visit, selectors.is_member(user, visit))
    if not rights.plan:
        raise PermissionDenied
    return rights


@transaction.atomic
def visit_update(
    *,
    user: Any,
    visit: Visit,
    version: int,
    on: datetime.date,
    facilitator: Any,
    team: list[Any],
    classrooms: list[ClassroomRow],
) -> Visit:
    """Change the date, facilitator, team or schedule of a visit not yet done. People added to
    the team are told; a new date is told to the whole team and the facilitator."""
    locked = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("school", "network")
        .get(pk=visit.pk)
    )
    _require_plan(user, locked)
    if locked.version != version:
        raise _stale(_("visit"))
    if locked.stage == VisitStage.DONE:
        raise ValidationError({"__all__": [_("The visit is done: its record stays as it was.")]})
    errors: dict[str, list[str]] = {}
    if not isinstance(on, datetime.date):
        errors.setdefault("on", []).append(_("Give the visit's date."))
    current = tuple(selectors.team(locked))
    leader, people = _people(
        user=user,
        school=locked.school,
        network=locked.network,
        facilitator=facilitator,
        team=team,
        current=(*current, locked.facilitator),
        errors=errors,
    )
    rows = _schedule(classrooms, errors)
    if errors:
        raise ValidationError(errors)
    before = {p.pk for p in current}
    moved_from = locked.on if on != locked.on else None
    locked.on, locked.facilitator = on, leader
    locked.version += 1
    locked.full_clean(exclude=["created_by"])
    locked.save()
    after = {p.pk for p in people}
    VisitMember.objects.filter(visit=locked).exclude(person_id__in=after).delete()
    VisitMember.objects.bulk_create(
        [VisitMember(visit=locked, person=p) for p in people if p.pk not in before]
    )
    _save_schedule(locked, rows)
    added = [p for p in people if p.pk not in before]
    if added:
        notices.visit_team_added(visit=locked, people=added, by=user)
    if moved_from is not None:
        told = [p for p in people if p.pk in before]
        notices.visit_date_changed(
            visit=locked, people=[*told, locked.facilitator], before=moved_from, by=user
        )
    return locked


# The moves this part makes; the debrief part moves a visit from debrief to done.
MOVES = {VisitStage.PLANNED: VisitStage.OBSERVING, VisitStage.OBSERVING: VisitStage.DEBRIEF}
ORDER = list(VisitStage.values)


def stage_refusal(visit: Visit, to: str, today: datetime.date) -> str | None:
    """Why the visit cannot move to `to` now, or None when it can."""
    if to not in ORDER:
        return _("Choose a stage of the visit.")
    if to == visit.stage:
        return _("The visit is already at this stage.")
    if to == VisitStage.DONE:
        return _("A visit is done when its debrief is finished: finish it on the debrief page.")
    if ORDER.index(to) < ORDER.index(visit.stage):
        return _("A visit does not go back to an earlier stage.")
    if MOVES.get(VisitStage(visit.stage)) != to:
        return _("Start observing before the debrief.")
    if to == VisitStage.OBSERVING and visit.on > today:
        return _(
            "The visit is planned for %(date)s: observing starts on the day. If it moved, "
            "change its date first."
        ) % {"date": formats.date_format(visit.on, "DATE_FORMAT")}
    return None


@transaction.atomic
def visit_stage_move(*, user: Any, visit: Visit, version: int, to: str) -> Visit:
    """planned -> observing (on or after the visit's day) -> debrief, by those who plan the visit
    and its facilitator; any other move is refused with its reason."""
    locked = Visit.objects.select_for_update(of=("self",)).get(pk=visit.pk)
    rights = access.visit_rights(user, locked, selectors.is_member(user, locked))
    if not (rights.plan or rights.debrief):
        raise PermissionDenied
    if locked.version != version:
        raise _stale(_("visit"))
    reason = stage_refusal(locked, to, timezone.localdate())
    if reason is not None:
        raise ValidationError({"__all__": [reason]})
    locked.stage = to
    locked.version += 1
    locked.full_clean(exclude=["created_by"])
    locked.save(update_fields=["stage", "version", "updated_at"])
    return locked


# --- notes -------------------------------------------------------------------------------


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
CONFLICT, REFUSED, INVALID = "conflict", "refused", "invalid"


@dataclass(frozen=True)
class NoteResult:
    """What became of one note of a sync. `note` is the server's copy (created, updated,
    unchanged, conflict), never with its author; `errors` name the fields at fault (invalid) or
    the reason (refused, under "__all__")."""

    index: int
    client_id: str
    status: str
    errors: dict[str, list[str]] = field(default_factory=dict)
    note: dict[str, Any] | None = None


def note_data(note: Note) -> dict[str, Any]:
    """A note as its author's devices and the API see it: no author, ever."""
    return {
        "client_id": str(note.client_id),
        "classroom": note.classroom.position if note.classroom_id and note.classroom else None,
        "grade": note.grade,
        "subject": note.subject,
        "language": note.language,
        "teacher_doing": note.teacher_doing,
        "students_doing": note.students_doing,
        "task": note.task,
        "level": note.level,
        "level_suggested": note.level_suggested,
        "flags": note.flags,
        "written_at": note.written_at.isoformat(),
        "revision": note.revision,
    }


def language_flags(fields: dict[str, str], language: str) -> list[dict[str, Any]]:
    """The descriptive-language check on each prompt, as stored with a note."""
    return [
        {
            "field": name,
            "start": flag.start,
            "end": flag.end,
            "text": flag.text,
            "kind": flag.kind,
            "suggestion": flag.suggestion,
        }
        for name in PROMPTS
        for flag in check_descriptive(fields.get(name, ""), language)
    ]


@dataclass(frozen=True)
class _Parsed:
    client_id: uuid.UUID
    classroom: Classroom | None
    grade: str
    subject: str
    language: str
    texts: dict[str, str]
    level: str
    written_at: datetime.datetime
    revision: int

    def same_as(self, note: Note) -> bool:
        return (
            note.classroom_id == (self.classroom.pk if self.classroom else None)
            and (note.grade, note.subject, note.language, note.level)
            == (self.grade, self.subject, self.language, self.level)
            and all(getattr(note, name) == self.texts[name] for name in PROMPTS)
        )


def _parse(raw: Any, classrooms: dict[int, Classroom]) -> _Parsed | dict[str, list[str]]:
    """One note as sent, checked field by field: the parsed note or the errors by field."""
    if not isinstance(raw, dict):
        return {"__all__": [_("A note is an object of fields.")]}
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    client_id = None
    try:
        client_id = uuid.UUID(str(raw.get("client_id", "")))
    except ValueError:
        fail("client_id", _("Give the note's identifier (a UUID)."))
    classroom = None
    position = raw.get("classroom")
    if position not in (None, ""):
        classroom = classrooms.get(position) if isinstance(position, int) else None
        if classroom is None:
            fail("classroom", _("Choose a classroom on the visit's schedule."))
    grade = classroom.grade if classroom else str(raw.get("grade") or "")
    subject = classroom.subject if classroom else str(raw.get("subject") or "")
    if grade not in ("", *Grade.values):
        fail("grade", _("Choose a grade from the list."))
    if subject not in ("", *Subject.values):
        fail("subject", _("Choose a subject from the list."))
    language = raw.get("language")
    if language not in LANGUAGES:
        fail("language", _("Write the note in English or French."))
    texts = {}
    for name in PROMPTS:
        value = raw.get(name) or ""
        if not isinstance(value, str):
            fail(name, _("Write text."))
            value = ""
        elif len(value) > NOTE_TEXT_MAX:
            fail(
                name,
                _("Keep it under %(n)s characters.") % {"n": formats.number_format(NOTE_TEXT_MAX)},
            )
        texts[name] = value.replace("\x00", "").strip()
    if not any(texts.values()) and not errors.keys() & set(PROMPTS):
        fail("task", _("Write what you saw for at least one of the three prompts."))
    level = raw.get("level") or ""
    if level not in ("", *Bloom.values):
        fail("level", _("Choose one of the six levels."))
    written_at = timezone.now()
    if raw.get("written_at"):
        parsed = (
            parse_datetime(str(raw["written_at"])) if isinstance(raw["written_at"], str) else None
        )
        if parsed is None:
            fail("written_at", _("Give when the note was written as an ISO date and time."))
        else:
            written_at = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    revision = raw.get("revision", 0)
    if revision in (None, ""):
        revision = 0
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 0:
        fail("revision", _("Give the revision the note started from (0 for a new note)."))
    if errors or client_id is None:
        return errors
    return _Parsed(
        client_id=client_id,
        classroom=classroom,
        grade=grade,
        subject=subject,
        language=str(language),
        texts=texts,
        level=str(level),
        written_at=written_at,
        revision=int(revision),
    )


def _apply(note: Note, parsed: _Parsed) -> None:
    note.classroom = parsed.classroom
    note.grade, note.subject = parsed.grade, parsed.subject
    note.language, note.level = parsed.language, parsed.level
    for name in PROMPTS:
        setattr(note, name, parsed.texts[name])
    note.flags = language_flags(parsed.texts, parsed.language)
    suggestion = suggest_level(parsed.texts["task"], parsed.language)
    note.level_suggested = suggestion.level if suggestion else ""


def _sync_one(
    user: Any, visit: Visit, index: int, parsed: _Parsed, *, retry: bool = True
) -> NoteResult:
    client_id = str(parsed.client_id)
    existing = (
        Note.objects.select_for_update(of=("self",)).filter(client_id=parsed.client_id).first()
    )
    if existing is not None and (existing.author_id != user.pk or existing.visit_id != visit.pk):
        # Someone else's note, or the person's own on another visit: nothing said about it.
        return NoteResult(
            index, client_id, REFUSED, {"client_id": [_("This note identifier is already used.")]}
        )
    if existing is None:
        note = Note(
            visit=visit, client_id=parsed.client_id, author=user, written_at=parsed.written_at
        )
        _apply(note, parsed)
        note.full_clean(exclude=["client_id"])
        try:
            with transaction.atomic():
                note.save()
        except IntegrityError:  # the same note from a second request at the same moment
            if not retry:
                raise
            return _sync_one(user, visit, index, parsed, retry=False)
        return NoteResult(index, client_id, CREATED, note=note_data(note))
    if parsed.same_as(existing):
        return NoteResult(index, client_id, UNCHANGED, note=note_data(existing))
    if parsed.revision != existing.revision:
        return NoteResult(
            index,
            client_id,
            CONFLICT,
            {
                "__all__": [
                    _(
                        "This note was changed on another device after you started editing it: "
                        "yours was not saved. The saved note is shown."
                    )
                ]
            },
            note=note_data(existing),
        )
    _apply(existing, parsed)
    existing.revision += 1
    existing.full_clean(exclude=["client_id"])
    existing.save()
    return NoteResult(index, client_id, UPDATED, note=note_data(existing))


@transaction.atomic
def notes_sync(*, user: Any, visit: Visit, notes: list[Any]) -> list[NoteResult]:
    """Store the notes a team member's device sends, each once.

    A new `client_id` creates a note; the same id again with the same content is "unchanged";
    an edit carrying the `revision` it started from is applied if the note is still at that
    revision, else "conflict" (nothing overwritten, the saved note returned). Another person's
    id is refused, and so is every note once the visit is done. Each bad note is reported with
    its index and fields; the good ones are kept. The language flags and the suggested level are
    computed here on every save."""
    if not selectors.is_member(user, visit):
        raise PermissionDenied
    if not isinstance(notes, list):
        raise ValidationError({"notes": [_("Send a list of notes.")]})
    if len(notes) > NOTES_PER_SYNC:
        raise ValidationError(
            {"notes": [_("Send at most %(n)s notes at a time.") % {"n": NOTES_PER_SYNC}]}
        )
    stage = Visit.objects.values_list("stage", flat=True).get(pk=visit.pk)
    classrooms = {c.position: c for c in visit.classrooms.all()}
    results = []
    for index, raw in enumerate(notes):
        client_id = str(raw.get("client_id", "")) if isinstance(raw, dict) else ""
        if stage == VisitStage.DONE:
            results.append(
                NoteResult(
                    index,
                    client_id,
                    REFUSED,
                    {"__all__": [_("The visit's debrief is finished: it takes no more notes.")]},
                )
            )
            continue
        parsed = _parse(raw, classrooms)
        if isinstance(parsed, dict):
            results.append(NoteResult(index, client_id, INVALID, parsed))
            continue
        results.append(_sync_one(user, visit, index, parsed))
    return results
