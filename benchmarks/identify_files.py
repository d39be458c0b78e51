"""`capacity identify --results FILE` as a whole process, beside hand-written DuckDB SQL over the same file.

    .venv/bin/python benchmarks/identify_files.py                 # 6,000,000 rows (100,000 schools x 10 years x 6)
    .venv/bin/python benchmarks/identify_files.py --groups        # x10: 60,000,000 rows (nine more groups)
    .venv/bin/python benchmarks/identify_files.py --quick         # 300,000 rows, a smoke run
    .venv/bin/python benchmarks/identify_files.py --spark         # also `--engine spark`, answers compared

The data is evidence_scale.py's national Parquet file (generated once into --out
and reused). Each way runs as a fresh process, timed from its start to its exit,
so imports, reading, checking and the rule all count:

- **capacity**: `capacity identify --results FILE --format csv` (every row read
  and checked in DuckDB, then the ofip-2016 rule with its reasons);
- **hand**: a Python process that imports duckdb and runs `identification_sql`
  (benchmarks/identification_sql.py: the same rule, written by hand, no checks)
  over `read_parquet(FILE)` for the same year, writing the statuses as CSV;
- with `--spark`: `capacity identify --results FILE --engine spark --format csv`.

Runs are interleaved (capacity, hand, then the other order) `--repeat` times, and
the medians compared: targets (issue 14) capacity <= 3 s at 6 million rows and
<= 1.5 x hand at 60 million. The identified schools of every way must agree.
Printed: the machine, the load average before and after, the data, each run.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from evidence_scale import ensure_data, machine  # noqa: E402

PYTHON = sys.executable
CAPACITY = str(Path(sys.executable).with_name("capacity"))

HAND = """
import sys, duckdb
con = duckdb.connect()
path = sys.argv[1].replace("'", "''")
con.execute(f"CREATE VIEW results AS SELECT * FROM read_parquet('{path}')")
con.sql(open(sys.argv[2]).read()).write_csv(sys.argv[3])
"""


def timed(command: list[str], out: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run `command` with standard output to `out`; its wall time and peak memory (this child alone)."""
    started = time.perf_counter()
    with out.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE, env=env)
        _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[:3]} failed ({status}):\n{stderr[-2000:]}")
    return {
        "seconds": seconds,
        "peak_mib": usage.ru_maxrss / 1024,
        "cpu": usage.ru_utime + usage.ru_stime,
        # `--engine spark` says on standard error how many tasks Spark ran.
        "spark": next(
            (line.strip() for line in stderr.splitlines() if line.startswith("Spark ran ")), ""
        ),
    }


def identified_in(path: Path, *, column: str = "status") -> set[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["school_number"] for row in csv.DictReader(handle) if row[column] == "identified"
        }


def latest_year(results: Path) -> str:
    import duckdb

    return str(
        duckdb.sql(
            "SELECT max(school_year) FROM read_parquet(?) WHERE \"group\" = 'all'",
            params=[str(results)],
        ).fetchone()[0]  # type: ignore[index]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument(
        "--groups", action="store_true", help="ten times the rows: nine student groups"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default="/tmp/capacity-bench")
    parser.add_argument("--quick", action="store_true", help="5,000 schools, for a smoke run")
    parser.add_argument("--spark", action="store_true", help="also run --engine spark")
    args = parser.parse_args(argv)
    if args.quick:
        args.schools = 5_000
    directory = Path(args.out) / f"data-{args.schools}-{args.years}-{int(args.groups)}-{args.seed}"
    manifest, generated = ensure_data(
        directory, schools=args.schools, years=args.years, groups=args.groups, seed=args.seed
    )
    results = directory / "results.parquet"
    rows = manifest.get("result_rows") or manifest.get("rows")

    from identification_sql import identification_sql

    from capacity.evidence.analytics.policy import load_policy

    year = latest_year(results)
    work = Path(tempfile.mkdtemp(prefix="capacity-identify-bench-"))
    sql_file = work / "hand.sql"
    sql_file.write_text(identification_sql("results", load_policy("ofip-2016"), year))
    env = {**os.environ, "CAPACITY_VAR_DIR": str(work / "var")}

    ways: dict[str, list[str]] = {
        "capacity": [
            CAPACITY,
            "identify",
            "--results",
            str(results),
            "--year",
            year,
            "--format",
            "csv",
        ],
        "hand": [PYTHON, "-c", HAND, str(results), str(sql_file), str(work / "hand.csv")],
    }
    if args.spark:
        ways["spark"] = [*ways["capacity"], "--engine", "spark"]
    print(f"machine: {machine()}")
    print(
        f"data: {results} ({results.stat().st_size / 2**20:.1f} MiB), {rows} rows, year {year}"
        + (f", generated in {generated:.1f} s" if generated else "")
    )
    print(f"load before: {os.getloadavg()}")
    runs: dict[str, list[dict[str, Any]]] = {way: [] for way in ways}
    outputs: dict[str, Path] = {}
    names = list(ways)
    for repeat in range(args.repeat):
        order = names if repeat % 2 == 0 else list(reversed(names))
        for way in order:
            out = work / f"{way}.stdout"
            run = timed(ways[way], out, env)
            runs[way].append(run)
            outputs[way] = work / "hand.csv" if way == "hand" else out
            print(
                f"  {way:9} run {repeat + 1}: {run['seconds']:7.2f} s  cpu {run['cpu']:6.2f} s  "
                f"peak {run['peak_mib']:7.0f} MiB  {run['spark']}".rstrip(),
                flush=True,
            )
    print(f"load after: {os.getloadavg()}")

    def median(way: str) -> float:
        values = sorted(run["seconds"] for run in runs[way])
        return values[len(values) // 2]

    found = {way: identified_in(path) for way, path in outputs.items()}
    agree = all(found[way] == found["hand"] for way in found)
    print(
        f"identified schools: {', '.join(f'{way} {len(found[way])}' for way in found)}; "
        f"{'the same schools' if agree else 'DIFFERENT SCHOOLS'}"
    )
    ratio = median("capacity") / median("hand")
    print(
        f"median: capacity {median('capacity'):.2f} s, hand SQL {median('hand'):.2f} s, ratio {ratio:.2f}"
        + (f", spark {median('spark'):.2f} s" if "spark" in runs else "")
    )
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
