"""Late timelines on the home pages (planning/home_themes.py)."""

from __future__ import annotations

from capacity.planning import home_themes
from tests.planning.kit_themes import plan_a1, timeline_a


def section(user, heading_id):
    return next((s for s in home_themes.sections(user) if s.heading_id == heading_id), None)


def test_the_team_sees_each_late_step_of_its_plan(world) -> None:
    timeline_a(world)
    plan = plan_a1(world)
    found = section(world.personas["principal_a1"], "home-themes-late")
    assert found is not None
    texts = [item.text for item in found.items]
    assert any("Not in Act by the timeline's date" in t for t in texts)
    assert all(
        item.status == "overdue" and item.url == f"/plans/{plan.pk}/" for item in found.items
    )


def test_the_boards_leader_sees_the_late_plans_they_review(world) -> None:
    timeline_a(world)
    plan_a1(world)
    found = section(world.personas["board_a"], "home-themes-late-review")
    assert found is not None and len(found.items) == 1
    assert world.school_a1.name in found.items[0].text


def test_a_teacher_and_a_trustee_get_no_late_sections(world) -> None:
    timeline_a(world)
    plan_a1(world)
    assert home_themes.sections(world.personas["teacher_a1"]) == []
    assert home_themes.sections(world.personas["trustee_a"]) == []
    assert home_themes.sections(world.personas["facilitator"]) == []


def test_nothing_late_shows_the_empty_sentence(world) -> None:
    found = section(world.personas["principal_a1"], "home-themes-late")
    assert found is not None and found.items == () and "Nothing is late" in found.empty


def test_the_ministry_and_a_boards_leader_are_led_to_the_counts(world) -> None:
    ministry = section(world.personas["ministry"], "home-themes-counts")
    assert [item.url for item in ministry.items] == ["/plans/themes/"]
    board = section(world.personas["board_a"], "home-themes-counts")
    assert [item.url for item in board.items] == [f"/plans/themes/boards/{world.board_a.number}/"]
    assert section(world.personas["principal_a1"], "home-themes-counts") is None
