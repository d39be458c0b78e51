"""The script of a plan's year: what it holds and how far it went through Plan-Act-Observe-Reflect.

`Script.run` takes one plan as far as a script (draft ... closed) says,
drawing goals, targets and strategies from `Content` (the texts and the
plan's own evidence), and writes each step through a writer
(capacity.planning.demo.writers): the services themselves, or their bulk twin.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils import timezone

from capacity.directory.demo import LATEST_YEAR
from capacity.directory.models import User
from capacity.evidence.models import Assessment
from capacity.planning.cycle import SYSTEM, TEAM, tasks_for
from capacity.planning.demo.texts import (
    ADJUSTMENTS,
    ANSWERS,
    BOARD_GOALS,
    BOARD_MEASURES,
    BOARD_STRATEGIES,
    BOARD_TITLES,
    BOARD_TRIED,
    CHECKPOINTS,
    CONSIDER,
    CUSTOM_MEASURES,
    EVIDENCE,
    GROUP_GOALS,
    IMPACT,
    KEEP,
    LITERACY_GOALS,
    LITERACY_STRATEGIES,
    MARKER_GOALS,
    MATH_GOALS,
    MATH_STRATEGIES,
    NEED_DETAIL,
    NEXT_STEPS,
    PROGRESS,
    REPLIES,
    RETURN_BOARD_COMMENTS,
    RETURN_COMMENTS,
    SECONDARY_GOALS,
    SECONDARY_STRATEGIES,
    SYSTEM_REPLIES,
    THEMES,
    TITLES,
    TRIED,
    WELL_BEING_GOALS,
    WELL_BEING_STRATEGIES,
    WRONG_STRATEGIES,
    StrategyText,
)
from capacity.planning.models import (
    Goal,
    Kind,
    Plan,
    Stage,
    Target,
)
from capacity.planning.progress import measured_values
from capacity.schoolyears import school_year_label

# What a plan went through, by where it stands now. "closed" closes the year
# and leaves next year's plan as a draft holding the unfinished goals.
DRAFT, SUBMITTED, RETURNED, ACCEPTED = "draft", "submitted", "returned", "accepted"
ACT, OBSERVE, REFLECT, CLOSED = "act", "observe", "reflect", "closed"
SCRIPTS: dict[str, int] = {  # script: weight in the sample
    DRAFT: 14,
    SUBMITTED: 11,
    RETURNED: 10,
    ACCEPTED: 4,
    ACT: 20,
    OBSERVE: 16,
    REFLECT: 12,
    CLOSED: 13,
}
ORDER = (DRAFT, SUBMITTED, RETURNED, ACCEPTED, ACT, OBSERVE, REFLECT, CLOSED)


def year_label(start: int) -> str:
    return school_year_label(start)


YEAR = year_label(
    LATEST_YEAR
)  # the latest results year: the year of the plans that stand at every stage
PREVIOUS = year_label(LATEST_YEAR - 1)

FOCUSED_SCRIPTS = {
    DRAFT: 20,
    SUBMITTED: 16,
    RETURNED: 12,
    ACCEPTED: 6,
    ACT: 22,
    OBSERVE: 14,
    REFLECT: 6,
    CLOSED: 4,
}


@dataclass
class Cast:
    """Who acts in the demo plans, loaded once so each person's access scope is computed once."""

    ministry: User
    school_team: dict[int, User] = field(
        default_factory=dict
    )  # school id: its principal (or team member)
    board_team: dict[int, User] = field(
        default_factory=dict
    )  # board id: the leader who owns the board plan
    board_reviewer: dict[int, User] = field(
        default_factory=dict
    )  # board id: the leader who reviews its schools
    made: int = 0  # people created for the demo plans


# --- what a plan holds ----------------------------------------------------------------------------


@dataclass
class Context:
    """What a plan is built from: where it belongs, what evidence it can aim at, who does what."""

    plan: Plan
    team: User
    reviewer: User
    year_start: int
    results: dict[tuple[str, str], float]  # (assessment code, group): value in the baseline year
    secondary: bool = False
    focus_areas: tuple[
        str, ...
    ] = ()  # for focused intervention: the areas the identification named
    wrong_drivers: bool = False
    entries: int = 1  # dated entries each custom measure has, by how far the plan has gone

    @property
    def baseline_year(self) -> str:
        return year_label(self.year_start - 1)


@dataclass
class GoalSpec:
    values: dict[str, Any]
    # Target fields. Assessment targets carry "_baseline" (what target_add will read from the evidence);
    # custom measures carry their dated "_entries".
    targets: list[dict[str, Any]]
    strategies: list[dict[str, Any]]


class Content:
    """Goals, targets, strategies and checkpoints, drawn from demo.texts and the plan's own evidence."""

    def __init__(self, rng: random.Random, assessments: dict[str, Assessment]) -> None:
        self.rng = rng
        self.assessments = assessments

    def goal_count(self, have: int) -> int:
        if have:
            return min(5, have + (1 if self.rng.random() < 0.4 else 0))
        return self.rng.choices((1, 2, 3, 4, 5), weights=(14, 34, 30, 15, 7))[0]

    def title(self, ctx: Context, area: str) -> str:
        if ctx.plan.kind == Kind.BOARD:
            return self.rng.choice(BOARD_TITLES)
        # The designation is never written into a title: pages show it from the plan's flag, which
        # the evidence keeps true, so a title cannot go on claiming it after the school has left.
        return self.rng.choice(TITLES.get(area, TITLES["literacy"]))

    def _kind(self, ctx: Context, index: int) -> str:
        if ctx.plan.kind == Kind.BOARD:
            return "board"
        if ctx.secondary:
            return "secondary"
        if index < len(ctx.focus_areas):
            return ctx.focus_areas[index]
        return self.rng.choices(
            ("literacy", "mathematics", "well_being", "group", "marker"),
            weights=(30, 30, 12, 14, 14),
        )[0]

    def goal(self, ctx: Context, index: int, used: set[str]) -> GoalSpec:
        """One goal with its targets and strategies; `used` holds the characteristics a board plan has named."""
        rng = self.rng
        kind = self._kind(ctx, index)
        groups = sorted({g for _, g in ctx.results if g in GROUP_GOALS})
        if kind == "group" and not groups:
            kind = "literacy"
        values: dict[str, Any]
        targets: list[dict[str, Any]] = []
        strategies: Sequence[StrategyText]
        if kind == "board":
            characteristic = rng.choice(
                [c for c in BOARD_GOALS if c not in used] or list(BOARD_GOALS)
            )
            used.add(characteristic)
            statement, area = BOARD_GOALS[characteristic]
            values = {"statement": statement, "area": area, "characteristic": characteristic}
            if characteristic in BOARD_MEASURES:
                targets.append(self._custom(ctx, BOARD_MEASURES[characteristic]))
            else:
                code = (
                    "G6-MATH"
                    if area == "mathematics"
                    else rng.choice(("G3-READ", "G6-READ", "G3-WRITE"))
                )
                targets.append(self._assessed(ctx, code, "all"))
            strategies = BOARD_STRATEGIES
        elif kind == "secondary":
            statement, measure, area = rng.choice(SECONDARY_GOALS)
            values = {"statement": statement, "area": area}
            targets.append(self._custom(ctx, measure))
            strategies = SECONDARY_STRATEGIES + WELL_BEING_STRATEGIES[:2]
        elif kind == "well_being":
            values = {"statement": rng.choice(WELL_BEING_GOALS), "area": "well_being"}
            targets.append(self._custom(ctx, rng.choice(CUSTOM_MEASURES["well_being"])))
            strategies = WELL_BEING_STRATEGIES
        elif kind == "marker":
            codes = ", ".join(
                f"M-{n:02d}" for n in sorted(rng.sample(range(1, 40), rng.randint(3, 6)))
            )
            statement = rng.choice(MARKER_GOALS).format(codes=codes)
            area = "mathematics" if "mathematics" in statement else "literacy"
            values = {
                "statement": statement,
                "area": area,
                "focus": Goal.Focus.MARKER,
                "marker_codes": codes,
            }
            targets.append(self._custom(ctx, rng.choice(CUSTOM_MEASURES["marker"])))
            strategies = LITERACY_STRATEGIES if area == "literacy" else MATH_STRATEGIES
        elif kind == "group":
            group = rng.choice(groups)
            code = rng.choice(sorted(c for c, g in ctx.results if g == group))
            area = "mathematics" if "MATH" in code else "literacy"
            subject = "mathematics" if area == "mathematics" else "reading and writing"
            values = {
                "statement": GROUP_GOALS[group].format(grade=code[1], subject=subject),
                "area": area,
                "focus": Goal.Focus.GROUP,
                "group": group,
            }
            targets.append(self._assessed(ctx, code, group))
            strategies = MATH_STRATEGIES if area == "mathematics" else LITERACY_STRATEGIES
        else:
            area = kind
            subjects = ("MATH",) if area == "mathematics" else ("READ", "WRITE")
            available = sorted(
                c for c, g in ctx.results if g == "all" and c.split("-")[1] in subjects
            )
            code = rng.choice(available) if available else f"G{rng.choice((3, 6))}-{subjects[0]}"
            grade = int(code[1])
            bank = MATH_GOALS if area == "mathematics" else LITERACY_GOALS
            values = {
                "statement": rng.choice(bank).format(grade=grade, grade_low=grade - 2),
                "area": area,
            }
            if available:
                targets.append(self._assessed(ctx, code, "all"))
                others = [c for c in available if c != code]
                if others and rng.random() < 0.35:
                    targets.append(self._assessed(ctx, rng.choice(others), "all"))
            if (
                not available or rng.random() < 0.2
            ):  # no results of its own (Grades 7-8): the team measures
                targets.append(self._custom(ctx, rng.choice(CUSTOM_MEASURES[area])))
            strategies = MATH_STRATEGIES if area == "mathematics" else LITERACY_STRATEGIES
        chosen = rng.sample(list(strategies), min(len(strategies), rng.choice((1, 2, 2, 3))))
        if ctx.wrong_drivers and index == 0:
            chosen = [rng.choice(WRONG_STRATEGIES), *chosen[:1]]
        strategy_rows = []
        for action, responsible, learning, resources, drivers in chosen:
            strategy_rows.append(
                {
                    "action": action,
                    "responsible": responsible,
                    "professional_learning": learning,
                    "resources": resources,
                    "drivers": [str(d) for d in drivers],
                    "starts": datetime.date(
                        ctx.year_start, rng.choice((9, 10, 10, 11)), rng.randint(1, 28)
                    ),
                    "ends": datetime.date(
                        ctx.year_start + 1, rng.choice((3, 5, 6, 6)), rng.randint(1, 28)
                    ),
                }
            )
        return GoalSpec(values, targets, strategy_rows)

    def _assessed(self, ctx: Context, code: str, group: str) -> dict[str, Any]:
        """A target a few points above the school's (or the board's) result in the baseline year."""
        if ctx.plan.kind == Kind.BOARD:
            probe = Target(goal=Goal(plan=ctx.plan), assessment=self.assessments[code], group=group)
            baseline = measured_values(probe).get(ctx.baseline_year)
        else:
            baseline = ctx.results.get((code, group))
        raise_by = self.rng.choice((2, 3, 5, 5, 6, 8, 10, 12))
        target = (
            min(100.0, round(baseline + raise_by))
            if baseline is not None
            else float(self.rng.randint(50, 75))
        )
        return {
            "measure": Target.Measure.ASSESSMENT,
            "assessment": self.assessments[code],
            "group": group,
            "baseline_year": ctx.baseline_year,
            "target_value": target,
            "_baseline": baseline,
            "target_year": year_label(ctx.year_start + self.rng.choice((0, 0, 1))),
        }

    def _custom(self, ctx: Context, measure: str) -> dict[str, Any]:
        """A custom measure with the team's dated entries through the plan's year."""
        rng = self.rng
        baseline = float(rng.randint(25, 70))
        target = min(100.0, baseline + rng.choice((6, 8, 10, 12, 15, 20)))
        entries = []
        for step, (month, day) in enumerate(((10, 20), (1, 25), (5, 15))[: ctx.entries], start=1):
            on = datetime.date(ctx.year_start + (month < 9), month, day + rng.randint(-5, 5))
            progress = (target - baseline) * step / 3 * rng.uniform(0.3, 1.3)
            value = round(min(100.0, max(0.0, baseline + progress + rng.gauss(0, 2))), 1)
            entries.append((on, value, rng.choice(EVIDENCE)))
        return {
            "measure": Target.Measure.CUSTOM,
            "description": measure,
            "group": "all",
            "baseline_year": ctx.baseline_year,
            "baseline_value": baseline,
            "target_value": target,
            "target_year": year_label(ctx.year_start),
            "_entries": entries,
        }

    def checkpoints(self, ctx: Context, count: int) -> list[tuple[datetime.date, str]]:
        y, rng = ctx.year_start, self.rng
        dates = [
            datetime.date(y, 11, rng.randint(18, 30)),
            datetime.date(y + 1, 1, rng.randint(20, 31)),
            datetime.date(y + 1, 3, rng.randint(5, 28)),
            datetime.date(y + 1, 5, rng.randint(10, 31)),
        ]
        chosen = sorted(rng.sample(dates, min(count, len(dates))))
        return list(zip(chosen, rng.sample(CHECKPOINTS, len(chosen)), strict=True))


@dataclass
class Request:
    tried: str
    needs: list[str]
    detail: str
    needed_by: datetime.date | None
    to_ministry: bool
    asked: datetime.datetime
    answer: str = ""
    provided: list[str] = field(default_factory=list)
    answerer: User | None = None
    close: bool = False
    answered: datetime.datetime | None = None


class Writer(Protocol):
    """The steps a script takes on a plan; capacity.planning.demo.writers has the two ways to write them."""

    def goals(self) -> int: ...
    def characteristics(self) -> set[str]: ...
    def has_checkpoints(self) -> bool: ...
    def checkpoint_count(self) -> int: ...
    def update(self, **values: Any) -> None: ...
    def add_goal(self, spec: GoalSpec) -> None: ...
    def add_checkpoint(self, due: datetime.date, title: str) -> None: ...
    def task(self, code: str, user: User) -> None: ...
    def submit(self) -> None: ...
    def decide(self, accept: bool, comments: str = "") -> None: ...
    def move(self, stage: Stage) -> Plan | None: ...
    def record(self, how_many: int, texts: list[tuple[str, str, str]]) -> None: ...
    def coreflect(
        self, author: User, themes: str, keep: str, consider: str, replies: list[tuple[User, str]]
    ) -> None: ...
    def ask(self, request: Request) -> None: ...
    def finish(self) -> None: ...


class Script:
    """How far a plan went through the cycle, and what happened on the way."""

    def __init__(self, rng: random.Random, cast: Cast, content: Content) -> None:
        self.rng = rng
        self.cast = cast
        self.content = content

    def fill(self, ctx: Context, writer: Writer, *, draft: bool = False) -> None:
        """Title, goals with targets and strategies, and checkpoints (a draft has fewer)."""
        rng, content = self.rng, self.content
        have = writer.goals()
        used = writer.characteristics()
        areas = []
        for index in range(have, content.goal_count(have)):
            spec = content.goal(ctx, index, used)
            writer.add_goal(spec)
            areas.append(str(spec.values["area"]))
        if not ctx.plan.title:
            area = (areas or [ctx.focus_areas[0] if ctx.focus_areas else "literacy"])[0]
            writer.update(title=content.title(ctx, area))
        if not writer.has_checkpoints():
            count = rng.randint(1, 2) if draft else rng.randint(2, 4)
            for due, title in content.checkpoints(ctx, count):
                writer.add_checkpoint(due, title)

    def tasks(
        self, ctx: Context, writer: Writer, stage: Stage, *, team: float = 1.0, system: float = 0.8
    ) -> None:
        for task in tasks_for(stage, TEAM):
            if self.rng.random() < team:
                writer.task(task.code, ctx.team)
        for task in tasks_for(stage, SYSTEM):
            if self.rng.random() < system:
                writer.task(task.code, ctx.reviewer)

    def record(self, writer: Writer, how_many: int) -> None:
        """Progress at the first `how_many` checkpoints; the later ones stay open (overdue once due)."""
        rng = self.rng
        writer.record(
            how_many,
            [
                (rng.choice(EVIDENCE), rng.choice(PROGRESS), rng.choice(ADJUSTMENTS))
                for _ in range(max(0, how_many))
            ],
        )

    def coreflect(
        self, ctx: Context, writer: Writer, *, by_ministry: bool = False, reply: float = 0.75
    ) -> None:
        rng = self.rng
        author = self.cast.ministry if by_ministry else ctx.reviewer
        replies: list[tuple[User, str]] = []
        if rng.random() < reply:
            replies.append((ctx.team, rng.choice(REPLIES)))
            if rng.random() < 0.3:
                replies.append((author, rng.choice(SYSTEM_REPLIES)))
        writer.coreflect(
            author, rng.choice(THEMES), rng.choice(KEEP), rng.choice(CONSIDER), replies
        )

    def ask(self, ctx: Context, writer: Writer, *, status: str | None = None) -> None:
        """A support request from the plan's team: open, or answered after a few hours to several weeks."""
        rng, plan = self.rng, ctx.plan
        status = status or rng.choices(("open", "answered", "closed"), weights=(40, 45, 15))[0]
        today, now = timezone.localdate(), timezone.now()
        board = plan.kind == Kind.BOARD
        to_ministry = board or (plan.focused_intervention and rng.random() < 0.3)
        answer, provided = rng.choice(ANSWERS)
        needs = sorted(
            set(provided) | ({rng.choice(("knowledge", "people"))} if rng.random() < 0.4 else set())
        )
        if (
            status == "open"
        ):  # some past the date they were needed by, some not yet, some with no date
            needed_by = rng.choice(
                (
                    today - datetime.timedelta(days=rng.randint(3, 45)),
                    today + datetime.timedelta(days=rng.randint(7, 60)),
                    None,
                )
            )
            asked = now - datetime.timedelta(days=rng.randint(5, 70), hours=rng.randint(0, 8))
        else:
            needed_by = rng.choice((today - datetime.timedelta(days=rng.randint(20, 200)), None))
            asked = now - datetime.timedelta(days=rng.randint(30, 260), hours=rng.randint(0, 8))
        request = Request(
            tried=rng.choice(BOARD_TRIED if board else TRIED),
            needs=needs,
            detail=rng.choice(NEED_DETAIL),
            needed_by=needed_by,
            to_ministry=to_ministry,
            asked=asked,
        )
        if status != "open":
            request.answer, request.provided, request.close = answer, provided, status == "closed"
            request.answerer = self.cast.ministry if to_ministry else ctx.reviewer
            waited = rng.choice((3, 20, 50, 120, 240, 500, 900)) + rng.randint(0, 20)
            request.answered = asked + datetime.timedelta(hours=waited)
        writer.ask(request)

    def run(self, ctx: Context, writer: Writer, script: str) -> Plan | None:
        """Take the plan as far as `script` says. Returns next year's plan when the script closes the year."""
        plan, rng = ctx.plan, self.rng
        ministry_side = plan.kind == Kind.BOARD
        ctx.entries = {ACT: rng.choice((1, 2)), OBSERVE: 2, REFLECT: 3, CLOSED: 3}.get(script, 1)
        self.fill(ctx, writer, draft=script == DRAFT)
        self.tasks(
            ctx,
            writer,
            Stage.PLAN,
            team=0.5 if script == DRAFT else 1.0,
            system=0.5 if script == DRAFT else 0.9,
        )
        if script == DRAFT:
            if rng.random() < 0.3:
                self.ask(ctx, writer, status="open")
            return self._done(writer)
        writer.submit()
        if script == SUBMITTED:
            return self._done(writer)
        if script == RETURNED or rng.random() < 0.3:
            writer.decide(
                False, rng.choice(RETURN_BOARD_COMMENTS if ministry_side else RETURN_COMMENTS)
            )
            if script == RETURNED:
                if rng.random() < 0.5:
                    self.coreflect(
                        ctx,
                        writer,
                        by_ministry=ministry_side or plan.focused_intervention,
                        reply=0.9,
                    )
                return self._done(writer)
            writer.add_checkpoint(
                datetime.date(ctx.year_start, 12, rng.randint(8, 18)),
                "Check-in before the winter break (added after the review)",
            )
            writer.submit()
        writer.decide(True)
        if script == ACCEPTED:
            return self._done(writer)
        writer.move(Stage.ACT)
        self.tasks(ctx, writer, Stage.ACT, team=0.7 if script == ACT else 1.0)
        if rng.random() < (0.5 if plan.focused_intervention else 0.3):
            self.ask(ctx, writer)
        if script == ACT:
            self.record(writer, rng.choice((0, 0, 1)))
            if rng.random() < 0.2:
                self.coreflect(ctx, writer)
            return self._done(writer)
        writer.move(Stage.OBSERVE)
        checkpoints = writer.checkpoint_count()
        self.record(writer, max(1, checkpoints - rng.choice((1, 2))))
        self.tasks(ctx, writer, Stage.OBSERVE, team=0.8 if script == OBSERVE else 1.0)
        if rng.random() < 0.6:
            self.coreflect(
                ctx,
                writer,
                by_ministry=ministry_side or (plan.focused_intervention and rng.random() < 0.5),
            )
        if rng.random() < 0.2:  # what they saw sent them back to adjust the plan in action
            writer.move(Stage.ACT)
            writer.move(Stage.OBSERVE)
        if script == OBSERVE:
            return self._done(writer)
        writer.move(Stage.REFLECT)
        self.record(writer, checkpoints - (1 if rng.random() < 0.25 else 0))
        self.coreflect(ctx, writer, by_ministry=ministry_side or rng.random() < 0.3, reply=0.85)
        self.tasks(ctx, writer, Stage.REFLECT, team=0.6 if script == REFLECT else 1.0)
        if script == REFLECT and rng.random() < 0.5:
            return self._done(writer)  # still reflecting: nothing written yet
        writer.update(overall_impact=rng.choice(IMPACT), next_steps=rng.choice(NEXT_STEPS))
        if script == REFLECT:
            return self._done(writer)
        return writer.move(Stage.CLOSED)

    @staticmethod
    def _done(writer: Writer) -> None:
        writer.finish()

    def journey(self, ctx: Context, writer: Writer) -> None:
        """The sign-in's own plan: started (one goal, its target read from the evidence), not yet submitted."""
        ctx.wrong_drivers = False
        writer.task("plan.data", ctx.team)
        writer.task("plan.orient", ctx.reviewer)
        spec = self.content.goal(ctx, 0, set())
        writer.add_goal(spec)
        writer.update(title=self.content.title(ctx, str(spec.values["area"])))
