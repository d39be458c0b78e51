"""What loading an instrument did: the outcome codes and their words.

Apart from the services so that the audit log's words can be registered at start-up
without importing the services (which reach planning's selectors and, through them,
pandas and Ibis).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

CREATED = "created"
UNCHANGED = "unchanged"
WORDING = "wording"
VERSION = "version"

OUTCOMES = (
    (CREATED, gettext_lazy("a new instrument")),
    (WORDING, gettext_lazy("another wording of the same structure")),
    (VERSION, gettext_lazy("a new version")),
)
