"""The demo's networks' work, built through the services (capacity/rounds/demo.py runs this part
first: its cycles are where the visits part plans a network's visits).

* Suggestions for the latest school year with results: most left waiting for a decision, one
  accepted by the demo facilitator into a new network (which they then facilitate), one
  rejected with a reason.
* A working agreement for every network; the facilitator's first network changed it once (two
  versions), agreed with most of its schools, while one network's agreement was written with
  none of them (the co-reflection's contrived-congeniality signal shows on it).
* Cycles at every stage: the facilitator's first network has a finished cycle (the three
  cultures answered) and one in co-teach, where network visits are planned; other networks are
  at co-plan, co-debrief and co-reflect.
* Actions, some done, some due soon, one overdue.

Deterministic: the same seed and the same day give the same work.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from capacity.directory import access
from capacity.directory.models import Network
from capacity.rounds import services_networks as services
from capacity.rounds import suggest
from capacity.rounds.models import Protocol

MEASURES: dict[str, list[dict[str, Any]]] = {
    "Junior Mathematics Network": [
        {"assessment": "G6-MATH", "group": "all", "target": 55.0},
        {"assessment": "G3-MATH", "group": "all", "target": 65.0},
    ],
    "Primary Literacy Network": [{"assessment": "G3-READ", "group": "all", "target": 78.0}],
    "Writing Across the Curriculum": [{"assessment": "G6-WRITE", "group": "all", "target": 85.0}],
    "English Language Learners Network": [
        {"assessment": "G3-READ", "group": "ell", "target": 65.0},
        {"assessment": "G6-READ", "group": "ell", "target": None},
    ],
}
DEFAULT_MEASURES: list[dict[str, Any]] = [{"assessment": "G3-READ", "group": "all", "target": None}]

STAGE_TEXT = {
    "co_plan": "We planned a task together: students compare two strategies and say which one "
    "works for a new problem, and we agreed to look at what students say to each other.",
    "co_teach": "Two teachers from different schools taught the task together in each host "
    "classroom; visiting teams took notes on what the teacher did, what students did and "
    "what the task was.",
    "co_debrief": "Most students chose a strategy; few explained why. Where partners had to "
    "convince each other, more students named the strategy's limits.",
    "co_reflect": "Tasks that ask students to compare and justify move the talk; we will plan "
    "the next cycle's task at the analysis level and visit across boards.",
}
CULTURES_DONE = {
    "balkanisation": {
        "noticed": True,
        "seen": "At first each school sent only its own staff to its own classrooms; we mixed "
        "the visiting teams for the second visit.",
    },
    "comfortable": {"noticed": False, "seen": ""},
    "contrived": {
        "noticed": True,
        "seen": "The meeting dates were set before the schools were asked; the next cycle's "
        "dates are chosen by the principals together.",
    },
}


def _people() -> tuple[Any, Any]:
    users = get_user_model().objects
    return users.filter(username="ministry").first(), users.filter(username="facilitator").first()


def _advance(user: Any, cycle: Any, until: str) -> Any:
    """Write each stage's record and move on until the cycle reaches `until`."""
    for stage in services.STAGES:
        if cycle.stage == until:
            return cycle
        cycle = services.network_cycle_update(
            user=user,
            cycle=cycle,
            version=cycle.version,
            focus=cycle.focus,
            records={stage.value: STAGE_TEXT[stage.value]},
            cultures=CULTURES_DONE if stage == Protocol.CO_REFLECT else None,
        )
        following = [*services.STAGES, Protocol.DONE][services.STAGES.index(stage) + 1]
        cycle = services.network_cycle_advance(
            user=user, cycle=cycle, version=cycle.version, to=following
        )
    return cycle


def _suggestions(ministry: Any, facilitator: Any) -> dict[str, int]:
    from capacity.evidence.selectors import result_years

    years = result_years()
    if not years:
        return {"network_suggestions": 0}
    made = services.network_suggestions_run(
        user=ministry,
        school_year=years[-1],
        # A small demo province spreads its few schools' contexts wide: a looser context match
        # and likeness still find examples near enough, where a real province's are nearer.
        settings=suggest.Settings(limit=8, max_context_distance=2.5, min_similarity=0.4),
    )
    if len(made) >= 1 and facilitator is not None:
        first = made[0]
        services.network_suggestion_accept(
            user=facilitator,
            suggestion=first,
            schools=list(first.schools.all()),
            name="Mathematics Across Boards Network",
            purpose="Schools whose students are furthest below the province in Grade 3 and 6 "
            "mathematics, learning from a school in a similar context that does better than "
            "its context predicts.",
        )
    if len(made) >= 2:
        services.network_suggestion_reject(
            user=ministry,
            suggestion=made[1],
            reason="Two of these schools already work together in a board network this year; "
            "we will look again next year.",
        )
    return {"network_suggestions": len(made)}


def build(*, seed: int) -> dict[str, int]:
    ministry, facilitator = _people()
    if ministry is None:
        return {}
    rng = random.Random(seed * 31 + 12)
    today = timezone.localdate()
    counts = _suggestions(ministry, facilitator)
    led = set(access.scope_for(facilitator).network_ids) if facilitator is not None else set()
    networks = list(Network.objects.order_by("name"))
    first_led = next((n.pk for n in networks if n.pk in led), None)
    agreements = cycles = actions = 0
    stages = [Protocol.CO_PLAN, Protocol.CO_DEBRIEF, Protocol.CO_REFLECT]
    for index, network in enumerate(networks):
        lead = facilitator if network.pk in led else ministry
        members = list(network.schools.order_by("number"))
        if len(members) < 2:
            continue
        agreed = today - datetime.timedelta(days=60 + rng.randint(0, 30))
        took_part = members if index % 4 != 3 else []  # one in four: written without them
        agreement = services.agreement_record(
            user=lead,
            network=network,
            based_on=0,
            priorities=f"{network.purpose} We look at students' work together every month, "
            "and we visit each other's classrooms every term.",
            norms="We describe what we see, not what we think of it. Each school hosts a visit "
            "in turn. What we learn is shared with every member school's staff.",
            measures=MEASURES.get(network.name, DEFAULT_MEASURES),
            agreed_on=agreed,
            schools=took_part,
        )
        agreements += 1
        if network.pk == first_led:
            services.agreement_record(
                user=lead,
                network=network,
                based_on=agreement.number,
                priorities=agreement.priorities + " From the winter: tasks that ask students to "
                "justify their strategy.",
                norms=agreement.norms,
                measures=agreement.measures,
                agreed_on=agreed + datetime.timedelta(days=45),
                schools=members[:-1],
            )
            agreements += 1
            first = services.network_cycle_create(
                user=lead,
                network=network,
                focus="Students explain and compare strategies in junior mathematics.",
                starts=agreed,
                ends=agreed + datetime.timedelta(days=40),
            )
            _advance(lead, first, Protocol.DONE)
            services.network_action_create(
                user=lead,
                network=network,
                text="Share the comparison task and its student work with every member school.",
                due=agreed + datetime.timedelta(days=30),
                cycle=first,
            )
            done = first.actions.first()
            assert done is not None
            services.network_action_update(user=lead, action=done, done=True)
            second = services.network_cycle_create(
                user=lead,
                network=network,
                focus="Tasks at the analysis level: students justify which strategy to use.",
                starts=today - datetime.timedelta(days=10),
                ends=today + datetime.timedelta(days=50),
            )
            _advance(lead, second, Protocol.CO_TEACH)
            services.network_action_create(
                user=lead,
                network=network,
                text="Each host school chooses two classrooms for the co-teaching visit.",
                due=today + datetime.timedelta(days=7),
                cycle=second,
            )
            services.network_action_create(
                user=lead,
                network=network,
                text="Send the visiting teams the task and the three note-taking prompts.",
                due=today - datetime.timedelta(days=3),
                cycle=second,
            )
            cycles += 2
            actions += 3
            continue
        stage = stages[index % len(stages)]
        cycle = services.network_cycle_create(
            user=lead,
            network=network,
            focus=f"{network.purpose} A first cycle of the four-stage protocol.",
            starts=today - datetime.timedelta(days=30),
            ends=today + datetime.timedelta(days=30),
        )
        _advance(lead, cycle, stage)
        services.network_action_create(
            user=lead,
            network=network,
            text="Each member school brings three samples of student work to the next meeting.",
            due=today + datetime.timedelta(days=5 + rng.randint(0, 20)),
            cycle=cycle,
        )
        cycles += 1
        actions += 1
    counts.update(
        network_agreements=agreements,
        network_cycles=cycles,
        network_actions_planned=actions,
    )
    return counts
