"""API endpoints for the learning library: published content only.

Published modules and case studies are every signed-in person's, so any authenticated
caller (session or token) lists and reads them. Drafts, submitted and returned versions
are never part of an answer: an item never published is a 404 here, even to its authors
(they read it on its page). The filters are the library page's (`selectors.library`).
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from capacity.api_common import Paging, answers
from capacity.learning import selectors
from capacity.learning.models import BoardType, Context, Item, Kind, Language, Version
from capacity.planning.models import Characteristic

router = Router(tags=["learning"])


class LibraryFilters(Schema):
    kind: Kind | None = Field(None, description="module or case")
    characteristic: Characteristic | None = Field(None, description="A characteristic's code")
    context: Context | None = Field(None, description="A context of use")
    board_type: BoardType | None = Field(
        None, description="A case study's board type (modules have none)"
    )
    language: Language | None = Field(None, description="Items written in this language")


class LibraryAgendaSegmentOut(Schema):
    minutes: int
    title: str
    notes: str


class LibrarySectionOut(Schema):
    heading: str
    markdown: str = Field(description="The section's text, in Markdown")


class LibraryTextOut(Schema):
    language: str
    title: str
    summary: str
    themes: list[str]
    agenda: list[LibraryAgendaSegmentOut] = Field(description="A module's annotated agenda")
    sections: list[LibrarySectionOut]


class LibraryItemSummaryOut(Schema):
    slug: str
    kind: str = Field(description="module or case")
    number: int | None = Field(description="A module's number (1 to 8)")
    version: int = Field(description="The published version's number")
    published_at: datetime.datetime | None
    languages: list[str]
    titles: dict[str, str] = Field(description="The title in each language it is written in")
    characteristics: list[str]
    contexts: list[str]
    board: str | None = Field(description="A case study's board")
    board_type: str | None
    year: int | None = Field(description="When a case study's work began")


class LibraryItemOut(LibraryItemSummaryOut):
    facts: dict[str, Any] = Field(
        description="The front matter the languages share (docs/learning.md)"
    )
    texts: list[LibraryTextOut]


def _summary(item: Item) -> dict[str, Any]:
    version: Version | None = item.published
    assert version is not None
    facts = version.facts or {}
    texts = list(version.texts.all())
    return {
        "slug": item.slug,
        "kind": item.kind,
        "number": item.number,
        "version": version.number,
        "published_at": version.published_at,
        "languages": [text.language for text in texts],
        "titles": {text.language: text.title for text in texts},
        "characteristics": list(facts.get("characteristics", [])),
        "contexts": list(facts.get("contexts", [])),
        "board": facts.get("board"),
        "board_type": facts.get("board_type"),
        "year": facts.get("year"),
    }


class ItemPagination(Paging):
    """Limit/offset pages of published items; texts come with the page in one more query."""

    def paginate_queryset(
        self, queryset: QuerySet[Item], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = [_summary(item) for item in page[self.items_attribute]]
        return page


@router.get(
    "/learning/items",
    response=answers(list[LibraryItemSummaryOut]),
    url_name="api_learning_items",
    summary="Published modules and case studies",
    description="Modules by number, then case studies by slug. LibraryFilters as on the library page: "
    "`kind`, `characteristic`, `context`, `board_type` (case studies only) and `language`. "
    "Drafts are never listed.",
)
@paginate(ItemPagination)
def list_items(request: HttpRequest, filters: Query[LibraryFilters]) -> QuerySet[Item]:
    chosen = {key: str(value) for key, value in filters.dict().items() if value}
    items = selectors.library(chosen)
    if chosen.get("kind"):
        items = items.filter(kind=chosen["kind"])
    return items


@router.get(
    "/learning/items/{slug}",
    response=answers(LibraryItemOut, 404),
    url_name="api_learning_item",
    summary="One published item: facts and texts",
    description="The published version: its number and date, the facts its languages share, "
    "and each language's title, summary, themes, agenda (modules) and sections in Markdown. "
    "404 for an item that is not published.",
)
def get_item(
    request: HttpRequest,
    slug: str = Path(..., max_length=80, pattern=r"^[-a-zA-Z0-9_]+$", description="Its slug"),
) -> dict[str, Any]:
    item = selectors.published_items().filter(slug=slug).first()
    if item is None or item.published is None:
        raise HttpError(404, f"No published item with the slug {slug!r}.")
    version = item.published
    return {
        **_summary(item),
        "facts": version.facts or {},
        "texts": [
            {
                "language": text.language,
                "title": text.title,
                "summary": text.summary,
                "themes": list(text.themes),
                "agenda": [
                    {
                        "minutes": int(row.get("minutes", 0)),
                        "title": str(row.get("title", "")),
                        "notes": str(row.get("notes", "")),
                    }
                    for row in text.agenda
                ],
                "sections": [{"heading": h, "markdown": body} for h, body in text.sections],
            }
            for text in version.texts.all()
        ],
    }
