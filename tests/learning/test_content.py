"""The learning library's content files (docs/learning.md): checked strictly, every problem located."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from capacity.learning.content import (
    CASE_SECTIONS,
    CHARACTERISTICS,
    CONTEXTS,
    MODULE_SECTIONS,
    ContentError,
    load_dir,
    parse_file,
)

CASE = textwrap.dedent(
    """\
    ---
    kind: case
    slug: tiny-case
    language: en
    title: "A tiny case"
    board: "Tiny District School Board"
    board_type: english-public
    year: 2016
    characteristics: [mission]
    themes: [planning]
    contexts: [mentoring]
    summary: "Short."
    ---
    """
) + "".join(f"## {heading}\n\nSome text.\n\n" for heading in CASE_SECTIONS["en"])


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    version, found = parse_file(path)
    assert version is None
    return [str(p) for p in found]


def test_a_good_case_reads_with_its_seven_sections_in_order(tmp_path: Path) -> None:
    version, problems = parse_file(write(tmp_path, "tiny-case.en.md", CASE))
    assert problems == [] and version is not None
    assert [heading for heading, _text in version.sections] == list(CASE_SECTIONS["en"])


def test_a_bad_value_is_named_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "tiny-case.en.md",
        CASE.replace("characteristics: [mission]", "characteristics: [vision]"),
    )
    assert problems_of(path) == [
        "tiny-case.en.md, line 9: characteristics[0]: 'vision' is not a characteristic ("
        + ", ".join(CHARACTERISTICS)
        + ")"
    ]
    path = write(
        tmp_path, "tiny-case.en.md", CASE.replace("contexts: [mentoring]", "contexts: [coaching]")
    )
    assert problems_of(path) == [
        f"tiny-case.en.md, line 11: contexts: list contexts of use among {', '.join(CONTEXTS)}"
    ]


def test_sections_out_of_order_or_empty_are_refused(tmp_path: Path) -> None:
    swapped = CASE.replace("## Turning points", "## Advice to others (early)")
    found = problems_of(write(tmp_path, "tiny-case.en.md", swapped))
    assert any("the ## sections must be, in order" in p for p in found)
    empty = CASE.replace("## Where we started\n\nSome text.\n", "## Where we started\n\n")
    assert any(
        "the section 'Where we started' is empty" in p
        for p in problems_of(write(tmp_path, "tiny-case.en.md", empty))
    )


def test_the_file_name_must_match_slug_and_language(tmp_path: Path) -> None:
    found = problems_of(write(tmp_path, "other.fr.md", CASE))
    assert "other.fr.md, line 3: slug: must be 'other', the file's name" in found
    assert any(
        p.startswith("other.fr.md, line 4: language: must be the file name's language")
        for p in found
    )


def test_without_front_matter_or_not_utf8_it_says_so(tmp_path: Path) -> None:
    assert problems_of(write(tmp_path, "tiny-case.en.md", "# Title\n")) == [
        "tiny-case.en.md, line 1: the file: a content file starts with front matter between two --- lines"
    ]
    path = tmp_path / "tiny-case.en.md"
    path.write_bytes(CASE.replace("Short.", "Réponse").encode("latin-1"))
    assert problems_of(path)[0].startswith("tiny-case.en.md, line 12: the file: byte ")


def test_language_files_must_agree_and_a_modules_cases_must_exist(tmp_path: Path) -> None:
    write(tmp_path / "cases", "tiny-case.en.md", CASE)
    french = CASE.replace("language: en", "language: fr").replace("year: 2016", "year: 2017")
    for en, fr in zip(CASE_SECTIONS["en"], CASE_SECTIONS["fr"], strict=True):
        french = french.replace(f"## {en}\n", f"## {fr}\n")
    write(tmp_path / "cases", "tiny-case.fr.md", french)
    module = textwrap.dedent(
        """\
        ---
        kind: module
        slug: tiny-module
        number: 1
        language: en
        title: "A module"
        characteristics: [mission, alignment]
        summary: "Short."
        case_studies: [tiny-case, missing-case]
        self_assessment: strong-districts
        evaluation: module-evaluation
        agenda:
          - {minutes: 30, title: "Start", notes: "Why."}
        ---
        """
    ) + "".join(f"## {heading}\n\nText.\n\n" for heading in MODULE_SECTIONS["en"])
    write(tmp_path / "modules", "tiny-module.en.md", module)
    with pytest.raises(ContentError) as refused:
        load_dir(tmp_path)
    found = [str(p) for p in refused.value.problems]
    assert "tiny-case.fr.md: year: differs from tiny-case.en.md" in found
    assert "tiny-module.*.md: case_studies: no case study 'missing-case'" in found


def test_a_case_may_give_its_boards_number_of_schools(tmp_path: Path) -> None:
    sized = CASE.replace("year: 2016\n", "year: 2016\nschools: 54\n")
    version, problems = parse_file(write(tmp_path, "tiny-case.en.md", sized))
    assert problems == [] and version is not None and version.front["schools"] == 54


def test_a_number_of_schools_that_is_not_a_whole_number_is_refused(tmp_path: Path) -> None:
    for bad in ("many", "0", "true", "12.5"):
        path = write(
            tmp_path,
            "tiny-case.en.md",
            CASE.replace("year: 2016\n", f"year: 2016\nschools: {bad}\n"),
        )
        assert any(": schools: the board's number of schools" in p for p in problems_of(path)), bad


def test_the_number_of_schools_must_agree_between_languages(tmp_path: Path) -> None:
    write(
        tmp_path / "cases",
        "tiny-case.en.md",
        CASE.replace("year: 2016\n", "year: 2016\nschools: 54\n"),
    )
    french = CASE.replace("language: en", "language: fr").replace(
        "year: 2016\n", "year: 2016\nschools: 45\n"
    )
    for en, fr in zip(CASE_SECTIONS["en"], CASE_SECTIONS["fr"], strict=True):
        french = french.replace(f"## {en}\n", f"## {fr}\n")
    write(tmp_path / "cases", "tiny-case.fr.md", french)
    with pytest.raises(ContentError) as refused:
        load_dir(tmp_path)
    assert [str(p) for p in refused.value.problems] == [
        "tiny-case.fr.md: schools: differs from tiny-case.en.md"
    ]
