"""Sortable, paginated lists: one way for every list page (plans, schools, boards, support, audit).

A list declares its columns once, as a `ListSpec`: which columns people may sort
by (the whitelist: anything else in `?sort=` falls back to the default order),
which database fields each sorts on, and the default order. `ListSpec.page`
orders a queryset by the chosen column, always ending with the id so that rows
with equal values keep one order from page to page, and cuts out one page. The
`ListPage` it returns carries what the shared partials show:

- `lists/_thead.html`: the header row, each sortable column a link with
  `aria-sort` on the column the rows are sorted by;
- `lists/_pager.html`: a `<nav>` with "Page X of Y" and previous/next links.

Links keep the rest of the query string (the page's filters); choosing another
order goes back to page 1. A page number past the end shows the last page, and
one that is not a number the first (Django's `Paginator.get_page`).

Selectors call `spec.page(queryset, request.GET)`; views only pass the result on.

>>> spec = ListSpec(
...     columns=(Column("Name", "name", ("name",)), Column("Note")), default="name"
... )
>>> spec.ordering({"sort": "-name"}), spec.ordering({"sort": "note"}), spec.ordering({})
(('name', True), ('name', False), ('name', False))
>>> [str(f) for f in spec.order_by("name", descending=True)]
['OrderBy(F(name), descending=True)', 'OrderBy(F(id), descending=True)']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Expression, F, OrderBy, QuerySet
from django.utils.functional import Promise

T = TypeVar("T")

SORT = "sort"
PAGE = "page"


@dataclass(frozen=True)
class Column:
    """A column of a list: its header, and, when people may sort by it, its key and fields.

    `fields` are field names or expressions: the first follows the order asked for,
    the others break its ties in ascending order (plans of one year by board name),
    and the id comes last, in the order asked for (newest first when that is asked).
    Empty values sort last either way, on every database.
    """

    label: str | Promise
    key: str = ""
    fields: Sequence[str | Expression] = ()
    numeric: bool = False

    @property
    def sortable(self) -> bool:
        return bool(self.key and self.fields)


@dataclass(frozen=True)
class Header:
    """One header cell as the partial shows it."""

    label: str | Promise
    numeric: bool
    href: str = ""  # empty: not sortable
    aria_sort: str = ""  # "ascending" or "descending" on the sorted column, else empty


@dataclass
class ListPage(Generic[T]):
    """One page of a sorted list, with what the header and pager partials need."""

    page: Page
    rows: list[T]
    headers: list[Header]
    sort: str
    descending: bool
    label: str | Promise = ""
    previous_href: str = ""
    next_href: str = ""

    @property
    def count(self) -> int:
        """How many rows the whole list has (every page)."""
        return int(self.page.paginator.count)

    @property
    def number(self) -> int:
        return int(self.page.number)

    @property
    def num_pages(self) -> int:
        return int(self.page.paginator.num_pages)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.page.has_other_pages())


def _query(params: Mapping[str, Any], **changes: Any) -> str:
    """The query string of `params` with `changes` (None drops a key), multi-valued keys kept."""
    items: list[tuple[str, str]] = []
    getlist = getattr(params, "getlist", None)
    for key in params:
        if key in changes:
            continue
        values = getlist(key) if getlist else [params[key]]
        items.extend((key, str(value)) for value in values)
    items.extend((key, str(value)) for key, value in changes.items() if value is not None)
    return "?" + urlencode(items) if items else "?"


@dataclass(frozen=True)
class ListSpec:
    """One list's columns, its allowed sort keys (the sortable columns) and default order.

    `default` is a column key, with a leading "-" for descending ("-when").
    `page_size` defaults to `CAPACITY_PAGE_SIZE`.
    """

    columns: tuple[Column, ...]
    default: str
    page_size: int | None = None
    label: str | Promise = ""  # the pager's accessible name, "Pages of …"
    _keys: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = {c.key: c for c in self.columns if c.sortable}
        object.__setattr__(self, "_keys", keys)
        if self.default.removeprefix("-") not in keys:
            raise ValueError(f"the default order {self.default!r} is not a sortable column")

    @property
    def keys(self) -> list[str]:
        """The sort keys people may ask for."""
        return list(self._keys)

    def ordering(self, params: Mapping[str, Any]) -> tuple[str, bool]:
        """The column key and direction asked for in `?sort=`, or the default when unknown."""
        asked = str(params.get(SORT, "") or "")
        key = asked.removeprefix("-")
        if key in self._keys:
            return key, asked.startswith("-")
        return self.default.removeprefix("-"), self.default.startswith("-")

    def order_by(self, key: str, *, descending: bool) -> list[OrderBy]:
        """The ORDER BY for a column, ending with the id so that ties keep one order."""
        terms: list[OrderBy] = []
        fields = [*self._keys[key].fields, "id"]
        for position, name in enumerate(fields):
            expression = F(name) if isinstance(name, str) else name
            if descending and position in (0, len(fields) - 1):
                terms.append(expression.desc(nulls_last=True))
            else:
                terms.append(expression.asc(nulls_last=True))
        return terms

    def page(
        self, queryset: QuerySet[Any], params: Mapping[str, Any], *, rows: Any = None
    ) -> ListPage[Any]:
        """Sort `queryset` as `params` ask, and cut out the page asked for.

        `rows`, when given, turns the page's objects into the rows shown (a
        dashboard adds figures to each plan); it is called once, with the list.
        """
        key, descending = self.ordering(params)
        ordered = queryset.order_by(*self.order_by(key, descending=descending))
        size = self.page_size or int(settings.CAPACITY_PAGE_SIZE)
        page = Paginator(ordered, size).get_page(params.get(PAGE))
        objects = list(page.object_list)
        headers = []
        for column in self.columns:
            if not column.sortable:
                headers.append(Header(column.label, column.numeric))
                continue
            current = column.key == key
            # The sorted column's link turns the order round; another column's starts ascending.
            wanted = f"-{column.key}" if current and not descending else column.key
            headers.append(
                Header(
                    column.label,
                    column.numeric,
                    href=_query(params, **{SORT: wanted, PAGE: None}),
                    aria_sort=("descending" if descending else "ascending") if current else "",
                )
            )
        return ListPage(
            page=page,
            rows=rows(objects) if rows is not None else objects,
            headers=headers,
            sort=key,
            descending=descending,
            label=self.label,
            previous_href=_query(params, **{PAGE: page.previous_page_number()})
            if page.has_previous()
            else "",
            next_href=_query(params, **{PAGE: page.next_page_number()}) if page.has_next() else "",
        )
