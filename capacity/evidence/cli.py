"""The evidence part of the `capacity` command: `identify` and `import results`.

Registered on the main Typer app by capacity/cli.py. The command modules import
Django only inside their functions, so `capacity --help` stays fast.
"""

from __future__ import annotations

import typer


def register(app: typer.Typer, import_app: typer.Typer) -> None:
    from capacity.evidence.cli_identify import identify
    from capacity.evidence.cli_results import import_results

    app.command("identify")(identify)
    import_app.command("results")(import_results)
