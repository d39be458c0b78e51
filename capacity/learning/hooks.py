"""What runs when an item's published version changes, kept apart from the services.

The app registers the search indexer here at start-up (capacity/learning/apps.py);
`services` calls every callback after a publication. A module of its own, so
start-up does not import the services (and the instruments' definitions they read)
just to register a callback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from capacity.learning.models import Item

# Called with each item whose published version changed (search registers its indexer here).
ON_PUBLISH: list[Callable[[Item], None]] = []


def on_publish(callback: Callable[[Item], None]) -> None:
    """Run `callback(item)` whenever an item's published version changes (once per callback)."""
    if callback not in ON_PUBLISH:
        ON_PUBLISH.append(callback)


def index_item(item: Item) -> None:
    """The search index follows the item's published version (search is imported when first needed)."""
    from capacity.learning.search import index_item as index

    index(item)
