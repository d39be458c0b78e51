"""The test tree mirrors the code tree, and there are enough tests for the code.

Two checks that keep the house in order (issue 8, docs/architecture.md "Tests"):

* every non-trivial views, services, selectors, api or cli module of `capacity/`
  has its own test module, `tests/<app>/test_<module>.py` (or `test_<module>_<aspect>.py`),
  or a line in `ELSEWHERE` saying where its tests are and why;
* the tests hold at least `MIN_RATIO` of the code's non-blank lines (migrations aside).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = ROOT / "capacity"
TESTS = ROOT / "tests"

MIN_RATIO = 0.7
# The kinds of module whose tests must mirror them, and the size from which they must.
KINDS = ("views", "services", "selectors", "api", "cli")
NON_TRIVIAL = 80

# Modules tested somewhere other than their mirror: module -> (test modules, why).
ELSEWHERE: dict[str, tuple[tuple[str, ...], str]] = {
    "capacity/cli_backup.py": (
        ("tests/test_backup.py",),
        "the commands are run as a user runs them (real `capacity backup` and `capacity restore` "
        "processes) beside the backup package's own tests",
    ),
    "capacity/directory/views.py": (
        ("tests/directory/test_pages.py",),
        "the pages are tested as people use them, and each URL for every persona in "
        "tests/test_authorization.py",
    ),
    "capacity/evidence/views.py": (
        (
            "tests/evidence/test_pages.py",
            "tests/evidence/test_simulator_page.py",
            "tests/evidence/test_uploads.py",
        ),
        "the pages are tested as people use them, and each URL for every persona in "
        "tests/test_authorization.py",
    ),
    "capacity/notifications/services.py": (
        (
            "tests/notifications/test_events.py",
            "tests/notifications/test_inbox.py",
            "tests/notifications/test_remind.py",
        ),
        "a notice is tested by the event that raises it (planning's services), the inbox that "
        "reads it and the daily reminder run, the three ways into the module",
    ),
    "capacity/planning/views.py": (
        (
            "tests/planning/test_pages.py",
            "tests/planning/test_item_views.py",
            "tests/planning/test_timelines.py",
        ),
        "the pages are tested as people use them, page by page, and each URL for every persona "
        "in tests/test_authorization.py",
    ),
    "capacity/planning/cli.py": (
        ("tests/planning/test_exports.py",),
        "its one command, `capacity plans export`, is the exports' front door and is tested "
        "with them (the command line section)",
    ),
}


def non_blank_lines(path: Path) -> int:
    with path.open(encoding="utf-8") as lines:
        return sum(1 for line in lines if line.strip())


def python_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.py") if "migrations" not in p.relative_to(root).parts]


def is_mirrored_kind(module: Path) -> bool:
    return any(module.stem == kind or module.stem.startswith(f"{kind}_") for kind in KINDS)


def mirrors(module: Path) -> list[Path]:
    """The test modules named after `module`: tests/<app>/test_<module>.py and test_<module>_*.py."""
    folder = TESTS / module.parent.relative_to(CODE)
    found = [*folder.glob(f"test_{module.stem}.py"), *folder.glob(f"test_{module.stem}_*.py")]
    # test_views_gaps.py mirrors views_gaps.py when that module exists, not views.py.
    return sorted(
        t
        for t in found
        if t.stem == f"test_{module.stem}"
        or not (module.parent / f"{t.stem.removeprefix('test_')}.py").exists()
    )


def unmirrored() -> list[str]:
    """Non-trivial modules of the mirrored kinds with neither a mirror nor a line in ELSEWHERE."""
    missing = []
    for module in sorted(python_files(CODE)):
        name = module.relative_to(ROOT).as_posix()
        if not is_mirrored_kind(module) or non_blank_lines(module) <= NON_TRIVIAL:
            continue
        if not mirrors(module) and name not in ELSEWHERE:
            missing.append(name)
    return missing


def test_every_non_trivial_view_service_selector_api_and_cli_module_has_its_tests() -> None:
    missing = unmirrored()
    assert not missing, (
        "no tests/<app>/test_<module>.py for: "
        + ", ".join(missing)
        + " (write one, or add the module to ELSEWHERE in tests/test_layout.py saying where and why)"
    )


def test_the_exceptions_name_modules_and_tests_that_exist() -> None:
    for module, (tests, reason) in ELSEWHERE.items():
        assert (ROOT / module).exists(), f"ELSEWHERE names {module}, which is gone"
        assert not mirrors(ROOT / module), f"{module} has its own tests now: drop it from ELSEWHERE"
        assert reason, module
        for test in tests:
            assert (ROOT / test).exists(), f"ELSEWHERE says {module} is tested in {test}"


def test_the_tests_hold_at_least_seven_tenths_of_the_codes_lines() -> None:
    code = sum(non_blank_lines(p) for p in python_files(CODE))
    tests = sum(non_blank_lines(p) for p in python_files(TESTS))
    assert code, "no code found"
    assert tests / code >= MIN_RATIO, (
        f"tests/ has {tests} non-blank lines for {code} in capacity/ (migrations aside): "
        f"{tests / code:.2f}, under {MIN_RATIO}"
    )
