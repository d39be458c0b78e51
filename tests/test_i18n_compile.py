"""Compiling the catalogues without GNU gettext: the .mo files Python's gettext (and so Django) reads."""

from __future__ import annotations

import gettext
import shutil

from capacity import i18n_compile

PLURAL = "%(count)s school number had five digits; its leading zero was put back."


def test_it_compiles_each_catalogue_into_a_file_gettext_reads(monkeypatch, tmp_path) -> None:
    french = tmp_path / "fr" / "LC_MESSAGES"
    french.mkdir(parents=True)
    shutil.copy(i18n_compile.LOCALE / "fr" / "LC_MESSAGES" / "django.po", french / "django.po")
    (tmp_path / "de" / "LC_MESSAGES").mkdir(parents=True)  # a language without a catalogue
    monkeypatch.setattr(i18n_compile, "LOCALE", tmp_path)
    assert i18n_compile.compile_all() == [french / "django.mo"]
    with (french / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert catalogue.gettext("Year closed") == "Année close"
    one, many = catalogue.ngettext(PLURAL, "plural", 1), catalogue.ngettext(PLURAL, "plural", 3)
    assert one.startswith("%(count)s numéro d’école") and one != many
