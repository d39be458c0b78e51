"""The audit log's details read as words in the viewer's language, never as codes or JSON."""

from __future__ import annotations

from django.utils import translation

from capacity.audit.details import readable


def test_it_names_keys_and_coded_values_in_french() -> None:
    with translation.override("fr"):
        shown = readable({"role": "board_leader", "staff": False, "files": ["a.csv", "b.csv"]})
    assert shown == [
        ("Rôle", "Leader du conseil"),
        ("Compte du personnel", "Non"),
        ("Fichiers", "a.csv, b.csv"),
    ]
    assert "board_leader" not in str(shown)


def test_it_shows_dates_in_the_one_date_style_and_a_traceback_by_its_last_line() -> None:
    with translation.override("en"):
        shown = dict(
            readable(
                {
                    "dates": {"submit_by": "2018-10-31"},
                    "detail": "Traceback\n  ...\nOSError: disk full\n",
                }
            )
        )
    assert shown["Dates"] == "Submit by: October 31, 2018"
    assert shown["Last message"] == "OSError: disk full"
