"""The evidence part of the `capacity` command: `identify` and `import results`.

Registered on the main Typer app by capacity/cli.py. The command modules import
Django only inside their functions, so `capacity --help` stays fast.
"""

from __future__ import annotations

import typer


def register(app: typer.Typer, import_app: typer.Typer) -> None:
    import importlib.util

    # TEMPORARY while the commands are being written: register what exists.
    if importlib.util.find_spec("capacity.evidence.cli_identify"):
        from capacity.evidence.cli_identify import identify

        app.command("identify")(identify)
    if importlib.util.find_spec("capacity.evidence.cli_results"):
        from capacity.evidence.cli_results import import_results

        import_app.command("results")(import_results)
