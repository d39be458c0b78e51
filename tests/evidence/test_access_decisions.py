"""The decisions' rules in the access module: only ministry officers decide; who reads which rows.

Pure functions of a hand-made `Scope`, then the filter against real rows.
"""

from __future__ import annotations

from django.db.models import Q

from capacity.directory import access
from capacity.directory.access import Scope
from capacity.directory.models import Role

BOARD, OTHER_BOARD, SCHOOL = 1, 2, 10

MINISTRY = Scope(province=True, province_writer=True, roles=frozenset({Role.MINISTRY_OFFICER}))
LEADER = Scope(
    board_ids=frozenset({BOARD}),
    led_board_ids=frozenset({BOARD}),
    roles=frozenset({Role.BOARD_LEADER}),
)
TRUSTEE = Scope(board_ids=frozenset({BOARD}), roles=frozenset({Role.TRUSTEE}))
PRINCIPAL = Scope(
    school_ids=frozenset({SCHOOL}),
    team_school_ids=frozenset({SCHOOL}),
    roles=frozenset({Role.PRINCIPAL}),
)
TEACHER = Scope(school_ids=frozenset({SCHOOL}), roles=frozenset({Role.TEACHER}))
FACILITATOR = Scope(network_ids=frozenset({5}), roles=frozenset({Role.NETWORK_FACILITATOR}))
NOBODY = Scope()

FIELDS = {
    "school": "school_id",
    "board": "school__board_id",
    "state": "state",
    "confirmed": "confirmed",
    "decided": ("confirmed", "set_aside"),
}


def test_it_lets_only_ministry_officers_decide() -> None:
    assert MINISTRY.may_decide_identification
    for scope in (LEADER, TRUSTEE, PRINCIPAL, TEACHER, FACILITATOR, NOBODY):
        assert not scope.may_decide_identification


def test_it_lets_those_with_a_board_or_a_school_read_decisions() -> None:
    for scope in (MINISTRY, LEADER, TRUSTEE, PRINCIPAL, TEACHER):
        assert scope.may_read_identification_decisions
    assert not FACILITATOR.may_read_identification_decisions
    assert not NOBODY.may_read_identification_decisions


def test_the_ministry_reads_every_row() -> None:
    assert MINISTRY.identification_filter(**FIELDS) == Q()


def test_a_board_leader_reads_the_boards_rows_pending_included() -> None:
    assert LEADER.identification_filter(**FIELDS) == Q(pk__in=[]) | Q(school__board_id__in=[BOARD])


def test_a_trustee_reads_the_boards_confirmed_rows_only() -> None:
    assert TRUSTEE.identification_filter(**FIELDS) == Q(pk__in=[]) | Q(
        school__board_id__in=[BOARD], state="confirmed"
    )


def test_school_staff_read_their_schools_decided_rows() -> None:
    expected = Q(pk__in=[]) | Q(school_id__in=[SCHOOL], state__in=("confirmed", "set_aside"))
    assert PRINCIPAL.identification_filter(**FIELDS) == expected
    assert TEACHER.identification_filter(**FIELDS) == expected


def test_a_facilitator_reads_nothing() -> None:
    assert FACILITATOR.identification_filter(**FIELDS) == Q(pk__in=[])


def test_the_request_functions_read_the_persons_scope(world) -> None:
    p = world.personas
    assert access.can_decide_identification(p["ministry"])
    assert not access.can_decide_identification(p["board_a"])
    assert access.can_read_identification_decisions(p["trustee_a"])
    assert not access.can_read_identification_decisions(p["facilitator"])
    assert access.identification_filter(p["ministry"], **FIELDS) == Q()
