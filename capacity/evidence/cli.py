"""The evidence part of the `capacity` command: `identify` and `import results`.

capacity/cli.py calls `register(groups)` as it does for every app. The command modules import
Django only inside their functions, so `capacity --help` stays fast.
"""

from __future__ import annotations

from capacity.cli_common import CommandGroups


def register(groups: CommandGroups) -> None:
    """Put `identify` on `capacity`, and `results` and `student-results` under `capacity import`."""
    from capacity.evidence.cli_identify import identify
    from capacity.evidence.cli_results import import_results
    from capacity.evidence.cli_students import import_student_results

    groups.root.command("identify")(identify)
    groups.imports.command("results")(import_results)
    groups.imports.command("student-results")(import_student_results)
