"""Find an organisation from the way people write it: ON, B28010, 019186 or a network's name."""

from __future__ import annotations

from capacity.directory.models import ROLE_LEVEL, Board, Network, Province, School


def find_organisation(*, role: str, reference: str) -> Province | Board | School | Network | None:
    """The organisation at the level `role` is held, named by `reference`, or None."""
    reference = reference.strip()
    level = ROLE_LEVEL.get(role)
    if level == "province":
        return Province.objects.filter(code__iexact=reference).first()
    if level == "board":
        return Board.objects.filter(number__iexact=reference).first()
    if level == "school":
        return School.objects.filter(number=reference).first()
    if level == "network":
        return Network.objects.filter(name__iexact=reference).first()
    return None
