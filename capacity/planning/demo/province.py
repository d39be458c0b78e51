"""The province builder: who gets a plan, how far each went, and the people who act in them.

`build_demo_plans` runs after the demo's results; see the package docstring
(capacity/planning/demo/__init__.py) for what it leaves.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count

from capacity.directory.demo import _FAMILY, _GIVEN, DEMO_PASSWORD
from capacity.directory.models import Board, Membership, Role, School, User
from capacity.directory.services import membership_grant, user_create
from capacity.evidence.models import Assessment, Result
from capacity.planning import services
from capacity.planning.demo.script import (
    CLOSED,
    DRAFT,
    FOCUSED_SCRIPTS,
    OBSERVE,
    ORDER,
    RETURNED,
    SCRIPTS,
    SUBMITTED,
    YEAR,
    Cast,
    Content,
    Context,
    Script,
    Writer,
    year_label,
)
from capacity.planning.demo.writers import BulkWriter, ServiceWriter
from capacity.planning.models import (
    Checkpoint,
    CoReflection,
    Goal,
    Kind,
    Plan,
    PlanChange,
    Reply,
    Stage,
    Strategy,
    Submission,
    SupportRequest,
    Target,
    TargetEntry,
    Timeline,
)

FOCUS_PRINCIPAL = "principal.focus"
FOCUS_SUPERINTENDENT = "superintendent.focus"
ACTOR = "capacity demo"

SAMPLE_SCHOOLS = 180  # schools with a plan besides the identified ones and the demo principals' own
SAMPLE_BOARDS = 14  # boards with a board plan besides the demo board leaders' own
HISTORY_SHARE = 0.3  # share of sampled plans that follow a closed plan from the year before


def _load_cast() -> Cast:
    ministry_row = (
        Membership.objects.filter(role=Role.MINISTRY_OFFICER)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if ministry_row is None:
        raise ValueError(
            "The demo plans need the demo province: build it first (it has a ministry officer)."
        )
    cast = Cast(ministry=ministry_row.user)
    users: dict[int, User] = {}
    for row in (
        Membership.objects.filter(role__in=[Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.BOARD_LEADER])
        .select_related("user")
        .order_by("id")
    ):
        user = users.setdefault(row.user_id, row.user)
        if row.role in (Role.PRINCIPAL, Role.SCHOOL_TEAM) and row.school_id is not None:
            cast.school_team.setdefault(row.school_id, user)
        elif row.role == Role.BOARD_LEADER and row.board_id is not None:
            cast.board_team.setdefault(row.board_id, user)
            if "superintendent" in row.title.lower():
                cast.board_reviewer[row.board_id] = user
    for board_id, user in cast.board_team.items():
        cast.board_reviewer.setdefault(board_id, user)
    return cast


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"


def _principals_on_record(cast: Cast, rng: random.Random, schools: list[School]) -> None:
    """A principal for each school that has none, on record like the boards' directors: they cannot sign
    in. Hundreds of them, so written in bulk as the directory's demo writes the directors."""
    missing = sorted((s for s in schools if s.pk not in cast.school_team), key=lambda s: s.number)
    if not missing:
        return
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(username=f"principal.{s.number}", display_name=_name(rng), password=password)
            for s in missing
        ]
    )
    made = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
    Membership.objects.bulk_create(
        [
            Membership(user=made[f"principal.{s.number}"], role=Role.PRINCIPAL, school=s)
            for s in missing
        ]
    )
    for school in missing:
        cast.school_team[school.pk] = made[f"principal.{school.number}"]
    cast.made += len(missing)


def _sign_in(
    cast: Cast, rng: random.Random, username: str, role: str, org: School | Board, title: str
) -> User:
    """A demo sign-in (listed by `capacity serve`, password DEMO_PASSWORD)."""
    user = user_create(
        username=username,
        email=f"{username}@demo.capacity.invalid",
        display_name=_name(rng),
        password=DEMO_PASSWORD,
        check_password=False,
        actor_label=ACTOR,
    )
    membership_grant(user=user, role=role, organisation=org, title=title, actor_label=ACTOR)
    cast.made += 1
    return user


def build_demo_plans(
    *, seed: int = 2016, progress: Callable[[str, int, int], None] | None = None
) -> dict[str, int]:
    """Plans for the demo province at every stage of the cycle. Refuses a database that already has plans.

    Returns counts of what is there afterwards (plans by kind, stage and
    review, goals, targets, co-reflections, support requests, people made...).
    """
    if Plan.objects.exists():
        raise ValueError(
            "The database already holds improvement plans; the demo plans load only once."
        )
    from capacity.evidence import selectors

    say = progress or (lambda step, done, total: None)
    if connection.vendor == "sqlite":
        # Without statistics SQLite looks a school's results up through the assessment index (tens of
        # milliseconds each, and targets read them thousands of times here). ANALYZE takes a fraction of
        # a second and lets it use the school's index.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    selectors.forget_data_version()
    policy = selectors.get_policy()
    latest = selectors.default_year(policy)
    identified = (
        list(selectors.province_identification(policy, latest).identified) if latest else []
    )
    with transaction.atomic():
        made = _Province(
            random.Random(seed * 6151 + 17), identified, latest or YEAR, policy.label, say
        ).build()
    return _counts(made)


class _Province:
    def __init__(
        self,
        rng: random.Random,
        identified: list[Any],
        year: str,
        policy: str,
        say: Callable[[str, int, int], None],
    ) -> None:
        self.rng = rng
        self.identified = identified
        self.year = year
        self.year_start = int(year[:4])
        self.policy = policy
        self.say = say
        self.cast = _load_cast()
        self.script = Script(
            rng, self.cast, Content(rng, {a.code: a for a in Assessment.objects.all()})
        )
        self.schools = {s.pk: s for s in School.objects.select_related("board").order_by("number")}
        self.boards = list(Board.objects.order_by("number"))
        self.results: dict[tuple[int, str], dict[tuple[str, str], float]] = {}
        self.reasons = {s.school_number: s.reasons for s in identified}

    def build(self) -> int:
        rng, cast, year_start = self.rng, self.cast, self.year_start
        by_number = {s.number: s for s in self.schools.values()}
        identified = [
            by_number[s.school_number] for s in self.identified if s.school_number in by_number
        ]

        # The sign-in for the whole journey: the principal of an identified school in the board with the
        # most identified schools, reviewed by a superintendent of that board.
        focus: School | None = None
        if identified:
            per_board: dict[int, int] = {}
            for school in identified:
                per_board[school.board_id] = per_board.get(school.board_id, 0) + 1
            board_id = max(per_board, key=lambda b: (per_board[b], -b))
            focus = min((s for s in identified if s.board_id == board_id), key=lambda s: s.number)
            cast.school_team[focus.pk] = _sign_in(
                cast, rng, FOCUS_PRINCIPAL, Role.PRINCIPAL, focus, ""
            )
            cast.board_reviewer[board_id] = _sign_in(
                cast,
                rng,
                FOCUS_SUPERINTENDENT,
                Role.BOARD_LEADER,
                focus.board,
                "Superintendent of Education",
            )
        _timelines(rng, self.boards, year_start)

        demo_principals = {
            m.user.username: self.schools[m.school_id]
            for m in Membership.objects.filter(
                role=Role.PRINCIPAL,
                user__email__endswith="@demo.capacity.invalid",
                school__isnull=False,
            ).select_related("user")
            if m.school_id is not None
        }
        home, other = demo_principals.get("principal"), demo_principals.get("principal.other")

        # Who gets a plan this year, how far it went, whether a closed plan came before it, and whether
        # the services write it (the demo principals' own schools) or the bulk writer does.
        script: dict[int, str] = {}
        history: set[int] = set()
        showcase: set[int] = set()
        if home is not None:
            script[home.pk] = OBSERVE if focus else DRAFT
            history |= {home.pk} if focus else set()
            showcase.add(home.pk)
        if other is not None:
            script[other.pk] = RETURNED
            showcase.add(other.pk)
        if focus is not None:
            showcase.add(focus.pk)
        ids = {s.pk for s in identified}
        pool = [s for s in self.schools.values() if s.pk not in script and s.pk not in ids]
        # Every school of the demo board leaders' board, so that their sign-ins see plans at every stage.
        first = [s for s in pool if home is not None and s.board_id == home.board_id]
        rest = [s for s in pool if s not in first]
        sample = first + rng.sample(rest, min(len(rest), max(0, SAMPLE_SCHOOLS - len(first))))
        rng.shuffle(sample)
        for school, chosen in zip(sample, _assign(rng, len(sample)), strict=True):
            script[school.pk] = chosen
            if rng.random() < HISTORY_SHARE:
                history.add(school.pk)
        for school, chosen in zip(
            identified, _assign(rng, len(identified), FOCUSED_SCRIPTS), strict=True
        ):
            script[school.pk] = chosen
            if school != focus and rng.random() < 0.4:
                history.add(school.pk)
        self._load_results(list(script))
        _principals_on_record(cast, rng, [self.schools[pk] for pk in sorted(script)])

        boards = self._board_sample(home, focus)
        total = len(script) + len(history) + len(boards)
        done = 0

        def order(pks: set[int] | dict[int, str]) -> list[School]:
            return sorted((self.schools[pk] for pk in pks), key=lambda s: s.number)

        # Last year's plans, run to the end of the year: closing each opens this year's plan with the
        # unfinished goals carried forward.
        for school in order(history):
            previous = self._start(
                school, school.board, year_label(year_start - 1), school.pk in showcase
            )
            ctx = self._context(previous, school, year_start - 1)
            self.script.run(ctx, self._writer(ctx, school.pk in showcase), CLOSED)
            done += 1
            self.say("plans", done, total)

        # Focused intervention for every school the evidence identified this year.
        services.focused_intervention_start(
            school_year=self.year, identified=self.identified, policy=self.policy, actor_label=ACTOR
        )

        existing = {
            p.school_id: p for p in Plan.objects.filter(kind=Kind.SCHOOL, school_year=self.year)
        }
        for school in order(script):
            plan = existing.get(school.pk) or self._start(
                school, school.board, self.year, school.pk in showcase
            )
            ctx = self._context(plan, school, year_start)
            if school == focus:
                self.script.journey(ctx, ServiceWriter(ctx))
            else:
                self.script.run(ctx, self._writer(ctx, school.pk in showcase), script[school.pk])
            done += 1
            self.say("plans", done, total)

        # Board plans: the ministry reviews them. The demo board leaders' own go through the services.
        demo_boards = {s.board_id for s in (home, focus) if s is not None}
        for board, chosen, with_history in boards:
            showcased = board.pk in demo_boards
            if with_history:
                previous = self._start(None, board, year_label(year_start - 1), showcased)
                ctx = self._board_context(previous, year_start - 1)
                self.script.run(ctx, self._writer(ctx, showcased), CLOSED)
            plan = Plan.objects.filter(
                kind=Kind.BOARD, board=board, school_year=self.year
            ).first() or self._start(None, board, self.year, showcased)
            ctx = self._board_context(plan, year_start)
            self.script.run(ctx, self._writer(ctx, showcased), chosen)
            done += 1
            self.say("plans", done, total)
        return cast.made

    def _board_sample(
        self, home: School | None, focus: School | None
    ) -> list[tuple[Board, str, bool]]:
        """The demo board leaders' boards (one plan in Observe after a closed year, one waiting for the
        ministry's review) and a sample of others at every stage."""
        rng = self.rng
        chosen: list[tuple[Board, str, bool]] = []
        taken: set[int] = set()
        if home is not None:
            chosen.append((home.board, OBSERVE, True))
            taken.add(home.board_id)
        if focus is not None and focus.board_id not in taken:
            chosen.append((focus.board, SUBMITTED, False))
            taken.add(focus.board_id)
        others = [b for b in self.boards if b.pk not in taken]
        sampled = rng.sample(others, min(len(others), SAMPLE_BOARDS))
        chosen += [
            (b, s, rng.random() < 0.35)
            for b, s in zip(sampled, _assign(rng, len(sampled)), strict=True)
        ]
        return [row for row in chosen if row[0].pk in self.cast.board_team]

    def _team(self, school: School) -> User:
        return self.cast.school_team[school.pk]

    def _start(self, school: School | None, board: Board, school_year: str, showcase: bool) -> Plan:
        """A new plan: through the service, or written directly with the same history row."""
        team = self._team(school) if school is not None else self.cast.board_team[board.pk]
        if showcase:
            return services.plan_create(
                user=team, school=school, board=board, school_year=school_year
            )
        kind = Kind.SCHOOL if school is not None else Kind.BOARD
        plan = Plan.objects.create(kind=kind, school=school, board=board, school_year=school_year)
        PlanChange.objects.create(
            plan=plan, by=team, action="plan_created", item=str(plan), version=plan.version
        )
        return plan

    def _writer(self, ctx: Context, showcase: bool) -> Writer:
        return ServiceWriter(ctx) if showcase else BulkWriter(ctx)

    def _context(self, plan: Plan, school: School, start: int) -> Context:
        focus_areas: tuple[str, ...] = ()
        if self.reasons.get(school.number):
            # The team starts where the identifying results were lowest.
            by_area: dict[str, list[float]] = {"mathematics": [], "literacy": []}
            for reason in self.reasons[school.number]:
                by_area["mathematics" if "MATH" in reason.assessment else "literacy"].append(
                    reason.pct_at_standard
                )
            focus_areas = tuple(
                sorted(
                    by_area,
                    key=lambda a: sum(by_area[a]) / len(by_area[a]) if by_area[a] else 100.0,
                )
            )
        return Context(
            plan=plan,
            team=self._team(school),
            reviewer=self.cast.board_reviewer.get(school.board_id, self.cast.ministry),
            year_start=start,
            results=self.results.get((school.pk, year_label(start - 1)), {}),
            secondary=school.level == School.Level.SECONDARY,
            focus_areas=focus_areas,
            wrong_drivers=self.rng.random() < 0.08,
        )

    def _board_context(self, plan: Plan, start: int) -> Context:
        return Context(
            plan=plan,
            team=self.cast.board_team[plan.board_id],
            reviewer=self.cast.ministry,
            year_start=start,
            results={},
            wrong_drivers=self.rng.random() < 0.1,
        )

    def _load_results(self, school_ids: list[int]) -> None:
        """Each school's results in the years plans take their baselines from (what target_add would read)."""
        years = [year_label(self.year_start - 1), year_label(self.year_start - 2)]
        rows = Result.objects.filter(
            school_id__in=school_ids, school_year__in=years, pct_at_standard__isnull=False
        )
        for school_id, school_year, code, group, value in rows.values_list(
            "school_id", "school_year", "assessment__code", "group", "pct_at_standard"
        ):
            if value is not None:
                self.results.setdefault((school_id, school_year), {})[(code, group)] = value


def _assign(rng: random.Random, n: int, weights: dict[str, int] | None = None) -> list[str]:
    """`n` scripts: one of each first (so every stage shows even in a small demo), then by weight, shuffled."""
    weights = weights or SCRIPTS
    first = list(ORDER[:n])
    scripts = first + rng.choices(
        list(weights), weights=list(weights.values()), k=max(0, n - len(first))
    )
    rng.shuffle(scripts)
    return scripts


def _timelines(rng: random.Random, boards: list[Board], year_start: int) -> None:
    """The ministry's dates for board plans and each board's dates for its schools, last year and this."""
    rows = []
    for start in (year_start - 1, year_start):
        rows.append(
            Timeline(
                board=None,
                school_year=year_label(start),
                kind=Kind.BOARD,
                submit_by=datetime.date(start, 10, 2),
                act_by=datetime.date(start, 10, 16),
                observe_by=datetime.date(start + 1, 1, 31),
                reflect_by=datetime.date(start + 1, 6, 14),
            )
        )
        for board in boards:
            shift = datetime.timedelta(days=rng.randint(-4, 10))
            rows.append(
                Timeline(
                    board=board,
                    school_year=year_label(start),
                    kind=Kind.SCHOOL,
                    submit_by=datetime.date(start, 10, 27) + shift,
                    act_by=datetime.date(start, 11, 10) + shift,
                    observe_by=datetime.date(start + 1, 2, 14) + shift,
                    reflect_by=datetime.date(start + 1, 6, 7) + shift,
                )
            )
    Timeline.objects.bulk_create(rows)


def _counts(people: int) -> dict[str, int]:
    counts: dict[str, int] = {"plans": Plan.objects.count()}
    for kind in Kind:
        counts[f"{kind.value}_plans"] = Plan.objects.filter(kind=kind).count()
    counts["focused_intervention"] = Plan.objects.filter(focused_intervention=True).count()
    for stage, n in Plan.objects.values_list("stage").annotate(n=Count("id")).order_by():
        counts[f"stage_{stage}"] = n
    for review, n in (
        Plan.objects.filter(stage=Stage.PLAN)
        .values_list("review")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[f"plan_{review}"] = n
    counts |= {
        "goals": Goal.objects.count(),
        "targets": Target.objects.count(),
        "measure_entries": TargetEntry.objects.count(),
        "strategies": Strategy.objects.count(),
        "checkpoints": Checkpoint.objects.count(),
        "submissions": Submission.objects.count(),
        "returned": Submission.objects.filter(decision=Submission.Decision.RETURNED).count(),
        "coreflections": CoReflection.objects.count(),
        "replies": Reply.objects.count(),
        "support_requests": SupportRequest.objects.count(),
        "support_open": SupportRequest.objects.filter(status=SupportRequest.Status.OPEN).count(),
        "timelines": Timeline.objects.count(),
        "changes": PlanChange.objects.count(),
        "people": people,
    }
    return counts


def demo_plan_accounts() -> list[tuple[str, str, str]]:
    """The sign-ins build_demo_plans added: (user name, role, where), for the demo's sign-in table."""
    rows = (
        Membership.objects.filter(user__username__in=[FOCUS_PRINCIPAL, FOCUS_SUPERINTENDENT])
        .select_related("user", "school", "board")
        .order_by("user__username")
    )
    return [
        (
            m.user.username,
            str(Role(m.role).label),
            m.school.name if m.school else m.board.name if m.board else "",
        )
        for m in rows
    ]
