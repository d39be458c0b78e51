"""The demo's gaps against the other students, gap trends, the context gap and cohorts.

The gaps only read: the demo's results already carry girls, boys, English language learners and
students receiving special education, with counts, for the three latest years with tests (see
capacity/evidence/demo.py), which is what a comparison with the other students needs. This step
writes nothing; it counts, through the same analytics and the same disclosure gate as the pages,
how many comparisons and cohorts the demo shows, so `capacity demo` reports them and a demo whose
results lost their counts is noticed.

The count runs on a copy of the results in DuckDB: on SQLite the province-wide comparison (a
self-join of every result with its school's "all" row) took minutes, which made `make run`'s first
start wait; the pages ask for one school or board at a time, which SQLite answers quickly.
"""

from __future__ import annotations

from capacity.evidence.analytics import cohorts, engines, gaps
from capacity.evidence.data import app_tables
from capacity.evidence.privacy import rule, shown_results


def build(*, seed: int) -> dict[str, int]:
    """Counts of the demo's comparisons with the other students and of its cohorts (seed unused:
    nothing is drawn)."""
    copy = engines.load_table(
        engines.connect("duckdb"), "results", app_tables().results.to_pyarrow()
    )
    shown = shown_results(copy).drop("suppressed", "suppression_reason")
    others = gaps.gaps_against_others(shown, minimum=rule().minimum_group)
    compared = others.filter(others.why_not == "").count().to_pyarrow().as_py()
    pairs = cohorts.cohorts(shown).count().to_pyarrow().as_py()
    return {"gaps against the other students": int(compared), "cohorts": int(pairs)}
