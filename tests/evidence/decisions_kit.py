"""Helpers for tests that go through identification's confirmation step (issue 13)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from capacity.evidence import services_decisions
from capacity.evidence.models import IdentificationProposal, ProposedChange

HEADER = "school_number,school_year,assessment,participating,pct_at_standard\n"
SIX = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")
IDENTIFIED = [40, 42, 30, 45, 48, 44]  # under 50% on five of six assessments (ofip-2016)
STRONG = [81, 76, 72, 84, 80, 66]


def results_file(path: Path, rows: dict[tuple[str, str], list[float]]) -> Path:
    lines = [HEADER]
    for (school, year), values in rows.items():
        lines += [
            f"{school},{year},{code},40,{value}\n" for code, value in zip(SIX, values, strict=True)
        ]
    path.write_text("".join(lines))
    return path


def open_proposal() -> IdentificationProposal:
    return IdentificationProposal.objects.get(state=IdentificationProposal.State.OPEN)


def confirm_everything(world: Any) -> list[Any]:
    """A ministry officer confirms every change waiting in the open proposals."""
    done: list[Any] = []
    for proposal in IdentificationProposal.objects.filter(state="open"):
        pending = ProposedChange.objects.filter(proposal=proposal, state="pending")
        if pending:
            done += services_decisions.decisions_confirm_all(
                proposal=proposal,
                user=world.personas["ministry"],
                seen={c.pk: c.version for c in pending},
            )
    return done
