"""The portfolio pages: the list, the form with its errors, and the home page's section."""

from __future__ import annotations

from capacity.directory.models import Portfolio
from capacity.directory.services_portfolios import portfolio_save


def test_a_leader_makes_a_family_through_the_form_and_sees_it_on_the_home_page(
    client, world
) -> None:
    leader = world.personas["board_a"]
    client.force_login(leader)
    form = client.get(f"/portfolios/new/?board={world.board_a.number}")
    assert world.school_a2.name in form.content.decode()
    assert world.school_b1.name not in form.content.decode()  # only the board's schools
    answer = client.post(
        f"/portfolios/new/?board={world.board_a.number}",
        {"name": "South", "holder": leader.pk, "schools": [world.school_a2.pk]},
    )
    assert answer.status_code == 302
    listing = client.get("/portfolios/").content.decode()
    assert "South" in listing
    home = client.get("/").content.decode()
    assert "Your family of schools" in home
    assert f"/schools/{world.school_a2.number}/" in home


def test_a_bad_form_says_which_field_and_saves_nothing(client, world) -> None:
    client.force_login(world.personas["board_a"])
    answer = client.post(
        f"/portfolios/new/?board={world.board_a.number}",
        {"name": "", "holder": world.personas["board_a"].pk},
    )
    assert answer.status_code == 400
    assert "field-error" in answer.content.decode()
    assert not Portfolio.objects.exists()


def test_a_stale_form_says_so_and_keeps_the_newer_version(client, world) -> None:
    leader = world.personas["board_a"]
    made = portfolio_save(
        user=leader, name="North", holder=leader, board=world.board_a, schools=[world.school_a1]
    )
    portfolio_save(user=leader, name="Newer", holder=leader, portfolio=made, version=1)
    client.force_login(leader)
    answer = client.post(
        f"/portfolios/{made.pk}/",
        {"name": "Older", "holder": leader.pk, "schools": [world.school_a1.pk], "version": 1},
    )
    assert answer.status_code == 400
    assert "changed this portfolio after you opened it" in answer.content.decode()
    made.refresh_from_db()
    assert made.name == "Newer"


def test_a_trustee_reads_a_family_without_a_form(client, world) -> None:
    leader = world.personas["board_a"]
    made = portfolio_save(
        user=leader, name="North", holder=leader, board=world.board_a, schools=[world.school_a1]
    )
    client.force_login(world.personas["trustee_a"])
    page = client.get(f"/portfolios/{made.pk}/").content.decode()
    assert world.school_a1.name in page
    assert '<form method="post" novalidate' not in page


def test_a_ministry_officer_sees_the_boards_they_look_after_on_the_home_page(client, world) -> None:
    officer = world.personas["ministry"]
    portfolio_save(user=officer, name="East", holder=officer, boards=[world.board_b])
    client.force_login(officer)
    home = client.get("/").content.decode()
    assert "The boards you look after" in home
    assert f"/boards/{world.board_b.number}/" in home


def test_the_board_page_lists_its_families_and_its_leaders_may_start_one(client, world) -> None:
    leader = world.personas["board_a"]
    portfolio_save(
        user=leader, name="North", holder=leader, board=world.board_a, schools=[world.school_a1]
    )
    client.force_login(leader)
    page = client.get(f"/boards/{world.board_a.number}/").content.decode()
    assert "North" in page and "New family of schools in" in page
    client.force_login(world.personas["trustee_a"])
    page = client.get(f"/boards/{world.board_a.number}/").content.decode()
    assert "North" in page and "New family of schools in" not in page


def test_a_change_without_the_version_read_is_refused_not_saved_over(client, world) -> None:
    # A post that leaves out the version (an old tab, a hand-made request) must not overwrite.
    leader = world.personas["board_a"]
    made = portfolio_save(
        user=leader, name="North", holder=leader, board=world.board_a, schools=[world.school_a1]
    )
    portfolio_save(
        user=leader,
        name="Newer",
        holder=leader,
        schools=[world.school_a1],
        portfolio=made,
        version=1,
    )
    client.force_login(leader)
    answer = client.post(
        f"/portfolios/{made.pk}/",
        {"name": "Older", "holder": leader.pk, "schools": [world.school_a2.pk]},
    )
    assert answer.status_code == 400
    assert "changed this portfolio after you opened it" in answer.content.decode()
    made.refresh_from_db()
    assert made.name == "Newer" and made.version == 2
    assert list(made.schools.all()) == [world.school_a1]
