"""Amounts of capacity in words: each kind has its unit (days, hours, visits, sessions, dollars)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.planning.models import CapacityGift

Kind = CapacityGift.Kind


def number_text(amount: Decimal | int | float) -> str:
    """A number as the active language writes it, without trailing zeros (2.5, 3, 1,500)."""
    value = Decimal(str(amount))
    places = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    return formats.number_format(
        value, decimal_pos=min(places, 2), use_l10n=True, force_grouping=True
    )


def amount_text(kind: str, amount: Decimal | int | float) -> str:
    """ "3 release days", "2.5 coaching hours", "$1,500" (in French "1 500 $")."""
    n = number_text(amount)
    plural = 1 if Decimal(str(amount)) == 1 else 2
    if kind == Kind.RELEASE_DAYS:
        return ngettext("%(n)s release day", "%(n)s release days", plural) % {"n": n}
    if kind == Kind.COACHING_HOURS:
        return ngettext("%(n)s coaching hour", "%(n)s coaching hours", plural) % {"n": n}
    if kind == Kind.VISITS:
        return ngettext("%(n)s visit", "%(n)s visits", plural) % {"n": n}
    if kind == Kind.LEARNING_SESSIONS:
        return ngettext(
            "%(n)s professional learning session", "%(n)s professional learning sessions", plural
        ) % {"n": n}
    if kind == Kind.FUNDING:
        return _("$%(n)s") % {"n": n}
    return n
