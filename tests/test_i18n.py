"""English and French: the French catalogue is complete, compiled, and covers every string in the code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.utils import translation

from tests.conftest import need

PACKAGE = Path(__file__).resolve().parents[1] / "capacity"
PO = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_french_entry_is_translated_and_none_is_fuzzy() -> None:
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_the_compiled_catalogue_matches_the_source() -> None:
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in polib.pofile(str(PO))
        if not e.obsolete
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO)) if e.msgid
    }
    assert compiled == source, (
        "run `make messages` (or python -m capacity.i18n_compile) to rebuild django.mo"
    )


def test_the_catalogue_covers_every_translatable_string_in_the_code(tmp_path: Path) -> None:
    need(
        shutil.which("xgettext") is not None,
        "GNU gettext is not installed (apt-get install gettext)",
    )
    copy = tmp_path / "capacity"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__", "static"))
    subprocess.run(
        [
            sys.executable,
            str(PACKAGE.parent / "manage.py"),
            "makemessages",
            "-l",
            "fr",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {
        e.msgid for e in polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    }
    committed = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    assert fresh - committed == set(), (
        f"strings missing from the French catalogue: {sorted(fresh - committed)[:10]}"
    )


def test_a_role_and_a_page_string_are_french_when_the_language_is_french() -> None:
    from capacity.directory.models import Role

    with translation.override("fr"):
        assert str(Role.PRINCIPAL.label) == "Direction d’école"
        assert translation.gettext("At a glance") == "En un coup d’œil"
