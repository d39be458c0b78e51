"""The Plan-Act-Observe-Reflect cycle: each stage's tasks and the moves between stages.

The tasks paraphrase the seed's table (DOMAIN.md section 2): what the school or
board team does at each stage, and what ministry (or, for school plans, board)
staff do alongside. Each side checks off its own tasks.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    Task("plan.orient", Stage.PLAN, SYSTEM, _("Orient and train the team for planning")),
    Task(
        "plan.support",
        Stage.PLAN,
        SYSTEM,
        _("Support the plan's development with guidelines and protocols"),
    ),
    Task(
        "plan.timelines", Stage.PLAN, SYSTEM, _("Set the dates for submission and implementation")
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
    Task("act.sessions", Stage.ACT, SYSTEM, _("Run learning sessions for schools and the system")),
    Task("act.resources", Stage.ACT, SYSTEM, _("Share resources and strategies")),
    Task(
        "observe.checkpoints",
        Stage.OBSERVE,
        TEAM,
        _("Assess progress at the checkpoints set in the plan"),
    ),
    Task(
        "observe.data", Stage.OBSERVE, TEAM, _("Analyse a wide range of student evidence together")
    ),
    Task("observe.monitor", Stage.OBSERVE, SYSTEM, _("Monitor the plan alongside the team")),
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
        _("Co-reflect with the team and notice emergent themes"),
    ),
    Task(
        "reflect.advise",
        Stage.REFLECT,
        SYSTEM,
        _("Support the current approach or suggest another"),
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
