"""The Plan-Act-Observe-Reflect cycle: each stage's tasks and the moves between stages.

The tasks paraphrase the seed's table (DOMAIN.md section 2): what the school or
board team does at each stage, and what ministry (or, for school plans, board)
staff do alongside. Each side checks off its own tasks. The system side's tasks are the
seed's nine, worded so they read right for the ministry (board plans) and for a board's
staff (school plans). `late_steps` says which of a timeline's dates a plan has let pass.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from capacity.planning.models import Stage

TEAM = "team"
SYSTEM = "system"


@dataclass(frozen=True)
class Task:
    code: str
    stage: Stage
    side: str  # TEAM (the plan's own team) or SYSTEM (ministry or board staff supporting it)
    text: str | Promise


TASKS: tuple[Task, ...] = (
    Task("plan.champions", Stage.PLAN, TEAM, _("Choose the leaders who will champion the plan")),
    Task(
        "plan.data", Stage.PLAN, TEAM, _("Review and analyse all the assessment evidence together")
    ),
    Task("plan.expectations", Stage.PLAN, TEAM, _("Set high expectations tied to the curriculum")),
    Task("plan.targets", Stage.PLAN, TEAM, _("Choose or refine targets and plan the strategies")),
    # The system side's nine tasks are the seed's (ministry staff; for a school plan, the
    # board's staff): four in Plan, three in Act, one each in Observe and Reflect.
    Task(
        "plan.orient",
        Stage.PLAN,
        SYSTEM,
        _("Provide orientation and professional learning for the team"),
    ),
    Task("plan.support", Stage.PLAN, SYSTEM, _("Support the team in developing the plan")),
    Task(
        "plan.protocols",
        Stage.PLAN,
        SYSTEM,
        _("Help develop guidelines and protocols for planning together"),
    ),
    Task(
        "plan.timelines",
        Stage.PLAN,
        SYSTEM,
        _("Set the timelines for submitting and carrying out the plan"),
    ),
    Task("act.mobilise", Stage.ACT, TEAM, _("Put the plan to work and support classroom practice")),
    Task(
        "act.share",
        Stage.ACT,
        TEAM,
        _("Make the plan's needs known in staff, division and learning-team meetings"),
    ),
    Task(
        "act.learning",
        Stage.ACT,
        TEAM,
        _("Provide professional learning that answers the students' needs"),
    ),
    Task("act.support", Stage.ACT, SYSTEM, _("Support the school's planning")),
    Task(
        "act.sessions",
        Stage.ACT,
        SYSTEM,
        _("Facilitate learning sessions across the system and in the school"),
    ),
    Task(
        "act.resources",
        Stage.ACT,
        SYSTEM,
        _("Share knowledge of resources and of carrying out the strategies"),
    ),
    Task(
        "observe.checkpoints",
        Stage.OBSERVE,
        TEAM,
        _("Assess progress at the checkpoints set in the plan"),
    ),
    Task(
        "observe.data", Stage.OBSERVE, TEAM, _("Analyse a wide range of student evidence together")
    ),
    Task(
        "observe.monitor",
        Stage.OBSERVE,
        SYSTEM,
        _("Take part alongside the team in monitoring the plan"),
    ),
    Task(
        "reflect.impact",
        Stage.REFLECT,
        TEAM,
        _("Reflect on goals, targets and the impact on student learning"),
    ),
    Task("reflect.next", Stage.REFLECT, TEAM, _("Decide the next steps")),
    Task(
        "reflect.co",
        Stage.REFLECT,
        SYSTEM,
        _(
            "Co-reflect with the school and system teams, notice emergent themes, and support "
            "the current approach or consider others"
        ),
    ),
)
TASKS_BY_CODE = {task.code: task for task in TASKS}

# Moves the plan's team may make: forward through the cycle, and back to Act
# when observing or reflecting shows the plan needs adjusting.
MOVES: dict[Stage, tuple[Stage, ...]] = {
    Stage.PLAN: (Stage.ACT,),
    Stage.ACT: (Stage.OBSERVE,),
    Stage.OBSERVE: (Stage.REFLECT, Stage.ACT),
    Stage.REFLECT: (Stage.CLOSED, Stage.ACT),
    Stage.CLOSED: (),
}


def tasks_for(stage: str, side: str | None = None) -> list[Task]:
    return [t for t in TASKS if t.stage == stage and (side is None or t.side == side)]


# --- timelines: the dates a plan has let pass ------------------------------------------

SUBMIT = "submit"
ACT = "act"
OBSERVE = "observe"
REFLECT = "reflect"

LATE_TEXT: dict[str, str | Promise] = {
    SUBMIT: _("Not submitted for review by the timeline's date"),
    ACT: _("Not in Act by the timeline's date"),
    OBSERVE: _("No checkpoint recorded by the timeline's date"),
    REFLECT: _("Not reflected on by the timeline's date"),
}


@dataclass(frozen=True)
class Late:
    """One of a timeline's dates that passed with its step still not done."""

    step: str  # SUBMIT, ACT, OBSERVE or REFLECT
    due: datetime.date

    @property
    def text(self) -> str | Promise:
        return LATE_TEXT[self.step]


def late_steps(
    *,
    stage: str,
    review: str,
    dates: Mapping[str, datetime.date | None],
    checkpoint_recorded: bool,
    today: datetime.date,
) -> list[Late]:
    """The steps a plan is late with on `today`, earliest date first.

    `dates` holds a timeline's submit_by, act_by, observe_by and reflect_by (a missing date
    makes nothing late). A step is late while it is not done: once the plan moves on (or
    records a checkpoint) it is no longer shown, however late it was.
    """
    if stage == Stage.CLOSED:
        return []
    outstanding = {
        SUBMIT: stage == Stage.PLAN and review in ("draft", "returned"),
        ACT: stage == Stage.PLAN,
        OBSERVE: not checkpoint_recorded,
        REFLECT: stage in (Stage.PLAN, Stage.ACT, Stage.OBSERVE),
    }
    late = [
        Late(step, due)
        for step, field_name in (
            (SUBMIT, "submit_by"),
            (ACT, "act_by"),
            (OBSERVE, "observe_by"),
            (REFLECT, "reflect_by"),
        )
        if outstanding[step] and (due := dates.get(field_name)) is not None and due < today
    ]
    return sorted(late, key=lambda item: item.due)


def plan_late_steps(
    plan: Any, timeline: Any, *, checkpoint_recorded: bool, today: datetime.date
) -> list[Late]:
    """`late_steps` for a plan and its timeline (None: nothing is late)."""
    if timeline is None:
        return []
    return late_steps(
        stage=plan.stage,
        review=plan.review,
        dates={name: getattr(timeline, name) for name in TIMELINE_DATES},
        checkpoint_recorded=checkpoint_recorded,
        today=today,
    )


TIMELINE_DATES = ("submit_by", "act_by", "observe_by", "reflect_by")
