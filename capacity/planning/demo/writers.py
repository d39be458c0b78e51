"""Writing a plan's year: through the services, or in bulk with the same rows and history.

`ServiceWriter` calls the service a person would call in the app for each
step. `BulkWriter` leaves the same plan (rows, versions, PlanChange history
and submission snapshots) in a handful of bulk inserts, for the province-wide
sample where a service call per step takes minutes on SQLite; a test
(tests/planning/test_demo.py) holds the two to the same result, field by field.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from capacity.directory.models import User
from capacity.planning import services
from capacity.planning.cycle import TASKS_BY_CODE
from capacity.planning.demo.script import Context, GoalSpec, Request
from capacity.planning.models import (
    Checkpoint,
    CoReflection,
    Goal,
    Kind,
    Plan,
    PlanChange,
    Reply,
    Review,
    Stage,
    Strategy,
    Submission,
    SupportRequest,
    Target,
    TargetEntry,
    TaskDone,
)


def decide_goals(plan: Plan, team: Any) -> None:
    """The team's year-close decisions, through the service: a goal whose targets are all met
    stops, the others go on (the demo's teams decide as the old automatic rule did, so closed
    years look as before; the reasons are the team's words)."""
    from capacity.planning.models import CarryDecision
    from capacity.planning.progress import MET, target_progress
    from capacity.planning.services_yearclose import goal_carry_decide

    for goal in plan.goals.prefetch_related("targets").order_by("position", "id"):
        targets = list(goal.targets.all())
        met = bool(targets) and all(target_progress(t).status == MET for t in targets)
        plan.refresh_from_db(fields=["version"])
        goal_carry_decide(
            plan=plan,
            goal=goal,
            user=team,
            seen=plan.version,
            decision=CarryDecision.STOP if met else CarryDecision.CARRY,
            why=CARRY_WHY[1] if met else CARRY_WHY[0],
        )


CARRY_WHY = (
    "The targets are not met yet and the work is still the right work: we keep it.",
    "The targets are met; the next inch is elsewhere in our evidence.",
)


class ServiceWriter:
    """Each step is the service a person would call in the app: rights, versions, history and audit."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.plan = ctx.plan

    def goals(self) -> int:
        return self.plan.goals.count()

    def characteristics(self) -> set[str]:
        return set(self.plan.goals.values_list("characteristic", flat=True))

    def has_checkpoints(self) -> bool:
        return self.plan.checkpoints.exists()

    def checkpoint_count(self) -> int:
        return self.plan.checkpoints.count()

    def update(self, **values: Any) -> None:
        services.plan_update(plan=self.plan, user=self.ctx.team, seen=self.plan.version, **values)

    def add_goal(self, spec: GoalSpec) -> None:
        team, plan = self.ctx.team, self.plan
        goal = services.goal_add(plan=plan, user=team, seen=plan.version, **spec.values)
        for row in spec.targets:
            values = {k: v for k, v in row.items() if not k.startswith("_")}
            target = services.target_add(
                goal=goal, user=team, seen=plan.version, **values
            )  # finds the baseline
            TargetEntry.objects.bulk_create(
                [
                    TargetEntry(target=target, on=on, value=value, note=note, recorded_by=team)
                    for on, value, note in row.get("_entries", [])
                ]
            )
        for row in spec.strategies:
            services.strategy_add(goal=goal, user=team, seen=plan.version, **row)

    def add_checkpoint(self, due: datetime.date, title: str) -> None:
        services.checkpoint_add(
            plan=self.plan, user=self.ctx.team, seen=self.plan.version, due=due, title=title
        )

    def task(self, code: str, user: User) -> None:
        services.task_check(plan=self.plan, user=user, task=code)

    def submit(self) -> None:
        services.plan_submit(plan=self.plan, user=self.ctx.team, seen=self.plan.version)

    def decide(self, accept: bool, comments: str = "") -> None:
        basis = services.review_basis(self.plan)
        assert basis is not None, "the demo decides only on a submitted plan"
        services.plan_decide(
            plan=self.plan, user=self.ctx.reviewer, accept=accept, comments=comments, **basis
        )

    def move(self, stage: Stage) -> Plan | None:
        if stage == Stage.CLOSED:
            decide_goals(self.plan, self.ctx.team)
        moved = services.plan_stage_move(
            plan=self.plan, user=self.ctx.team, seen=self.plan.version, to=stage
        )
        return moved if stage == Stage.CLOSED else None

    def record(self, how_many: int, texts: list[tuple[str, str, str]]) -> None:
        for checkpoint, (evidence, progress, adjustments) in zip(
            list(self.plan.checkpoints.order_by("due", "id"))[:how_many], texts, strict=False
        ):
            if checkpoint.recorded_at is None:  # what was recorded at an earlier stage stands
                services.item_update(
                    item=checkpoint,
                    user=self.ctx.team,
                    seen=self.plan.version,
                    evidence_gathered=evidence,
                    progress=progress,
                    adjustments=adjustments,
                )

    def coreflect(
        self, author: User, themes: str, keep: str, consider: str, replies: list[tuple[User, str]]
    ) -> None:
        entry = services.coreflection_add(
            plan=self.plan, user=author, themes=themes, keep=keep, consider=consider
        )
        for user, text in replies:
            services.reply_add(coreflection=entry, user=user, text=text)

    def ask(self, request: Request) -> None:
        plan = self.plan
        where: dict[str, Any] = (
            {"board": plan.board} if plan.kind == Kind.BOARD else {"school": plan.school}
        )
        made = services.support_request_create(
            user=self.ctx.team,
            plan=plan,
            tried=request.tried,
            needs=request.needs,
            detail=request.detail,
            needed_by=request.needed_by,
            to_ministry=request.to_ministry,
            **where,
        )
        if request.answerer is not None:
            services.support_request_answer(
                request=made,
                user=request.answerer,
                answer=request.answer,
                provided=request.provided,
                close=request.close,
            )
        # When it was asked and answered (the services stamp both with the present moment).
        SupportRequest.objects.filter(pk=made.pk).update(
            requested_at=request.asked, answered_at=request.answered
        )

    def finish(self) -> None:
        pass


def _changed(obj: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """What the services record for `values` set on `obj`: {field: [before, after]} where they differ.

    The same comparison and the same rendering (services._value) as
    services._apply, without its full_clean: the bulk rows are validated
    where they are built, before their plan's rows exist.
    """
    return {
        name: [services._value(getattr(obj, name)), services._value(new)]
        for name, new in values.items()
        if services._differs(getattr(obj, name), new)
    }


class BulkWriter:
    """The same plan the services would write (rows, versions, history), in a handful of bulk inserts.

    For the province-wide sample, where a service call per step would take
    minutes on SQLite. Every step that would take a new version of the plan
    takes one here too and leaves the same PlanChange row; `finish` writes it
    all. Closing the year still goes through the service, which carries the
    unfinished goals forward.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.plan = ctx.plan
        self.version = ctx.plan.version
        self.existing_goals = ctx.plan.goals.count()
        self.used = (
            set(ctx.plan.goals.values_list("characteristic", flat=True))
            if ctx.plan.kind == Kind.BOARD and self.existing_goals
            else set()
        )
        self.new_goals: list[tuple[Goal, GoalSpec]] = []
        self.checkpoints: list[Checkpoint] = []
        self.tasks: list[TaskDone] = []
        # Each submission with what it saw: the plan's own fields, and the checkpoints there were.
        self.submissions: list[tuple[Submission, dict[str, Any], list[Checkpoint]]] = []
        self.reflections: list[tuple[CoReflection, list[tuple[User, str]]]] = []
        self.requests: list[SupportRequest] = []
        self.changes: list[PlanChange] = []
        self.now = timezone.now()

    def _log(
        self,
        user: User | None,
        action: str,
        item: str,
        fields: dict[str, Any] | None = None,
        *,
        bump: bool = True,
    ) -> None:
        if bump:
            self.version += 1
        self.changes.append(
            PlanChange(
                plan=self.plan,
                by=user,
                action=action,
                item=item[:200],
                fields=fields or {},
                version=self.version,
            )
        )

    def goals(self) -> int:
        return self.existing_goals + len(self.new_goals)

    def characteristics(self) -> set[str]:
        return self.used

    def has_checkpoints(self) -> bool:
        return bool(self.checkpoints)

    def checkpoint_count(self) -> int:
        return len(self.checkpoints)

    def update(self, **values: Any) -> None:
        changed = _changed(self.plan, values)
        for name, value in values.items():
            setattr(self.plan, name, value)
        self._log(self.ctx.team, "plan_changed", str(self.plan), changed)

    def add_goal(self, spec: GoalSpec) -> None:
        goal = Goal(plan=self.plan, position=self.goals() + 1, **spec.values)
        goal.full_clean(exclude=["plan"])
        self.new_goals.append((goal, spec))
        self._log(self.ctx.team, "goal_added", str(goal), _changed(Goal(), spec.values))
        for row in spec.targets:
            values = {k: v for k, v in row.items() if not k.startswith("_")}
            # What target_add is given; it reads an assessment's baseline from the evidence itself.
            changed = _changed(Target(), values)
            if "_baseline" in row:
                values["baseline_value"] = row["_baseline"]
            self._log(self.ctx.team, "target_added", str(Target(**values)), changed)
        for row in spec.strategies:
            self._log(
                self.ctx.team, "strategy_added", str(Strategy(**row)), _changed(Strategy(), row)
            )

    def add_checkpoint(self, due: datetime.date, title: str) -> None:
        checkpoint = Checkpoint(plan=self.plan, due=due, title=title)
        self.checkpoints.append(checkpoint)
        self._log(
            self.ctx.team,
            "checkpoint_added",
            str(checkpoint),
            _changed(Checkpoint(), {"due": due, "title": title}),
        )

    def task(self, code: str, user: User) -> None:
        if any(t.task == code for t in self.tasks):
            return
        self.tasks.append(TaskDone(plan=self.plan, task=code, done_by=user))
        self._log(user, "task_done", str(TASKS_BY_CODE[code].text), bump=False)

    def submit(self) -> None:
        self._log(
            self.ctx.team,
            "submitted",
            str(self.plan),
            {"review": [self.plan.review, Review.SUBMITTED.value]},
        )
        self.plan.review = Review.SUBMITTED
        submission = Submission(
            plan=self.plan,
            number=len(self.submissions) + 1,
            stage=self.plan.stage,
            snapshot={},
            submitted_by=self.ctx.team,
        )
        seen = {
            name: getattr(self.plan, name)
            for name in ("title", "stage", "overall_impact", "next_steps")
        }
        self.submissions.append(
            (
                submission,
                {**seen, "review": Review.SUBMITTED.value, "version": self.version},
                list(self.checkpoints),
            )
        )

    def decide(self, accept: bool, comments: str = "") -> None:
        submission = self.submissions[-1][0]
        submission.decision = (
            Submission.Decision.ACCEPTED if accept else Submission.Decision.RETURNED
        )
        submission.comments, submission.decided_by, submission.decided_at = (
            comments,
            self.ctx.reviewer,
            self.now,
        )
        review = Review.ACCEPTED if accept else Review.RETURNED
        self._log(
            self.ctx.reviewer,
            "accepted" if accept else "returned",
            str(self.plan),
            {
                "review": [self.plan.review, review.value],
                **({"comments": ["", comments]} if comments else {}),
            },
        )
        self.plan.review = review

    def move(self, stage: Stage) -> Plan | None:
        if stage == Stage.CLOSED:
            self.finish()
            decide_goals(self.plan, self.ctx.team)
            return services.plan_stage_move(
                plan=self.plan, user=self.ctx.team, seen=self.plan.version, to=stage
            )
        self._log(
            self.ctx.team, "stage_moved", str(self.plan), {"stage": [self.plan.stage, stage.value]}
        )
        self.plan.stage = stage
        return None

    def record(self, how_many: int, texts: list[tuple[str, str, str]]) -> None:
        for checkpoint, (evidence, progress, adjustments) in zip(
            sorted(self.checkpoints, key=lambda c: c.due)[:how_many], texts, strict=False
        ):
            if checkpoint.recorded_at is None:
                changed = _changed(
                    checkpoint,
                    {
                        "evidence_gathered": evidence,
                        "progress": progress,
                        "adjustments": adjustments,
                    },
                )
                checkpoint.evidence_gathered, checkpoint.progress = evidence, progress
                checkpoint.adjustments = adjustments
                checkpoint.recorded_at, checkpoint.recorded_by = self.now, self.ctx.team
                self._log(self.ctx.team, "checkpoint_changed", str(checkpoint), changed)

    def coreflect(
        self, author: User, themes: str, keep: str, consider: str, replies: list[tuple[User, str]]
    ) -> None:
        entry = CoReflection(
            plan=self.plan,
            stage=self.plan.stage,
            author=author,
            themes=themes,
            keep=keep,
            consider=consider,
        )
        self.reflections.append((entry, replies))
        self._log(author, "coreflection_added", themes, bump=False)
        for user, text in replies:
            self._log(user, "reply_added", text, bump=False)

    def ask(self, request: Request) -> None:
        plan = self.plan
        row = SupportRequest(
            board=plan.board,
            school=plan.school,
            plan=plan,
            tried=request.tried,
            needs=request.needs,
            detail=request.detail,
            needed_by=request.needed_by,
            to_ministry=request.to_ministry,
            requested_by=self.ctx.team,
            requested_at=request.asked,
        )
        self._log(self.ctx.team, "support_requested", request.tried, bump=False)
        if request.answerer is not None:
            row.answer, row.provided, row.answered_by = (
                request.answer,
                request.provided,
                request.answerer,
            )
            row.answered_at = request.answered
            row.status = (
                SupportRequest.Status.CLOSED if request.close else SupportRequest.Status.ANSWERED
            )
            self._log(request.answerer, "support_answered", request.answer, bump=False)
        row.full_clean(exclude=["board", "school", "plan", "requested_by", "answered_by"])
        self.requests.append(row)

    def finish(self) -> None:
        """Write the plan and everything in it."""
        plan = self.plan
        goals = Goal.objects.bulk_create([goal for goal, _ in self.new_goals])
        targets: list[tuple[Target, list[tuple[datetime.date, float, str]]]] = []
        strategies: list[Strategy] = []
        for goal, (_, spec) in zip(goals, self.new_goals, strict=True):
            for row in spec.targets:
                values = {k: v for k, v in row.items() if not k.startswith("_")}
                if "_baseline" in row:
                    values["baseline_value"] = row["_baseline"]
                targets.append((Target(goal=goal, **values), row.get("_entries", [])))
            strategies += [Strategy(goal=goal, **row) for row in spec.strategies]
        made = Target.objects.bulk_create([t for t, _ in targets])
        TargetEntry.objects.bulk_create(
            [
                TargetEntry(target=target, on=on, value=value, note=note, recorded_by=self.ctx.team)
                for target, (_, entries) in zip(made, targets, strict=True)
                for on, value, note in entries
            ]
        )
        Strategy.objects.bulk_create(strategies)
        Checkpoint.objects.bulk_create(self.checkpoints)
        TaskDone.objects.bulk_create(self.tasks)
        plan.version = self.version
        plan.save(
            update_fields=[
                "title",
                "stage",
                "review",
                "overall_impact",
                "next_steps",
                "version",
                "updated_at",
            ]
        )
        if self.submissions:
            # What each submission kept: the plan as it stood then, in Plan stage, before any progress.
            now = services.plan_snapshot(plan)
            rows = list(
                zip(plan.checkpoints.all(), now["checkpoints"], strict=True)
            )  # the snapshot's order
            for submission, plan_then, checkpoints_then in self.submissions:
                shot = dict(now, **plan_then)
                saw = {c.pk for c in checkpoints_then}
                shot["checkpoints"] = [
                    dict(row, evidence_gathered="", progress="", adjustments="", recorded_at=None)
                    for checkpoint, row in rows
                    if checkpoint.pk in saw
                ]
                submission.snapshot = shot
            Submission.objects.bulk_create([s for s, _, _ in self.submissions])
        entries = CoReflection.objects.bulk_create([entry for entry, _ in self.reflections])
        Reply.objects.bulk_create(
            [
                Reply(coreflection=entry, author=user, text=text)
                for entry, (_, replies) in zip(entries, self.reflections, strict=True)
                for user, text in replies
            ]
        )
        if self.requests:
            asked = [r.requested_at for r in self.requests]
            requests = SupportRequest.objects.bulk_create(self.requests)
            for request, when in zip(
                requests, asked, strict=True
            ):  # bulk_create stamps the present moment
                request.requested_at = when
            SupportRequest.objects.bulk_update(requests, ["requested_at"])
        PlanChange.objects.bulk_create(self.changes)
        self.new_goals, self.checkpoints, self.tasks, self.submissions = [], [], [], []
        self.reflections, self.requests, self.changes = [], [], []
