"""The indicators' table: one header and one row per school (or board), then the totals, with the
statuses in their order and dates as ISO text."""

from __future__ import annotations

from capacity.planning import exports_implementation as exports
from capacity.planning import selectors_implementation as selectors
from tests.planning.implementation_world import reviewed, school_plan, today


def test_the_board_table_has_a_row_per_school_and_the_totals(world) -> None:
    plan = school_plan(world)
    reviewed(world, plan, status="embedded")
    rollup = selectors.board_rollup(world.personas["board_a"], world.board_a)
    header = exports.board_header()
    rows = list(exports.board_rows(rollup))
    assert len(header) == len(rows[0]) == len(rows[-1])
    assert header[6:11] == ["Strategies", "Not started", "Started", "In place", "Embedded"]
    school, totals = rows
    assert school[2:4] == [world.school_a1.number, world.school_a1.name]
    assert school[5] == today().isoformat()
    assert school[6:11] == [2, 1, 0, 0, 1]
    assert totals[3] == "All schools of the board" and totals[6:11] == school[6:11]


def test_the_province_table_has_a_row_per_board_and_the_province(world) -> None:
    school_plan(world)
    school_plan(world, world.school_b1, team="principal_b1")
    rollup = selectors.province_rollup(world.personas["ministry"])
    rows = list(exports.province_rows(rollup))
    assert [r[2] for r in rows] == [world.board_a.number, world.board_b.number, ""]
    assert rows[-1][3] == "Province" and rows[-1][4] == 2
    assert rows[-1][6] == 4  # strategies across the province
    assert len(exports.province_header()) == len(rows[0])
