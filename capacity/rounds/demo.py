"""The demo's rounds, lesson studies and networks' work, at every stage, built through the
services. The parts run in order: networks' work first (their cycles plan visits), then visits
and notes, their debriefs, and lesson studies."""

from __future__ import annotations

from capacity.rounds import demo_debrief, demo_lessons, demo_networks, demo_visits


def build_demo_rounds_work(*, seed: int) -> dict[str, int]:
    """Counts of what was built, by kind ("visits", "notes", "networks"...)."""
    counts: dict[str, int] = {}
    for part in (demo_networks, demo_visits, demo_debrief, demo_lessons):
        counts.update(part.build(seed=seed))
    return counts
