"""The one way lists sort and page (capacity/listing.py), on real boards in the database."""

from __future__ import annotations

import doctest

import pytest
from django.http import QueryDict

from capacity import listing
from capacity.directory.models import Board
from capacity.listing import Column, ListSpec
from tests.factories import BoardFactory, ProvinceFactory

SPEC = ListSpec(
    columns=(
        Column("Board", "name", ("name",)),
        Column("Region", "region", ("region", "name")),
        Column("Website"),
    ),
    default="name",
    page_size=2,
    label="Pages of boards",
)


@pytest.fixture
def boards(db) -> list[Board]:
    province = ProvinceFactory()
    return [
        BoardFactory(province=province, name=name, region=region)
        for name, region in (("Cedar", "North"), ("Aspen", "South"), ("Birch", "North"))
    ]


def names(page: listing.ListPage) -> list[str]:
    return [board.name for board in page.rows]


def test_its_examples_run() -> None:
    assert doctest.testmod(listing).failed == 0


def test_it_sorts_by_the_default_column_when_none_is_asked(boards) -> None:
    page = SPEC.page(Board.objects.all(), QueryDict(""))
    assert names(page) == ["Aspen", "Birch"] and (page.sort, page.descending) == ("name", False)


def test_it_falls_back_to_the_default_for_an_unknown_or_unsortable_key(boards) -> None:
    for asked in ("province__secret", "website", "-id; DROP TABLE", ""):
        page = SPEC.page(Board.objects.all(), QueryDict(f"sort={asked}"))
        assert names(page) == ["Aspen", "Birch"], asked


def test_it_sorts_descending_and_breaks_ties_with_the_next_fields(boards) -> None:
    page = SPEC.page(Board.objects.all(), QueryDict("sort=-region"))
    assert names(page) == ["Aspen", "Birch"]  # South first, then the North boards by name
    page = SPEC.page(Board.objects.all(), QueryDict("sort=region"))
    assert names(page) == ["Birch", "Cedar"]


def test_rows_with_equal_values_keep_one_order_across_pages(db) -> None:
    province = ProvinceFactory()
    made = [BoardFactory(province=province, name="Same", region="Same") for _ in range(5)]
    seen = []
    for number in (1, 2, 3):
        page = SPEC.page(Board.objects.all(), QueryDict(f"sort=region&page={number}"))
        seen += [board.pk for board in page.rows]
    assert seen == sorted(b.pk for b in made)


def test_a_page_past_the_end_shows_the_last_and_a_bad_number_the_first(boards) -> None:
    last = SPEC.page(Board.objects.all(), QueryDict("page=99"))
    assert (last.number, last.num_pages, names(last)) == (2, 2, ["Cedar"])
    assert SPEC.page(Board.objects.all(), QueryDict("page=x")).number == 1


def test_the_header_links_keep_the_filters_and_go_back_to_page_one(boards) -> None:
    page = SPEC.page(Board.objects.all(), QueryDict("q=a&q=b&page=2&sort=name"))
    name, region, website = page.headers
    assert name.aria_sort == "ascending" and name.href == "?q=a&q=b&sort=-name"
    assert region.aria_sort == "" and region.href == "?q=a&q=b&sort=region"
    assert website.href == "" and website.aria_sort == ""  # not sortable: plain text
    assert page.previous_href == "?q=a&q=b&sort=name&page=1" and page.next_href == ""


def test_the_pager_links_keep_the_order_and_filters(boards) -> None:
    page = SPEC.page(Board.objects.all(), QueryDict("sort=-name&region=North"))
    assert page.next_href == "?sort=-name&region=North&page=2"
    assert page.headers[0].aria_sort == "descending" and page.headers[0].href.endswith("sort=name")
    assert page.count == 3 and page.has_other_pages and page.label == "Pages of boards"


def test_it_refuses_a_default_that_is_not_a_sortable_column() -> None:
    with pytest.raises(ValueError, match="not a sortable column"):
        ListSpec(columns=(Column("Website"),), default="website")
