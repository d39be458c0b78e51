"""Every write to lesson studies: starting one, changing it, its cycles' records and steps, and
sharing its findings as a case study.

A team picks an overarching goal and a research question, co-plans a study lesson with the
misconceptions it anticipates, teaches and observes it, critiques it and revises it; then it
teaches the revised lesson again (the next cycle) or finishes with what it learned. Each cycle
moves through its steps in order (`lesson_cycle_move`, which refuses a skip or a step whose
record is missing, saying why); each step's record is written while the cycle is at that step
(`lesson_cycle_update`), and a finished cycle stays as it was. Every edit names the version it
started from, so two people of the team never silently overwrite each other.

Who: a study is started by those who plan the school's rounds (`access.can_plan_rounds`) or,
for a network's study at a member school, by those who lead the network; it is written by
`access.can_edit_lesson_study`. Its team is chosen among the staff `selectors_lessons.
team_candidates` offers; the plan goal it serves only by those who read the school's plan.
A finished study's findings become a draft case study of its board in the learning library,
once (`lesson_study_share`), by the board's leaders, who write the board's case studies.

People hear when they are added to a study's team, and the board's leaders when a study is
finished and ready to share (`notices_lessons`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.directory.models import Network, School
from capacity.learning import services as learning_services
from capacity.learning.models import Item
from capacity.planning.models import Goal
from capacity.planning.progress import school_year_of
from capacity.rounds import notices_lessons as notices
from capacity.rounds import selectors_lessons as selectors
from capacity.rounds.models import CycleStep, Grade, LessonCycle, LessonStudy, Subject

TEXT_MAX = 20000
# What each step records; a cycle writes a step's record only while it is at that step.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    CycleStep.PLAN: ("lesson_plan", "misconceptions"),
    CycleStep.TEACH: ("taught_on", "observations"),
    CycleStep.CRITIQUE: ("critique",),
    CycleStep.REVISE: ("revisions",),
    CycleStep.DONE: (),
}
# The moves a cycle makes, from the step it is at. From revising, the team teaches the lesson
# again (a new cycle) or finishes the study.
AGAIN, FINISH = "again", "finish"
NEXT: dict[str, tuple[str, ...]] = {
    CycleStep.PLAN: (CycleStep.TEACH,),
    CycleStep.TEACH: (CycleStep.CRITIQUE,),
    CycleStep.CRITIQUE: (CycleStep.REVISE,),
    CycleStep.REVISE: (AGAIN, FINISH),
    CycleStep.DONE: (),
}
MOVES = (CycleStep.TEACH, CycleStep.CRITIQUE, CycleStep.REVISE, AGAIN, FINISH)
# The library's characteristic and contexts a lesson study's case addresses.
CASE_CHARACTERISTICS = ["professional_development"]


class StaleEdit(ValidationError):
    """Someone saved the study or the cycle after the editor opened it: nothing was saved."""


def _stale_study() -> StaleEdit:
    return StaleEdit(
        {
            "__all__": [
                _(
                    "Someone saved this study after you opened it, so your changes were not "
                    "saved. What they saved is shown, with what you wrote kept: check it and save "
                    "again."
                )
            ]
        }
    )


def _stale_cycle() -> StaleEdit:
    return StaleEdit(
        {
            "__all__": [
                _(
                    "Someone saved this cycle after you opened it, so your changes were not "
                    "saved. What they saved is shown, with what you wrote kept: check it and save "
                    "again."
                )
            ]
        }
    )


def _text(errors: dict[str, list[str]], field: str, value: str, *, required: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(field, []).append(required)
    if len(value) > TEXT_MAX:
        errors.setdefault(field, []).append(_("Keep this under 20,000 characters."))
    return value


def _check_study(
    *,
    user: Any,
    school: School,
    network: Network | None,
    title: str,
    overarching_goal: str,
    research_question: str,
    grade: str,
    subject: str,
    goal: Goal | None,
    team: list[Any],
    current_goal: Goal | None = None,
    current_team: tuple[Any, ...] = (),
) -> tuple[dict[str, Any], list[Any]]:
    """The study's cleaned facts and its team, or ValidationError naming each problem."""
    errors: dict[str, list[str]] = {}
    facts: dict[str, Any] = {
        "title": _text(errors, "title", title, required=_("Give the study a title.")),
        "overarching_goal": _text(
            errors,
            "overarching_goal",
            overarching_goal,
            required=_("Say what the team wants for its students in the long run."),
        ),
        "research_question": _text(
            errors,
            "research_question",
            research_question,
            required=_("Ask the question the study lesson will help the team answer."),
        ),
    }
    if len(facts["title"]) > 200:
        errors.setdefault("title", []).append(_("Keep the title under 200 characters."))
    if grade and grade not in Grade.values:
        errors.setdefault("grade", []).append(_("Choose a grade from the list."))
    if subject and subject not in Subject.values:
        errors.setdefault("subject", []).append(_("Choose a subject from the list."))
    facts["grade"], facts["subject"] = grade or "", subject or ""
    if goal is not None and goal != current_goal:
        offered = {g.pk for g in selectors.goals_for(user, school)}
        if goal.pk not in offered:
            errors.setdefault("goal", []).append(_("Choose one of the school's plan goals."))
    facts["goal"] = goal
    eligible = {
        person.pk: person
        for person, _role, _school in selectors.team_candidates(
            school=school, network=network, current=current_team
        )
    }
    chosen = {getattr(p, "pk", p) for p in team}
    if not chosen:
        errors.setdefault("team", []).append(_("Choose at least one person for the team."))
    elif chosen - set(eligible):
        errors.setdefault("team", []).append(
            _("Choose the team among the staff of the study's school (or its network's schools).")
        )
    if errors:
        raise ValidationError(errors)
    return facts, [eligible[pk] for pk in sorted(chosen)]


@transaction.atomic
def lesson_study_create(
    *,
    user: Any,
    school: School,
    title: str,
    overarching_goal: str,
    research_question: str,
    team: list[Any],
    grade: str = "",
    subject: str = "",
    goal: Goal | None = None,
    network: Network | None = None,
) -> LessonStudy:
    """Start a study at `school` (a network's study when `network` is given), with cycle 1 at
    planning. The people on its team are told."""
    if network is not None:
        if not access.can_lead_network(user, network):
            raise PermissionDenied
        if not network.schools.filter(pk=school.pk).exists():
            raise ValidationError({"network": [_("The school is not one of the network's.")]})
    elif not access.can_plan_rounds(user, school):
        raise PermissionDenied
    facts, people = _check_study(
        user=user,
        school=school,
        network=network,
        title=title,
        overarching_goal=overarching_goal,
        research_question=research_question,
        grade=grade,
        subject=subject,
        goal=goal,
        team=team,
    )
    study = LessonStudy(
        school=school,
        board_id=school.board_id,
        network=network,
        school_year=school_year_of(timezone.localdate()),
        created_by=user,
        **facts,
    )
    study.full_clean()
    study.save()
    study.team.set(people)
    cycle = LessonCycle(study=study, number=1)
    cycle.full_clean()
    cycle.save()
    notices.team_added(study=study, people=people, by=user)
    return study


def _locked_study(study: LessonStudy) -> LessonStudy:
    return (
        LessonStudy.objects.select_for_update(of=("self",))
        .select_related("school", "board", "network")
        .get(pk=study.pk)
    )


def _require_edit(user: Any, study: LessonStudy) -> None:
    if not access.can_edit_lesson_study(user, study, selectors.is_member(user, study)):
        raise PermissionDenied


def _not_finished(study: LessonStudy) -> None:
    if study.finished_at is not None:
        raise ValidationError(
            {"__all__": [_("The study is finished: it stays as the team finished it.")]}
        )


@transaction.atomic
def lesson_study_update(
    *,
    user: Any,
    study: LessonStudy,
    version: int,
    title: str,
    overarching_goal: str,
    research_question: str,
    team: list[Any],
    grade: str = "",
    subject: str = "",
    goal: Goal | None = None,
) -> LessonStudy:
    """Change a study's title, goal, question, grade, subject, plan goal or team.

    `version` is the one the editor started from: if someone saved since, nothing is saved
    (`StaleEdit`). The plan goal changes only for those who read the school's plan (others pass
    the current one). People added to the team are told.
    """
    locked = _locked_study(study)
    _require_edit(user, locked)
    if locked.version != version:
        raise _stale_study()
    _not_finished(locked)
    current = tuple(locked.team.all())
    facts, people = _check_study(
        user=user,
        school=locked.school,
        network=locked.network,
        title=title,
        overarching_goal=overarching_goal,
        research_question=research_question,
        grade=grade,
        subject=subject,
        goal=goal,
        team=team,
        current_goal=locked.goal,
        current_team=current,
    )
    for field, value in facts.items():
        setattr(locked, field, value)
    locked.version += 1
    locked.full_clean()
    locked.save()
    before = {p.pk for p in current}
    locked.team.set(people)
    added = [p for p in people if p.pk not in before]
    if added:
        notices.team_added(study=locked, people=added, by=user)
    return locked


# --- cycles -----------------------------------------------------------------------------------


def _locked_cycle(user: Any, cycle: LessonCycle, version: int) -> tuple[LessonCycle, LessonStudy]:
    """The cycle locked for a change, after the checks every change of a cycle shares."""
    study = _locked_study(cycle.study)
    locked = LessonCycle.objects.select_for_update().get(pk=cycle.pk)
    _require_edit(user, study)
    if locked.version != version:
        raise _stale_cycle()
    _not_finished(study)
    later = study.cycles.filter(number__gt=locked.number).order_by("number").first()
    if locked.step == CycleStep.DONE or later is not None:
        raise ValidationError(
            {
                "__all__": [
                    _("Cycle %(n)s is finished: its records stay as the team kept them.")
                    % {"n": locked.number}
                ]
            }
        )
    return locked, study


@transaction.atomic
def lesson_cycle_update(
    *, user: Any, cycle: LessonCycle, version: int, records: dict[str, Any]
) -> LessonCycle:
    """Write the record of the step the cycle is at.

    `records` maps fields to values: at planning the lesson and the misconceptions the team
    anticipates; at teaching the date taught and what was observed; at critique the critique; at
    revising what will change. A field of another step is refused (an earlier step's record was
    settled when the team moved on). What was observed is kept whatever words it uses: the page
    suggests describing rather than judging (`selectors_lessons.observation_flags`), and it is
    never attributed to whoever typed it.
    """
    locked, _study = _locked_cycle(user, cycle, version)
    allowed = STEP_FIELDS[locked.step]
    errors: dict[str, list[str]] = {}
    for field, value in records.items():
        if field not in allowed:
            errors.setdefault(field, []).append(
                _("This is recorded at another step: the cycle is at “%(step)s”.")
                % {"step": CycleStep(locked.step).label}
            )
            continue
        if field == "taught_on":
            if value is not None and not isinstance(value, datetime.date):
                errors.setdefault(field, []).append(_("Give the date the lesson was taught."))
            elif value is not None and value > timezone.localdate():
                errors.setdefault(field, []).append(
                    _("Give the date the lesson was taught: it is not taught yet.")
                )
            else:
                locked.taught_on = value
            continue
        setattr(locked, field, _text(errors, field, str(value or "")))
    if errors:
        raise ValidationError(errors)
    locked.version += 1
    locked.full_clean()
    locked.save()
    return locked


def _missing(cycle: LessonCycle, to: str, findings: str) -> list[tuple[str, str]]:
    """What the cycle still needs before the move, as (field, why)."""
    needs: list[tuple[str, str]] = []
    if to == CycleStep.TEACH:
        if not cycle.lesson_plan.strip():
            needs.append(("lesson_plan", _("Write the study lesson before teaching it.")))
        if not cycle.misconceptions.strip():
            needs.append(
                (
                    "misconceptions",
                    _(
                        "Write the misconceptions the team anticipates: the observers watch for them."
                    ),
                )
            )
    elif to == CycleStep.CRITIQUE:
        if cycle.taught_on is None:
            needs.append(("taught_on", _("Give the date the lesson was taught.")))
        if not cycle.observations.strip():
            needs.append(("observations", _("Write what the team observed while it was taught.")))
    elif to == CycleStep.REVISE:
        if not cycle.critique.strip():
            needs.append(("critique", _("Write the team's critique of the lesson.")))
    elif to == AGAIN:
        if not cycle.revisions.strip():
            needs.append(
                ("revisions", _("Write what the team will change before teaching it again."))
            )
    elif to == FINISH and not findings.strip():
        needs.append(("findings", _("Write what the team learned to finish the study.")))
    return needs


def _move_label(move: str) -> str:
    if move == AGAIN:
        return _("Teach again")
    if move == FINISH:
        return _("Finish the study")
    return str(CycleStep(move).label)


def revised_lesson(previous: LessonCycle, language: str) -> str:
    """The next cycle's lesson: the previous one, then what the team changed, under a line in
    the study's language saying so (the team rewrites it as it likes)."""
    with translation.override(language):
        heading = _("What we changed after cycle %(n)s:") % {"n": previous.number}
    return f"{previous.lesson_plan.rstrip()}\n\n{heading}\n{previous.revisions.strip()}"


@transaction.atomic
def lesson_cycle_move(
    *, user: Any, cycle: LessonCycle, version: int, to: str, findings: str = ""
) -> LessonCycle:
    """Move the cycle to its next step; returns the cycle the team works on next.

    Steps go in order (plan, teach and observe, critique, revise) and none is skipped; a step
    is left only once its record is written. From revising, `AGAIN` finishes this cycle and
    starts the next one with the revised lesson (the lesson and its revisions, the
    misconceptions carried over), and `FINISH` finishes this cycle and the study with
    `findings`, telling the board's leaders it is ready to share. Each refusal says why.
    """
    locked, study = _locked_cycle(user, cycle, version)
    allowed = NEXT[locked.step]
    if to not in MOVES:
        raise ValidationError({"__all__": [_("Choose what the team does next.")]})
    if to not in allowed:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "The cycle is at “%(step)s”: next comes “%(next)s”. The steps are "
                        "taken in order, none skipped."
                    )
                    % {
                        "step": CycleStep(locked.step).label,
                        "next": " / ".join(_move_label(m) for m in allowed),
                    }
                ]
            }
        )
    errors: dict[str, list[str]] = {}
    for field, why in _missing(locked, to, findings):
        errors.setdefault(field, []).append(why)
    findings = _text(errors, "findings", findings) if to == FINISH else ""
    if errors:
        raise ValidationError(errors)
    if to in (AGAIN, FINISH):
        locked.step = CycleStep.DONE
    else:
        locked.step = to
    locked.version += 1
    locked.full_clean()
    locked.save()
    if to == AGAIN:
        following = LessonCycle(
            study=study,
            number=locked.number + 1,
            lesson_plan=revised_lesson(locked, selectors.study_language(study)),
            misconceptions=locked.misconceptions,
        )
        following.full_clean()
        following.save()
        _touch(study)
        return following
    if to == FINISH:
        study.findings = findings
        study.finished_at = timezone.now()
        study.version += 1
        study.full_clean()
        study.save()
        notices.study_finished(study=study, by=user)
        return locked
    _touch(study)
    return locked


def _touch(study: LessonStudy) -> None:
    """The study changed with its cycle (home items and lists follow `updated_at`)."""
    study.save(update_fields=["updated_at"])


# --- sharing the findings as a case study --------------------------------------------------


def _date(value: datetime.date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def case_texts(study: LessonStudy, cycles: list[LessonCycle]) -> dict[str, dict[str, Any]]:
    """The draft case study's text, in the study's language, answering the library's seven
    guiding questions from the study's records (the last, advice to others, is left to the
    board's authors)."""
    language = selectors.study_language(study)
    with translation.override(language):
        where = str(study.school)
        if study.grade or study.subject:
            where += " — " + ", ".join(
                str(label)
                for label in (
                    Grade(study.grade).label if study.grade else "",
                    Subject(study.subject).label if study.subject else "",
                )
                if label
            )
        characteristics = _(
            "Job-embedded professional development for all: a team of teachers studied one lesson "
            "together, planning, teaching, observing, critiquing and revising it over %(n)s "
            "cycles."
        ) % {"n": len(cycles)}
        if study.network is not None:
            characteristics += " " + _("The study was part of the work of %(network)s.") % {
                "network": study.network.name
            }
        # Labels are translated apart from the f-strings that place them: makemessages does not
        # read a call inside an f-string.
        our_goal, our_question = _("Our overarching goal"), _("Our research question")
        first_planned, anticipated = (
            _("The study lesson as first planned"),
            _("Misconceptions we anticipated"),
        )
        lesson_label = _("The study lesson")
        decided = "\n\n".join(
            [
                f"**{our_goal}** — {study.overarching_goal}",
                f"**{our_question}** — {study.research_question}",
            ]
        )
        first = cycles[0] if cycles else None
        started = "\n\n".join(
            part
            for part in [
                where,
                f"**{first_planned}**\n\n{first.lesson_plan}" if first else "",
                f"**{anticipated}** — {first.misconceptions}"
                if first and first.misconceptions
                else "",
            ]
            if part
        )
        did = []
        for cycle in cycles:
            heading = _("Cycle %(n)s") % {"n": cycle.number}
            if cycle.taught_on:
                heading += " — " + _("taught on %(date)s") % {"date": _date(cycle.taught_on)}
            parts = [f"# {heading}"]
            if cycle.number > 1:
                parts.append(f"**{lesson_label}**\n\n{cycle.lesson_plan}")
            for label, text in (
                (_("What we observed"), cycle.observations),
                (_("Critique"), cycle.critique),
                (_("What we changed"), cycle.revisions),
            ):
                if text:
                    parts.append(f"**{label}** — {text}")
            did.append("\n\n".join(parts))
        turning = "\n".join(
            "- "
            + _("After cycle %(n)s: %(text)s")
            % {"n": c.number, "text": " ".join(c.revisions.split())}
            for c in cycles
            if c.revisions
        )
        sections = [
            characteristics,
            decided,
            started,
            "\n\n".join(did),
            turning,
            study.findings,
            "",
        ]
        return {
            language: {
                "title": study.title[:300],
                "summary": study.research_question,
                "themes": [],
                "sections": sections,
            }
        }


@transaction.atomic
def lesson_study_share(*, user: Any, study: LessonStudy) -> Item:
    """A finished study's findings become a draft case study of its board in the learning library
    (prefilled from its goal, question, cycles and findings, in its language), which the board's
    leaders then edit and submit there. Sharing again gives the same case study, never a second."""
    locked = _locked_study(study)
    if not selectors.rights_for(user, locked).read:
        raise PermissionDenied
    if not access.scope_for(user).may_act_for_board(locked.board_id):
        raise PermissionDenied
    if locked.finished_at is None:
        raise ValidationError(
            {"__all__": [_("Share the study once it is finished, with what the team learned.")]}
        )
    if locked.case_id is not None:
        existing = Item.objects.filter(pk=locked.case_id).first()
        if existing is not None:
            return existing
    cycles = selectors.cycles_of(locked)
    facts = {
        "year": timezone.localtime(locked.created_at).year,
        "characteristics": list(CASE_CHARACTERISTICS),
        "contexts": ["study-groups"] + (["networks"] if locked.network_id else []),
    }
    item = learning_services.case_draft_create(
        user=user, board=locked.board, facts=facts, texts=case_texts(locked, cycles)
    )
    locked.case = item
    locked.version += 1
    locked.save(update_fields=["case", "version", "updated_at"])
    return item
