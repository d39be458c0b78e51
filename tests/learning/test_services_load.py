"""Loading content files into the library (services.content_load): all or nothing, safe twice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from capacity.audit.models import Action, AuditEntry
from capacity.learning import content, hooks
from capacity.learning.models import Item, Kind, Origin, State, Tag, Version
from capacity.learning.services import content_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(content.SHIPPED, root)
    return root


def _retitle(path: Path, title: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join(f'title: "{title}"\n' if line.startswith("title:") else line for line in lines),
        encoding="utf-8",
    )


def test_the_shipped_content_loads_as_published_version_one() -> None:
    report = content_load()
    assert len(report.created) == 20 and not report.updated
    modules = Item.objects.filter(kind=Kind.MODULE).order_by("number")
    assert [m.number for m in modules] == list(range(1, 9))
    for item in Item.objects.select_related("published", "current"):
        assert item.origin == Origin.FILE
        assert item.published is not None and item.published == item.current
        assert item.published.number == 1 and item.published.state == State.PUBLISHED
        assert {t.language for t in item.published.texts.all()} == {"en", "fr"}
    evidence = Item.objects.get(slug="using-evidence")
    text = evidence.published.text("fr")
    assert text is not None and [h for h, _b in text.sections] == list(
        content.MODULE_SECTIONS["fr"]
    )
    assert sum(segment["minutes"] for segment in text.agenda) > 0
    assert AuditEntry.objects.filter(action=Action.LIBRARY_LOADED).count() == 1


def test_loading_the_same_files_again_changes_nothing() -> None:
    content_load()
    before = (Version.objects.count(), Tag.objects.count(), AuditEntry.objects.count())
    report = content_load()
    assert len(report.unchanged) == 20 and not report.created and not report.updated
    assert (Version.objects.count(), Tag.objects.count(), AuditEntry.objects.count()) == before


def test_a_changed_file_makes_a_new_version_and_keeps_the_earlier_one(copy: Path) -> None:
    content_load(root=copy)
    _retitle(copy / "cases" / "maple-ridge-vision.en.md", "Maple Ridge, told again")
    report = content_load(root=copy)
    assert report.updated == ["maple-ridge-vision"] and len(report.unchanged) == 19
    item = Item.objects.get(slug="maple-ridge-vision")
    versions = list(item.versions.order_by("number"))
    assert [(v.number, v.state) for v in versions] == [(1, State.SUPERSEDED), (2, State.PUBLISHED)]
    assert item.published == versions[1]
    assert versions[0].text("en").title != "Maple Ridge, told again"
    assert versions[1].text("en").title == "Maple Ridge, told again"


def test_a_file_with_a_problem_loads_nothing_of_the_folder(copy: Path) -> None:
    content_load(root=copy)
    _retitle(copy / "cases" / "maple-ridge-vision.en.md", "A new title that must not land")
    broken = copy / "modules" / "using-evidence.fr.md"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n## Une section de trop\n\nTexte.\n")
    with pytest.raises(content.ContentError) as refused:
        content_load(root=copy)
    assert "using-evidence.fr.md" in str(refused.value)
    assert Version.objects.filter(item__slug="maple-ridge-vision").count() == 1


def test_tags_follow_the_published_version(copy: Path) -> None:
    content_load(root=copy)
    item = Item.objects.get(slug="maple-ridge-vision")
    facts = item.published.facts
    assert set(item.tags.filter(vocabulary="characteristic").values_list("code", flat=True)) == set(
        facts["characteristics"]
    )
    assert set(item.tags.filter(vocabulary="context").values_list("code", flat=True)) == set(
        facts["contexts"]
    )


def test_files_may_not_take_the_slug_of_a_case_written_in_the_app(copy: Path) -> None:
    Item.objects.create(kind=Kind.CASE, slug="maple-ridge-vision", origin=Origin.APP)
    with pytest.raises(content.ContentError) as refused:
        content_load(root=copy)
    assert "maple-ridge-vision" in str(refused.value)
    assert not Item.objects.filter(origin=Origin.FILE).exists()


def test_a_new_module_may_not_take_a_loaded_modules_number(copy: Path) -> None:
    content_load(root=copy)
    for language in ("en", "fr"):
        source = copy / "modules" / f"shared-mission.{language}.md"
        target = copy / "modules" / f"shared-mission-again.{language}.md"
        target.write_text(
            source.read_text(encoding="utf-8").replace(
                "slug: shared-mission", "slug: shared-mission-again"
            ),
            encoding="utf-8",
        )
    with pytest.raises(content.ContentError):
        content_load(root=copy)
    assert not Item.objects.filter(slug="shared-mission-again").exists()


def test_callbacks_registered_with_on_publish_hear_of_each_new_version(copy: Path) -> None:
    heard: list[str] = []

    def hear(item: Item) -> None:
        heard.append(item.slug)

    hooks.on_publish(hear)
    try:
        content_load(root=copy)
        assert len(heard) == 20
        content_load(root=copy)
        assert len(heard) == 20
    finally:
        hooks.ON_PUBLISH.remove(hear)
