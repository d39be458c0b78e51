"""The networks part's rows of the authorisation contract (tests/test_authorization.py and
tests/test_authorization_writes.py read them).

Suggestions are for those who form networks (ministry officers, network facilitators). A
network's work is read by whoever reads the network (the ministry, the leaders and trustees of a
member school's board, a member school's staff, its facilitators) and led by its facilitators and
the ministry. In the test world the network joins A2 and B1: board A's leader and trustee read it
(A2 is theirs), B1's principal reads it, A1's people do not."""

from __future__ import annotations

import datetime
from typing import Any

from capacity.rounds.models import (
    Agreement,
    NetworkAction,
    NetworkCycle,
    NetworkSuggestion,
    Protocol,
)
from tests.authz_kit import (
    BA,
    LOGIN,
    NOT_FOUND,
    PB,
    POST_ONLY,
    TR,
    A,
    F,
    M,
    Write,
    only,
    page,
    post,
    read_api,
)
from tests.conftest import PERSONAS

READERS = (M, BA, F, PB, TR)


def suggestion(w: Any) -> NetworkSuggestion:
    found = NetworkSuggestion.objects.filter(school_year="2018-19", reason="").first()
    if found is None:
        found = NetworkSuggestion.objects.create(
            school_year="2018-19",
            explanation={"version": 1, "schools": [], "shared_needs": [], "example": {}},
        )
        found.schools.set([w.school_a2, w.school_b1])
    return found


def agreement(w: Any) -> Agreement:
    return Agreement.objects.get_or_create(
        network=w.network,
        number=1,
        defaults={
            "priorities": "Mathematics talk",
            "measures": [{"assessment": "G6-MATH", "group": "all", "target": 60}],
            "agreed_on": datetime.date(2024, 9, 1),
        },
    )[0]


def cycle(w: Any) -> NetworkCycle:
    return NetworkCycle.objects.get_or_create(
        network=w.network, number=1, defaults={"focus": "Fractions", "stage": Protocol.CO_PLAN}
    )[0]


def action(w: Any) -> NetworkAction:
    return NetworkAction.objects.get_or_create(network=w.network, text="Share the task")[0]


def _with_results(w: Any) -> str:
    from tests.rounds import networks_world

    networks_world.build(w)
    return "/rounds/networks/suggestions/"


FORMERS = only(M, F)
NO_SUGGESTION = {p: (LOGIN if p == A else 404 if p in (M, F) else 403) for p in PERSONAS}

READS = [
    (
        "rounds_network_suggestions",
        "rounds networks: suggestions",
        lambda w: "/rounds/networks/suggestions/",
        FORMERS,
    ),
    (
        "rounds_network_suggestion",
        "rounds networks: a suggestion",
        lambda w: f"/rounds/networks/suggestions/{suggestion(w).pk}/",
        FORMERS,
    ),
    (
        "rounds_network_suggestion",
        "rounds networks: no such suggestion",
        lambda w: "/rounds/networks/suggestions/999999/",
        NO_SUGGESTION,
    ),
    (
        "rounds_network",
        "rounds networks: a network's work",
        lambda w: f"/rounds/networks/{agreement(w).network_id}/",
        only(*READERS),
    ),
    (
        "rounds_network",
        "rounds networks: no such network",
        lambda w: "/rounds/networks/999999/",
        NOT_FOUND,
    ),
    (
        "rounds_network_agreement",
        "rounds networks: the agreement",
        lambda w: f"/rounds/networks/{agreement(w).network_id}/agreement/?version=1",
        only(*READERS),
    ),
    (
        "rounds_network_agreement_pdf",
        "rounds networks: the agreement as a PDF",
        lambda w: f"/rounds/networks/{agreement(w).network_id}/agreement.pdf",
        only(*READERS),
    ),
    (
        "rounds_network_cycle",
        "rounds networks: a cycle",
        lambda w: f"/rounds/networks/{cycle(w).network_id}/cycles/1/",
        only(*READERS),
    ),
    (
        "rounds_network_cycle_new",
        "rounds networks: starting a cycle by GET",
        lambda w: f"/rounds/networks/{w.network.pk}/cycles/",
        POST_ONLY,
    ),
    (
        "rounds_network_action_new",
        "rounds networks: adding an action by GET",
        lambda w: f"/rounds/networks/{w.network.pk}/actions/",
        POST_ONLY,
    ),
    (
        "rounds_network_action",
        "rounds networks: an action by GET",
        lambda w: f"/rounds/networks/actions/{action(w).pk}/",
        POST_ONLY,
    ),
    (
        "api:api_rounds_networks",
        "rounds networks API: the networks",
        lambda w: "/api/rounds/networks",
        read_api(M, BA, F, PB, TR, "principal_a1", "teacher_a1", "team_a1"),
    ),
    (
        "api:api_rounds_network",
        "rounds networks API: a network's work",
        lambda w: f"/api/rounds/networks/{agreement(w).network_id}",
        read_api(*READERS),
    ),
    (
        "api:api_rounds_network_suggestions",
        "rounds networks API: suggestions",
        lambda w: "/api/rounds/network-suggestions",
        read_api(M, F),
    ),
]

LEADS = page(M, F)

WRITES = [
    Write(
        "POST rounds_network_suggestions",
        "rounds networks: suggest networks",
        post(_with_results, lambda w: {"school_year": "2018-19", "largest": "8", "limit": "20"}),
        LEADS,
    ),
    Write(
        "POST rounds_network_suggestion",
        "rounds networks: form a network from a suggestion",
        post(
            lambda w: f"/rounds/networks/suggestions/{suggestion(w).pk}/",
            lambda w: {
                "decision": "accept",
                "accept-name": "Shore Mathematics",
                "accept-purpose": "Junior mathematics",
                "accept-schools": [w.school_a2.number, w.school_b1.number],
            },
        ),
        LEADS,
    ),
    Write(
        "POST rounds_network_suggestion",
        "rounds networks: reject a suggestion",
        post(
            lambda w: f"/rounds/networks/suggestions/{suggestion(w).pk}/",
            lambda w: {"decision": "reject", "reject-reason": "Too far apart"},
        ),
        LEADS,
    ),
    Write(
        "POST rounds_network_agreement",
        "rounds networks: record the agreement",
        post(
            lambda w: f"/rounds/networks/{w.network.pk}/agreement/",
            lambda w: {
                "priorities": "Mathematics talk",
                "norms": "",
                "agreed_on": "2024-09-01",
                "schools": [w.school_b1.number],
                "based_on": "0",
                "measure_1_assessment": "G6-MATH",
                "measure_1_group": "all",
                "measure_1_target": "60",
            },
        ),
        LEADS,
    ),
    Write(
        "POST rounds_network_cycle_new",
        "rounds networks: start a cycle",
        post(
            lambda w: f"/rounds/networks/{w.network.pk}/cycles/",
            lambda w: {"cycle-focus": "Fractions"},
        ),
        LEADS,
    ),
    Write(
        "POST rounds_network_cycle",
        "rounds networks: write a cycle's co-plan",
        post(
            lambda w: f"/rounds/networks/{cycle(w).network_id}/cycles/1/",
            lambda w: {"focus": "Fractions", "co_plan": "A task", "version": "1"},
        ),
        LEADS,
    ),
    Write(
        "POST rounds_network_action_new",
        "rounds networks: add an action",
        post(
            lambda w: f"/rounds/networks/{w.network.pk}/actions/",
            lambda w: {"action-text": "Share the task", "action-due": "2024-10-01"},
        ),
        LEADS,
    ),
    Write(
        "POST rounds_network_action",
        "rounds networks: mark an action done",
        post(lambda w: f"/rounds/networks/actions/{action(w).pk}/", lambda w: {"done": "on"}),
        LEADS,
    ),
]
