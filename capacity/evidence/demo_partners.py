"""The demo's schools that beat the odds over several years, and partners for identified schools.

Nothing is stored: the lists and the partners are computed from the demo's results and contexts
(which give each school an effect of its own, so some beat the odds year after year). This step
computes them once after the whole demo is built, so the first visit to a list or a partners page
is quick, and reports how many there are; `principal.focus`'s identified school has partners
(tests/evidence/test_demo_partners.py).
"""

from __future__ import annotations

from capacity.evidence import selectors_partners


def build(*, seed: int) -> dict[str, int]:
    year = selectors_partners.latest_year()
    if year is None:
        return {}
    stable = selectors_partners.province_stable(year)
    partners = selectors_partners.province_partners(year)
    return {
        "schools beating the odds over several years": len(stable),
        "identified schools with partner suggestions": sum(
            1 for answer in partners.values() if answer.partners
        ),
    }
