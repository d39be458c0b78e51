"""Compile the translation catalogues (.po -> .mo) without GNU gettext.

The compiled .mo files are committed so that `make run` needs nothing but
Python; `make messages` refreshes both, and a test checks they agree.
"""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent / "locale"


def compile_all() -> list[Path]:
    written = []
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(f"wrote {path}")
