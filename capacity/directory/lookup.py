"""Find an organisation from the way people write it: ON, B28010, 019186 or a network's name."""

from __future__ import annotations

from capacity.directory.models import ROLE_LEVEL, Board, Network, Province, School
from capacity.imports.patterns import clean_school_number, school_number_forms


def find_organisation(*, role: str, reference: str) -> Province | Board | School | Network | None:
    """The organisation at the level `role` is held, named by `reference`, or None."""
    reference = reference.strip()
    level = ROLE_LEVEL.get(role)
    if level == "province":
        return Province.objects.filter(code__iexact=reference).first()
    if level == "board":
        return Board.objects.filter(number__iexact=reference).first()
    if level == "school":
        # 19186 finds 019186, and a school stored without its leading zero is found by either.
        number = clean_school_number(reference)
        found = list(School.objects.filter(number__in=school_number_forms(number)))
        return next((s for s in found if s.number == number), found[0] if found else None)
    if level == "network":
        return Network.objects.filter(name__iexact=reference).first()
    return None
