"""Parts of pages kept between requests (capacity/fragments.py): once per version and language."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import SafeString

from capacity import fragments


def test_it_computes_once_per_version_and_again_when_the_version_changes() -> None:
    calls: list[int] = []

    def compute() -> list[int]:
        calls.append(1)
        return [len(calls)]

    assert fragments.kept("t", ("v1", 7), compute) == [1]
    assert fragments.kept("t", ("v1", 7), compute) == [1]
    assert len(calls) == 1
    assert fragments.kept("t", ("v2", 7), compute) == [2]
    assert fragments.kept("t", ("v1", 8), compute) == [3]  # another reader
    assert fragments.kept("other", ("v1", 7), compute) == [4]  # another part
    assert len(calls) == 4


def test_the_language_is_part_of_every_key() -> None:
    with translation.override("en"):
        english = fragments.key("t", ("v1",))
        assert fragments.kept("t", ("v1",), lambda: "English") == "English"
    with translation.override("fr"):
        assert fragments.key("t", ("v1",)) != english
        assert fragments.kept("t", ("v1",), lambda: "Français") == "Français"
    with translation.override("en"):
        assert fragments.kept("t", ("v1",), lambda: "recomputed") == "English"


def test_another_process_reads_the_shared_cache_and_empty_answers_are_kept() -> None:
    assert fragments.kept("t", ("v",), lambda: None) is None
    fragments.forget()  # as a second worker, which never computed it
    assert fragments.kept("t", ("v",), lambda: pytest.fail("computed twice")) is None
    cache.clear()
    fragments.forget()
    assert fragments.kept("t", ("v",), lambda: "again") == "again"


def test_memory_keeps_only_the_most_recent_parts(monkeypatch) -> None:
    monkeypatch.setattr(fragments, "MEMO_ENTRIES", 2)
    for version in ("a", "b", "c"):
        fragments.kept("t", (version,), lambda version=version: version)
    assert len(fragments._MEMO) == 2
    assert fragments.key("t", ("a",)) not in fragments._MEMO


def test_a_rendered_part_is_html_without_the_request() -> None:
    with translation.override("fr"):
        html = fragments.rendered(
            "t", ("v",), "lists/_pager.html", lambda: {"list": {"has_other_pages": False}}
        )
    assert isinstance(html, SafeString)
    assert "csrfmiddlewaretoken" not in html


def test_rendered_parts_draw_each_template_once_per_version() -> None:
    calls: list[int] = []

    def context() -> dict:
        calls.append(1)
        return {"list": {"has_other_pages": False}}

    templates = {"one": "lists/_pager.html", "two": "lists/_pager.html"}
    parts = fragments.rendered_parts("t", ("v",), templates, context)
    assert set(parts) == {"one", "two"} and all(isinstance(p, SafeString) for p in parts.values())
    fragments.forget()
    assert fragments.rendered_parts("t", ("v",), templates, context) == parts
    fragments.rendered_parts("t", ("v2",), templates, context)
    assert len(calls) == 2  # once for each version, both templates from one context
