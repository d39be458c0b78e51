"""Network suggestions on Ontario's published tables: how many, and how long.

Imports the 2017-18 and 2018-19 school information tables (schools, contexts and the six
Grade 3 and 6 results, as `capacity import` does) into a fresh SQLite database under a new
temporary CAPACITY_VAR_DIR, then times, for 2018-19:

* reading the evidence a run reads (`services_networks.suggestion_evidence`: the gated results,
  the province's figures, the context model two years running, the context z-scores), cold;
* grouping it (`suggest.suggest_networks`, pure), `--repeat` times, and checks the answers agree.

    .venv/bin/python benchmarks/rounds_networks.py [--repeat 3] [--data ../shared/data/ontario-sif]

docs/rounds.md ("Learning networks") keeps the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FILES = ("sif_data_table_2017_2018_en.xlsx", "sif_data_table_2018_2019_en.xlsx")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--data",
        default=str(Path(__file__).resolve().parents[2] / "shared" / "data" / "ontario-sif"),
    )
    args = parser.parse_args(argv)
    data = Path(args.data)
    if not data.exists():
        data = Path("/work/shared/data/ontario-sif")
    os.environ["CAPACITY_VAR_DIR"] = tempfile.mkdtemp(prefix="capacity-networks-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capacity.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from capacity.directory.importers import import_sif
    from capacity.evidence.importers.results import import_results
    from capacity.rounds import services_networks, suggest

    started = time.perf_counter()
    for name in FILES:
        assert import_sif(data / name).applied
    assert import_results([(None, data / name) for name in FILES]).applied
    print(f"imported in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    evidence = services_networks.suggestion_evidence(year="2018-19")
    print(f"evidence read (cold) in {time.perf_counter() - started:.1f} s")
    runs = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        run = suggest.suggest_networks(evidence.schools, evidence.province, year="2018-19")
        runs.append((time.perf_counter() - started, run))
    first = runs[0][1]
    assert all(run == first for _seconds, run in runs), "the same data gave other groups"
    sizes = [len(s.schools) for s in first.suggestions]
    boards = sum(1 for s in first.suggestions if s.explanation["boards"] >= 2)
    print(
        f"2018-19: {first.schools} schools, {first.candidates} with needs, {first.examples} beat "
        f"the odds two years running; {len(first.suggestions)} suggestions of {min(sizes)} to "
        f"{max(sizes)} schools ({boards} across boards), {first.without_example} seeds without "
        f"an example near enough"
    )
    print("grouped in " + ", ".join(f"{seconds:.2f} s" for seconds, _run in runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
