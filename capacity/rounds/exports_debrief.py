"""A round's debrief as a PDF: the problem of practice, the date and school, the themes with
their notes, the tasks' levels, the prediction and the next level of work.

Like the library's and the plans' PDFs, a WeasyPrint rendering of an HTML template, tagged
PDF/UA-1, with nothing fetched from anywhere (no base URL, no outside fonts or images). It
names no one: notes carry no author, and the visiting team appears as a count of people and
of roles, never as names, because a PDF travels further than the page it came from.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from capacity.directory.models import Membership, Role
from capacity.rounds.language import LEVELS
from capacity.rounds.models import Bloom
from capacity.rounds.selectors_debrief import Debrief, next_steps_by_horizon

PDF_VARIANT = "pdf/ua-1"


def team_roles(debrief: Debrief) -> list[tuple[str, int]]:
    """The visiting team as (role, how many people), the facilitator included: each person by
    the first of their roles in force, by the role's label."""
    visit = debrief.visit
    people = set(visit.members.values_list("person_id", flat=True)) | {visit.facilitator_id}
    first: dict[int, str] = {}
    order = {role: i for i, role in enumerate(Role.values)}
    for person, role in (
        Membership.objects.in_force().filter(user_id__in=people).values_list("user_id", "role")
    ):
        if person not in first or order.get(role, 99) < order.get(first[person], 99):
            first[person] = role
    counts = Counter(str(Role(first[p]).label) if p in first else "—" for p in people)
    return sorted(counts.items(), key=lambda rc: (-rc[1], rc[0]))


def debrief_pdf(debrief: Debrief, *, language: str) -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "rounds/debrief/debrief_pdf.html",
            {
                "debrief": debrief,
                "visit": debrief.visit,
                "language": language,
                "team": team_roles(debrief),
                "team_size": sum(n for _role, n in team_roles(debrief)),
                "levels": _level_rows(debrief),
                "horizons": next_steps_by_horizon(debrief.next_steps),
            },
        )
    pdf = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None  # write_pdf returns bytes when given no target
    return bytes(pdf)


def _level_rows(debrief: Debrief) -> list[tuple[Any, int, int]]:
    return [
        (
            Bloom(code).label,
            debrief.levels[code]["count"],
            round(debrief.levels[code]["share"] * 100),
        )
        for code in LEVELS
    ]
