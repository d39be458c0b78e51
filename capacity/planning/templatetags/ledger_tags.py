"""The ledger's template helpers: amounts in their unit, and a request's ledger on its page."""

from __future__ import annotations

from typing import Any

from django import template

from capacity.directory import access
from capacity.planning import selectors_ledger
from capacity.planning.units_ledger import amount_text, number_text

register = template.Library()


@register.filter
def capacity_amount(gift: Any) -> str:
    """An entry's amount in its unit ("3 release days", "$1,500")."""
    return amount_text(gift.kind, gift.amount)


@register.filter
def ledger_number(value: Any) -> str:
    return number_text(value)


@register.inclusion_tag("planning/ledger/_request.html", takes_context=True)
def request_ledger(context: Any, item: Any) -> dict[str, Any]:
    """On a support request's page: its escalation, the capacity given against it, and the
    actions the reader may take (send it on to the ministry, record capacity given)."""
    user = context["request"].user
    school = item.school
    return {
        "item": item,
        "gifts": selectors_ledger.request_gifts(item),
        "may_escalate": access.can_escalate_support(user, item) and item.status == item.Status.OPEN,
        "may_give": access.can_answer_support_request(user, item)
        and access.can_give_capacity(user, board=item.board, school=school),
    }
