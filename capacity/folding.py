"""Text folded for matching: lower case, without accents (no Django, used by every app).

Search (learning) and the debrief's grouping (rounds) compare words typed with or
without accents, so both fold them here, the same way.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: "Évaluation" -> "evaluation", "cœur" -> "coeur"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.replace("œ", "oe").replace("æ", "ae")
