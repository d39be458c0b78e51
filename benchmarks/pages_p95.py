"""Page response times on the demo province: cold (first request) and warm p50 / p95 / max.

    .venv/bin/python benchmarks/pages_p95.py
    DATABASE_URL=postgres://postgres@127.0.0.1:55433/capacity .venv/bin/python benchmarks/pages_p95.py

Builds the demo province (capacity.directory.demo.build_demo with DemoOptions()
defaults, then capacity.evidence.demo.build_demo_results and the demo's plans)
into a fresh database: SQLite under a new temporary CAPACITY_VAR_DIR, or, when
DATABASE_URL is a postgres URL, a new database created beside the one it names
(dropped afterwards; the named database is not touched). The cache (Django's
file cache under CAPACITY_VAR_DIR) starts empty. Then, as the worker does after
an import or the demo build, `warm_analyses` computes the evidence pages'
analyses ahead (`--no-warming` skips it: the first visits then compute them),
and the process forgets its own memory of them, as a web process would have none.

Then, with django.test.Client signed in as the demo "ministry" user, in one
process and in this order:

1. the home page /, then the plans dashboard /plans/;
2. the province overview /evidence/;
3. the board evidence page /boards/<number>/evidence/ of 5 boards;
4. the school evidence page /schools/<number>/evidence/ of `--schools` (20)
   elementary schools spread over the school numbers;
5. the school list /schools/?q=saint.

For each page the first request (cold: nothing computed for it in this
process) is timed separately; then `--warm` (50) requests each are timed (for
the board and school pages, 50 per page, round-robin). The last column compares
the cold requests' median with the warm median (issue 9's target: at most 2).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def machine() -> dict[str, Any]:
    model = ""
    ram = 0
    try:
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
        ram = next(
            int(line.split()[1]) * 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
    except (OSError, StopIteration):
        pass
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "ram_gib": round(ram / 2**30, 1),
    }


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100), linear between closest ranks (numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def stats(values: list[float]) -> dict[str, Any]:
    return {
        "n": len(values),
        "p50_ms": percentile(values, 50) * 1000,
        "p95_ms": percentile(values, 95) * 1000,
        "max_ms": max(values) * 1000,
        "mean_ms": statistics.fmean(values) * 1000,
    }


def fresh_postgres(url: str) -> tuple[str, str]:
    """Create an empty database next to the one `url` names; return (its url, its name)."""
    import psycopg

    name = f"capacity_pages_p95_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}")), name


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(
    workers: int, *, background: bool = False, log: IO[bytes] | None = None
) -> Iterator[int]:
    """`capacity serve --workers N` on a free port of 127.0.0.1, once it answers; stopped on exit.

    The load benchmarks (load.py, survey_submit.py) measure against it, without the
    background worker; soak.py asks for the worker (`background`) and keeps the server's
    output and errors in `log` (otherwise its output is dropped and its errors are ours)."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command
        [
            str(Path(sys.executable).parent / "capacity"),
            "serve",
            "--no-demo",
            "--background" if background else "--no-background",
            "--workers",
            str(workers),
            "--port",
            str(port),
        ],
        env=os.environ | {"ALLOWED_HOSTS": "127.0.0.1"},
        stdout=log if log is not None else subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log is not None else None,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("The server did not start.") from None
                time.sleep(0.5)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warm", type=int, default=50, help="warm requests per page (default 50)")
    parser.add_argument(
        "--schools", type=int, default=20, help="school evidence pages (default 20)"
    )
    parser.add_argument("--json", default="", help="also write the figures to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary var dir / database")
    parser.add_argument(
        "--no-warming",
        action="store_true",
        help="do not compute the analyses ahead (the first visits then compute them)",
    )
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    # A new directory, inside CAPACITY_VAR_DIR when that is set (so the caller's choice of place holds).
    parent = os.environ.get("CAPACITY_VAR_DIR")
    if parent:
        Path(parent).mkdir(parents=True, exist_ok=True)
    var_dir = Path(tempfile.mkdtemp(prefix="capacity-pages-", dir=parent or None))
    os.environ["CAPACITY_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capacity.settings")
    os.environ["ALLOWED_HOSTS"] = ",".join(
        dict.fromkeys(
            [
                *filter(None, os.environ.get("ALLOWED_HOSTS", "").split(",")),
                "testserver",
                "localhost",
            ]
        )
    )
    server_url = os.environ.get("DATABASE_URL", "")
    postgres_db = ""
    if server_url.startswith(("postgres://", "postgresql://")):
        os.environ["DATABASE_URL"], postgres_db = fresh_postgres(server_url)
    else:
        os.environ.pop("DATABASE_URL", None)  # SQLite in the fresh var dir
    sys.path.insert(0, str(ROOT))

    try:
        return run(args, var_dir=var_dir, load_before=load_before, postgres_db=postgres_db)
    finally:
        from django.db import connections

        connections.close_all()
        if postgres_db and not args.keep:
            drop_postgres(server_url, postgres_db)
        if args.keep:
            print(f"Kept {var_dir}" + (f" and database {postgres_db}" if postgres_db else ""))
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def run(
    args: argparse.Namespace, *, var_dir: Path, load_before: tuple[float, ...], postgres_db: str
) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from capacity.directory.demo import DemoOptions, build_demo
    from capacity.directory.models import School
    from capacity.evidence.demo import build_demo_results
    from capacity.evidence.models import Result

    setup_test_environment()  # the test client's response hooks; adds testserver to ALLOWED_HOSTS
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    options = DemoOptions()
    demo = build_demo(options)
    built = time.perf_counter()
    result_rows = build_demo_results(seed=options.seed, years=options.years)
    from capacity.planning.demo import build_demo_plans

    build_demo_plans(seed=options.seed)
    loaded = time.perf_counter()
    warm_seconds = None
    if not args.no_warming:
        # What the worker does after an import or the demo build; then forget this
        # process's memory of it, as a web process that did not compute it has none.
        from capacity.evidence.selectors import forget_cached
        from capacity.evidence.warming import warm_analyses

        warm_seconds = warm_analyses().seconds
        forget_cached()
        print(f"Analyses computed ahead (warm_analyses) in {warm_seconds:.1f} s", flush=True)
    database = f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}"
    print(f"Database: {database.strip()} ({postgres_db or settings.DATABASES['default']['NAME']})")
    print(
        f"Demo province: {demo.boards} boards, {demo.schools} schools, {demo.contexts} context rows, "
        f"{result_rows:,} results (migrate {migrated - started:.1f} s, directory {built - migrated:.1f} s, "
        f"results {loaded - built:.1f} s)",
        flush=True,
    )

    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="ministry"))
    with_results = set(Result.objects.values_list("school__number", flat=True).distinct())
    elementary = [
        n
        for n in School.objects.filter(level=School.Level.ELEMENTARY)
        .order_by("number")
        .values_list("number", flat=True)
        if n in with_results
    ]
    step = max(1, len(elementary) // args.schools)
    schools = elementary[::step][: args.schools]

    def get(url: str) -> float:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        return elapsed

    # A web process that has served anyone has its templates compiled and its translations
    # loaded: one untimed request to a page that computes nothing, so that the first timed
    # page's cold figure is its own.
    get("/account/tokens/")
    pages: dict[str, dict[str, Any]] = {}
    load_during: list[float] = []

    def measure(name: str, urls: list[str]) -> None:
        load_during.append(os.getloadavg()[0])
        cold = [get(url) for url in urls]
        warm = [get(url) for _ in range(args.warm) for url in urls]
        pages[name] = {
            "urls": urls if len(urls) <= 3 else [urls[0], "...", urls[-1]],
            "cold_s": cold,
            "cold": stats(cold),
            "warm": stats(warm),
            "warm_s": warm,
        }
        print(
            f"  {name}: cold {cold[0] * 1000:.0f} ms, warm p95 {pages[name]['warm']['p95_ms']:.0f} ms",
            flush=True,
        )

    from capacity.directory.models import Board

    boards = list(Board.objects.order_by("number").values_list("number", flat=True))
    measure("home /", ["/"])
    measure("plans dashboard /plans/", ["/plans/"])
    measure("province overview /evidence/", ["/evidence/"])
    measure(
        f"board evidence /boards/<number>/evidence/ ({min(5, len(boards))} boards)",
        [f"/boards/{n}/evidence/" for n in boards[:: max(1, len(boards) // 5)][:5]],
    )
    measure(
        f"school evidence /schools/<number>/evidence/ ({len(schools)} schools)",
        [f"/schools/{n}/evidence/" for n in schools],
    )
    measure("school list /schools/?q=saint", ["/schools/?q=saint"])
    load_after = os.getloadavg()

    m = machine()
    print()
    print(
        f"Machine: {m['platform']}, Python {m['python']}, {m['cpu_count']} CPUs ({m['cpu_model']}), "
        f"{m['ram_gib']} GiB RAM"
    )
    print(
        f"Load average (1, 5, 15 min): before {tuple(round(x, 2) for x in load_before)}, "
        f"after {tuple(round(x, 2) for x in load_after)}"
    )
    print(
        f"Warm requests: {args.warm} per page (per school for the school pages), one process, Django "
        f"test client, DEBUG={settings.DEBUG}, cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
    )
    print()
    header = (
        f"{'page':<58} {'cold (first)':>12} {'p50':>8} {'p95':>8} {'max':>8}"
        f" {'cold p50 / warm p50':>20}"
    )
    print(header)
    print("-" * len(header))
    for name, page in pages.items():
        cold = page["cold_s"]
        ratio = page["cold"]["p50_ms"] / page["warm"]["p50_ms"]
        page["cold_over_warm"] = ratio
        verdict = "met" if ratio <= 2 else "missed"
        print(
            f"{name:<58} {cold[0] * 1000:>9.0f} ms {page['warm']['p50_ms']:>5.0f} ms "
            f"{page['warm']['p95_ms']:>5.0f} ms {page['warm']['max_ms']:>5.0f} ms"
            f" {ratio:>8.2f} (<= 2: {verdict})"
        )
        if len(cold) > 1:
            rest = stats(cold[1:])
            print(
                f"{'  cold, the other ' + str(len(cold) - 1) + ' schools (p50 / p95 / max)':<58} {'':>12} "
                f"{rest['p50_ms']:>5.0f} ms {rest['p95_ms']:>5.0f} ms {rest['max_ms']:>5.0f} ms"
            )
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps(
                {
                    "machine": m,
                    "load": {
                        "before": load_before,
                        "after": load_after,
                        "during_1min": load_during,
                    },
                    "database": database.strip(),
                    "demo": {
                        "boards": demo.boards,
                        "schools": demo.schools,
                        "contexts": demo.contexts,
                        "results": result_rows,
                    },
                    "warm_analyses_seconds": warm_seconds,
                    "setup_seconds": {
                        "migrate": migrated - started,
                        "directory": built - migrated,
                        "results": loaded - built,
                    },
                    "warm_per_page": args.warm,
                    "pages": pages,
                },
                indent=2,
            )
        )
        print(f"\nWritten: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
