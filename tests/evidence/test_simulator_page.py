"""The policy simulator: entries and exits over the years for the proposed policy, a busy
indicator while the form posts, and a by-board table sorted on the server."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.evidence.conftest import results_for
from tests.factories import BoardFactory, SchoolFactory

BASE = "/evidence/simulate/?year=2018-19&current=ofip-2016&proposed=ofip-2016"


def get(client, world, path, **headers):
    client.force_login(world.personas["ministry"])
    return client.get(path, **headers)


class Table(HTMLParser):
    """The cells of the by-board table (class "by-board"), row by row, and its header cells."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.rows: list[list[str]] = []
        self.headers: list[dict[str, str]] = []
        self.cell: list[str] | None = None
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "table" and "by-board" in attrs.get("class", ""):
            self.inside = True
        if not self.inside:
            return
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self.cell, self.attrs = [], attrs
        if tag == "a" and self.cell is not None:
            self.attrs = self.attrs | {"href": attrs.get("href", "")}

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag in ("td", "th") and self.cell is not None:
            text = " ".join("".join(self.cell).split())
            if self.attrs.get("scope") == "col":
                self.headers.append(self.attrs | {"text": text})
            else:
                self.rows[-1].append(text)
            self.cell = None
        if tag == "table":
            self.inside = False


def by_board(content: str) -> Table:
    table = Table()
    table.feed(content)
    table.rows = [r for r in table.rows if r]
    return table


def three_boards(world):
    """Board A: one school under 81%; board B: one; board C: three. A threshold of 81 finds them."""
    board_c = BoardFactory(province=world.province, number="B66003", name="Gamma DSB")
    schools = [world.school_a1, world.school_b1] + [
        SchoolFactory(board=board_c, number=f"70100{i}", name=f"Gamma {i}") for i in range(3)
    ]
    for year in ("2017-18", "2018-19", "2021-22"):
        for school in schools:
            results_for(school, year, [60, 62, 64, 66, 68, 90])
    return world


def test_it_shows_entries_and_exits_per_year_for_the_proposed_policy(client, world) -> None:
    three_boards(world)
    response = get(client, world, BASE + "&threshold=81")
    assert response.status_code == 200
    movement = {m.year: m for m in response.context["movement"]}
    assert list(movement) == ["2017-18", "2018-19", "2021-22"]
    # Under 81% every school meets the rule each year: all five enter in 2018-19 (after a
    # first year with no earlier year to meet with), then leave for insufficient data
    # after the gap, since 2020-21 had no results.
    assert (movement["2018-19"].identified, movement["2018-19"].entered) == (5, 5)
    assert movement["2021-22"].compared_with == "2018-19"
    assert (movement["2021-22"].identified, movement["2021-22"].exits_to_insufficient) == (0, 5)
    assert all(m.reconciles for m in movement.values())
    content = response.content.decode()
    assert "Under the proposal, year by year" in content
    assert "Schools entering and leaving identification, school years 2017-18 to 2021-22" in content
    assert "(no results in 2019-20, 2020-21)" in content


def test_it_sorts_the_board_table_on_the_server_with_aria_sort(client, world) -> None:
    three_boards(world)
    default = by_board(get(client, world, BASE + "&threshold=81").content.decode())
    names = [row[0] for row in default.rows]
    assert names == sorted(names, key=str.casefold)  # board name, A to Z, by default
    assert default.headers[0]["aria-sort"] == "ascending"
    assert all("aria-sort" not in h for h in default.headers[1:])

    response = get(client, world, BASE + "&threshold=81&sort=-proposed")
    table = by_board(response.content.decode())
    proposed = [int(row[2]) for row in table.rows]
    assert proposed == sorted(proposed, reverse=True) and proposed[0] == 3
    assert table.rows[0][0] == "Gamma DSB"
    sorted_on = {h["text"]: h.get("aria-sort") for h in table.headers}
    assert sorted_on["Proposed"] == "descending" and sorted_on["Board"] is None
    # The sorted column's link reverses it; every link keeps the form's choices.
    header = next(h for h in table.headers if h["text"] == "Proposed")
    assert "sort=proposed" in header["href"] and "threshold=81" in header["href"]
    assert all("current=ofip-2016" in h["href"] for h in table.headers)

    ascending = by_board(get(client, world, BASE + "&threshold=81&sort=proposed").content.decode())
    assert [int(row[2]) for row in ascending.rows] == sorted(proposed)


def test_an_unknown_sort_falls_back_to_board_names(client, world) -> None:
    three_boards(world)
    response = get(client, world, BASE + "&threshold=81&sort=-board_name__password")
    assert response.status_code == 200
    table = by_board(response.content.decode())
    assert table.headers[0]["aria-sort"] == "ascending"


def test_htmx_gets_the_sorted_table_and_the_years_in_the_partial(client, world) -> None:
    three_boards(world)
    response = get(client, world, BASE + "&threshold=81&sort=-entering", HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content
    assert 'aria-sort="descending"' in content and 'hx-target="#outcome"' in content
    assert "Under the proposal, year by year" in content


def test_it_shows_a_busy_indicator_that_needs_no_script_from_elsewhere(client, world) -> None:
    response = get(client, world, "/evidence/simulate/")
    content = response.content.decode()
    form = re.search(r"<form[^>]*hx-get[^>]*>", content)
    assert form is not None
    assert 'data-busy="#outcome"' in form.group(0) and 'method="get"' in form.group(0)
    assert re.search(
        r'<p id="simulate-busy" class="busy" role="status" hidden>Working...</p>', content
    )
    assert 'id="outcome" aria-live="polite" aria-busy="false"' in content
    scripts = re.findall(r'<script src="([^"]+)"', content)
    assert "/static/capacity/busy.js" in scripts
    assert all(src.startswith("/static/") for src in scripts)  # no CDN


def test_the_busy_script_sets_aria_busy_and_shows_the_working_note() -> None:
    from pathlib import Path

    import capacity

    script = (Path(capacity.__file__).parent / "static" / "capacity" / "busy.js").read_text()
    assert 'setAttribute("aria-busy", on ? "true" : "false")' in script
    assert "note.hidden = !on" in script
    assert "htmx:afterRequest" in script and "pageshow" in script
