"""Loading definitions: new, unchanged, another wording, a new version; refused files store nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from capacity.audit.models import Action, AuditEntry
from capacity.instruments import services
from capacity.instruments.definition import DefinitionError
from capacity.instruments.models import Instrument
from tests.instruments.test_definition import GOOD

pytestmark = pytest.mark.django_db


def load(text: str = GOOD) -> services.Loaded:
    return services.instrument_load(text=text, file_name="tiny.yaml", actor_label="test")


def test_the_shipped_instruments_are_loaded_when_the_database_is_migrated() -> None:
    codes = set(Instrument.objects.values_list("code", flat=True))
    assert {p.stem for p in services.shipped_files()} <= codes
    assert all(Instrument.objects.values_list("shipped", flat=True))
    # Capacity setting itself up is not an action anyone took: the audit log stays empty.
    assert not AuditEntry.objects.filter(action=Action.INSTRUMENT_LOADED).exists()


def test_loading_the_same_file_twice_changes_nothing_the_second_time() -> None:
    assert load().outcome == services.CREATED
    before = AuditEntry.objects.filter(action=Action.INSTRUMENT_LOADED).count()
    assert load().outcome == services.UNCHANGED
    assert AuditEntry.objects.filter(action=Action.INSTRUMENT_LOADED).count() == before


def test_another_wording_of_the_same_structure_replaces_the_wording() -> None:
    load()
    loaded = load(GOOD.replace("We plan together", "Our staff plans as one team"))
    assert loaded.outcome == services.WORDING
    stored = Instrument.objects.get(code="tiny")
    assert (
        stored.definition["dimensions"][0]["items"][0]["text"]["en"]
        == "Our staff plans as one team"
    )
    entry = AuditEntry.objects.filter(action=Action.INSTRUMENT_LOADED, target="tiny").first()
    assert entry is not None and entry.detail["outcome"] == services.WORDING


def test_a_changed_structure_needs_a_higher_version_and_stores_nothing_without_it() -> None:
    load()
    unreversed = GOOD.replace("    reverse: true\n", "")
    with pytest.raises(DefinitionError) as refused:
        load(unreversed)
    assert "raise the version" in str(refused.value)
    assert (
        Instrument.objects.get(code="tiny").definition["dimensions"][0]["items"][1]["reverse"]
        is True
    )

    loaded = load(unreversed.replace("version: 1", "version: 2"))
    assert loaded.outcome == services.VERSION
    assert Instrument.objects.get(code="tiny").version == 2
    with pytest.raises(DefinitionError, match="older than the loaded version 2"):
        load()


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(GOOD.replace("Minuscule", "Minuscule é").encode("latin-1"))
    with pytest.raises(DefinitionError) as refused:
        services.read_file(path)
    assert str(refused.value).startswith("latin.yaml, line 3: the file: byte ")


def test_load_shipped_leaves_an_organisations_wording_alone() -> None:
    path = next(p for p in services.shipped_files() if p.stem == "strong-districts")
    text = path.read_text(encoding="utf-8").replace("Our board", "Our district", 1)
    services.instrument_load(text=text, file_name="our-wording.yaml")
    assert services.load_shipped() == []
    stored = Instrument.objects.get(code="strong-districts")
    assert stored.source_file == "our-wording.yaml" and stored.shipped is False
