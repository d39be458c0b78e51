"""Every read of the learning library, scoped by the person asking.

Published items are every signed-in person's. An item never published, and any version
not yet published, is visible only to those `access.learning_item_rights` lets read its
drafts (its authors, its board, the coordinators); to anyone else it does not exist (404,
so a draft's title is not given away by its address).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, OuterRef, Prefetch, QuerySet, Value, When
from django.http import Http404

from capacity.directory import access
from capacity.learning.models import Item, Kind, State, Tag, Text, Version
from capacity.learning.services import WORKING, authors_of

# Versions anyone may read: the published one and the earlier published ones it replaced.
PUBLIC_STATES = (State.PUBLISHED, State.SUPERSEDED)


@dataclass(frozen=True)
class ItemRights:
    read_drafts: bool = False
    edit: bool = False
    coordinate: bool = False


def _with_texts(queryset: QuerySet[Item], field: str = "published") -> QuerySet[Item]:
    return queryset.select_related(field).prefetch_related(
        Prefetch(f"{field}__texts", queryset=Text.objects.order_by("language"))
    )


# Modules (by number) before case studies: ordering by `kind` would put "case" first.
_MODULES_FIRST = Case(When(kind=Kind.MODULE, then=Value(0)), default=Value(1))


def published_items(kind: str | None = None) -> QuerySet[Item]:
    """Every published item (modules by number, then case studies), with its texts."""
    items = Item.objects.filter(published__isnull=False)
    if kind is not None:
        items = items.filter(kind=kind)
    return _with_texts(items).order_by(_MODULES_FIRST, "number", "slug")


def rights_for(user: Any, item: Item) -> ItemRights:
    read, edit = access.learning_item_rights(user, item, authors_of(item))
    coordinate = access.can_coordinate_learning(user)
    return ItemRights(read_drafts=read or coordinate, edit=edit, coordinate=coordinate)


def get_item_for_user(user: Any, slug: str) -> tuple[Item, ItemRights]:
    """The item and what the person may do with it; 404 for a draft they may not read."""
    item = Item.objects.select_related("board", "published", "current").filter(slug=slug).first()
    if item is None or not getattr(user, "is_authenticated", False):
        raise Http404
    rights = rights_for(user, item)
    if item.published_id is None and not rights.read_drafts:
        raise Http404
    return item, rights


def versions_for_user(item: Item, rights: ItemRights) -> QuerySet[Version]:
    """The item's versions the person may read, newest first, with their texts."""
    versions = item.versions.prefetch_related("texts", "comments__author").order_by("-number")
    if not rights.read_drafts:
        versions = versions.filter(state__in=PUBLIC_STATES)
    return versions


def get_version_for_user(item: Item, rights: ItemRights, number: int) -> Version:
    version = versions_for_user(item, rights).filter(number=number).first()
    if version is None:
        raise Http404
    return version


def drafts_for(user: Any) -> QuerySet[Item]:
    """Case studies being written or reviewed that the person may read, latest first."""
    return (
        _with_texts(
            Item.objects.filter(kind=Kind.CASE, current__state__in=WORKING).filter(
                access.learning_drafts_filter(user)
            ),
            "current",
        )
        .select_related("board")
        .distinct()
        .order_by("-current__updated_at")
    )


def to_review(user: Any) -> QuerySet[Item]:
    """Case studies submitted and waiting for a coordinator (none for anyone else)."""
    if not access.can_coordinate_learning(user):
        return Item.objects.none()
    return (
        _with_texts(Item.objects.filter(current__state=State.SUBMITTED), "current")
        .select_related("board")
        .order_by("current__submitted_at")
    )


# --- reading: the library list -----------------------------------------------------------


def library(filters: Mapping[str, str] | None = None) -> QuerySet[Item]:
    """Published items matching the library's filters (LibraryFilterForm's cleaned data).

    Every filter runs in the database, so the list is two queries whatever its length: the
    items with their published versions, then those versions' texts. Characteristic and
    context of use come from the `Tag` rows; board type from the published version's facts
    (so it keeps case studies only: a module has no board); language from its texts.
    """
    filters = filters or {}
    items = Item.objects.filter(published__isnull=False)
    for vocabulary, key in (
        (Tag.Vocabulary.CHARACTERISTIC, "characteristic"),
        (Tag.Vocabulary.CONTEXT, "context"),
    ):
        if filters.get(key):
            items = items.filter(
                Exists(
                    Tag.objects.filter(
                        item=OuterRef("pk"), vocabulary=vocabulary, code=filters[key]
                    )
                )
            )
    if filters.get("board_type"):
        items = items.filter(published__facts__board_type=filters["board_type"])
    if filters.get("language"):
        items = items.filter(
            Exists(Text.objects.filter(version=OuterRef("published"), language=filters["language"]))
        )
    return _with_texts(items).order_by(_MODULES_FIRST, "number", "slug")
