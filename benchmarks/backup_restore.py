"""How long `capacity backup` and `capacity restore` take, beside the database engine's own copy.

    CAPACITY_VAR_DIR=/tmp/x .venv/bin/python benchmarks/backup_restore.py
    DATABASE_URL=postgres://postgres@127.0.0.1:55433/capacity CAPACITY_VAR_DIR=/tmp/x \
        .venv/bin/python benchmarks/backup_restore.py

Backs up the installation the environment names (build it first, for example with
`capacity demo`: the full demo province) and restores it into a fresh one, each as a
whole `capacity` process, `--repeat` times. The baselines are measured in the same run
on the same data, as whole processes too:

- SQLite: `python -c` running SQLite's backup API alone into a new file (what the
  backup's database part costs at least), and `cp` of the database file (a restore's
  floor: the bytes written once);
- PostgreSQL: `pg_dump --format=custom` alone, and `pg_restore --no-owner` alone into
  an empty database.

The difference is Capacity's share: starting Django, counting every table,
checksumming every part, the tar file, and on restore unpacking and checking before
loading, then counting again and applying migrations. Prints the machine, the data
(tables, rows, database and stored files' sizes) and median seconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capacity.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from capacity.backup import (  # noqa: E402
    Installation,
    make_backup,
    read_manifest,
    restore_backup,
    size_text,
)
from capacity.backup.postgresql import find_postgresql_tool, postgresql_environment  # noqa: E402

CAPACITY = str(Path(sys.executable).parent / "capacity")


def timed(
    run: Callable[[], object], repeat: int, before: Callable[[], object] | None = None
) -> float:
    """Median seconds of `repeat` runs (`before` runs untimed ahead of each)."""
    times = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def check(command: list[str], env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("/tmp/capacity-bench-backup"))
    args = parser.parse_args()
    source = Installation.configured()
    vendor = source.vendor
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    backup = args.out / "capacity.tar"
    target_dir = args.out / "target"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}

    print(
        f"machine: {platform.node()}, {os.cpu_count()} cores, {platform.processor() or platform.machine()}"
    )
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"database: {vendor} ({source.describe()}); stored files: {source.media_root}")

    backup_seconds = timed(
        lambda: check([CAPACITY, "backup", str(backup), "--overwrite"], env), args.repeat
    )
    manifest = read_manifest(backup)
    print(
        f"data: {len(manifest.tables)} tables, {manifest.rows:,} rows, database "
        f"{size_text(manifest.database_size)}, {len(manifest.files)} stored files "
        f"({size_text(manifest.files_size)}); backup file {size_text(backup.stat().st_size)}"
    )

    target_env = dict(env, CAPACITY_VAR_DIR=str(target_dir))
    if vendor == "sqlite":
        database = Path(settings.DATABASES["default"]["NAME"])
        copy = args.out / "engine-copy.sqlite3"
        engine_backup = timed(
            lambda: check(
                [
                    sys.executable,
                    "-c",
                    "import sqlite3, sys; s = sqlite3.connect(sys.argv[1]); "
                    "d = sqlite3.connect(sys.argv[2]); s.backup(d); d.close()",
                    str(database),
                    str(copy),
                ]
            ),
            args.repeat,
            before=lambda: copy.unlink(missing_ok=True),
        )
        engine_label = "SQLite's backup API alone"
        floor = timed(lambda: check(["cp", str(copy), str(args.out / "cp.sqlite3")]), args.repeat)
        floor_label = "cp of the database file"

        def fresh_target() -> None:
            shutil.rmtree(target_dir, ignore_errors=True)
            target_dir.mkdir()

    else:
        database_settings = dict(connection.settings_dict)
        scratch = f"{database_settings['NAME']}_bench_restore"
        user = quote(database_settings.get("USER") or "", safe="")
        if database_settings.get("PASSWORD"):
            user += ":" + quote(database_settings["PASSWORD"], safe="")
        host = database_settings.get("HOST") or "localhost"
        target_env["DATABASE_URL"] = (
            f"postgres://{user}@{host}:{database_settings.get('PORT') or 5432}/{scratch}"
        )
        tool_env = postgresql_environment(database_settings)
        server = connection.pg_version // 10000  # type: ignore[attr-defined]
        pg_dump = find_postgresql_tool("pg_dump", at_least=server, needed_for="", env=tool_env)
        pg_restore = find_postgresql_tool(
            "pg_restore", at_least=server, needed_for="", env=tool_env
        )
        dump = args.out / "engine.pgdump"
        engine_backup = timed(
            lambda: check([pg_dump.path, "--format=custom", f"--file={dump}"], tool_env),
            args.repeat,
        )
        engine_label = "pg_dump --format=custom alone"

        def fresh_target() -> None:
            shutil.rmtree(target_dir, ignore_errors=True)
            target_dir.mkdir()
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
                cursor.execute(f'CREATE DATABASE "{scratch}"')

        floor = timed(
            lambda: check(
                [
                    pg_restore.path,
                    "--no-owner",
                    "--no-privileges",
                    f"--dbname={scratch}",
                    str(dump),
                ],
                tool_env,
            ),
            args.repeat,
            before=fresh_target,
        )
        floor_label = "pg_restore --no-owner alone into an empty database"

    restore_seconds = timed(
        lambda: check([CAPACITY, "restore", str(backup)], target_env),
        args.repeat,
        before=fresh_target,
    )
    # The commands' own work, in this process (no start-up): what the data costs.
    inside = args.out / "inside.tar"
    backup_inside = timed(lambda: make_backup(inside, overwrite=True), args.repeat)
    target = Installation(
        database=(
            {"ENGINE": "django.db.backends.sqlite3", "NAME": str(target_dir / "capacity.sqlite3")}
            if vendor == "sqlite"
            else dict(connection.settings_dict, NAME=scratch)
        ),
        media_root=target_dir / "media",
    )
    restore_inside = timed(
        lambda: restore_backup(inside, installation=target), args.repeat, before=fresh_target
    )
    startup = timed(
        lambda: check(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); import capacity.cli; "
                "from django.db.migrations.loader import MigrationLoader; MigrationLoader(None)",
            ],
            env,
        ),
        args.repeat,
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\nmedian of {args.repeat} runs:")
    rows = [
        ("capacity backup, whole process", backup_seconds),
        ("  its work in-process (make_backup)", backup_inside),
        (engine_label, engine_backup),
        ("capacity restore, whole process", restore_seconds),
        ("  its work in-process (restore_backup)", restore_inside),
        (floor_label, floor),
        ("start-up: Django, the commands, the migrations", startup),
    ]
    for label, seconds in rows:
        print(f"  {label:<50} {seconds:7.2f} s")
    print(
        f"  backup's work / engine's copy: {backup_inside / engine_backup:.1f} x; "
        f"restore's work / floor: {restore_inside / floor:.1f} x"
    )
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


if __name__ == "__main__":
    main()
