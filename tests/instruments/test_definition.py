"""Reading a definition strictly: every problem with its file, line and field (docs/instruments.md)."""

from __future__ import annotations

import textwrap

import pytest

from capacity.instruments.definition import DefinitionError, from_json, parse

GOOD = textwrap.dedent(
    """\
    code: tiny
    version: 1
    name: {en: "Tiny", fr: "Minuscule"}
    description: {en: "A test instrument", fr: "Un instrument d'essai"}
    source: "Ours"
    kind: rating
    respondents: [principal]
    scoring: sum
    scale:
      kind: agreement
      min: 1
      max: 5
      labels:
        - {value: 1, en: "Strongly disagree", fr: "Fortement en désaccord"}
        - {value: 2, en: "Disagree", fr: "En désaccord"}
        - {value: 3, en: "Neutral", fr: "Neutre"}
        - {value: 4, en: "Agree", fr: "En accord"}
        - {value: 5, en: "Strongly agree", fr: "Fortement en accord"}
    dimensions:
      - code: one
        name: {en: "One", fr: "Un"}
        items:
          - code: "1.1"
            text: {en: "We plan together", fr: "Nous planifions ensemble"}
          - code: "1.2"
            text: {en: "We rarely meet", fr: "Nous nous réunissons rarement"}
            reverse: true
    """
)


def problems(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse(text, "tiny.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_a_good_definition_reads_back_the_same_from_its_stored_form() -> None:
    definition = parse(GOOD, "tiny.yaml")
    assert [i.code for i in definition.items] == ["1.1", "1.2"]
    assert definition.reverse_count == 1
    assert definition.min_respondents == 5  # the default
    assert from_json(definition.as_json()) == definition


def test_it_names_the_line_and_field_of_a_missing_french_text() -> None:
    text = GOOD.replace('fr: "Nous planifions ensemble"', 'de: "Wir planen"')
    found = problems(text)
    assert (
        "tiny.yaml, line 24: dimensions[0].items[0].text.de: unknown key (expected one of: en, fr)"
        in found
    )
    assert "tiny.yaml, line 24: dimensions[0].items[0].text.fr: missing" in found


@pytest.mark.parametrize("value", ["yes", "no", "on", "off", "Yes"])
def test_it_refuses_a_value_that_reads_as_text_or_as_true_or_false(value: str) -> None:
    text = GOOD.replace("reverse: true", f"reverse: {value}")
    assert problems(text) == [
        f"tiny.yaml, line 27: dimensions[0].items[1].reverse: {value!r} could be read as text or as "
        "true/false: write true, false or a quoted text"
    ]


@pytest.mark.parametrize("value", ["010", "1_000", "1:20"])
def test_it_refuses_a_number_that_could_be_read_two_ways(value: str) -> None:
    found = problems(GOOD.replace("version: 1", f"version: {value}"))
    assert found[0].startswith(
        f"tiny.yaml, line 2: version: {value!r} could be read as a number or as text"
    )


def test_an_unquoted_code_that_looks_like_a_number_is_refused_as_not_text() -> None:
    found = problems(GOOD.replace('code: "1.1"', "code: 1.1"))
    assert found == ["tiny.yaml, line 23: dimensions[0].items[0].code: must be text (quote it)"]


def test_it_refuses_a_key_given_twice_and_a_code_used_twice() -> None:
    assert "tiny.yaml, line 3: version: this key appears twice" in problems(
        GOOD.replace("version: 1\n", "version: 1\nversion: 2\n")
    )
    found = problems(GOOD.replace('code: "1.2"', 'code: "1.1"'))
    assert found == [
        "tiny.yaml, line 25: dimensions[0].items[1].code: the item code '1.1' is used twice"
    ]


def test_it_refuses_an_unknown_kind_role_and_key_at_once() -> None:
    text = GOOD.replace("kind: rating", "kind: poll").replace("[principal]", "[janitor]")
    text = text.replace("scoring: sum", "scoring: sum\ncolour: blue")
    found = problems(text)
    assert any(
        p.startswith("tiny.yaml, line 6: kind: 'poll' is not one of rating, rubric") for p in found
    )
    assert any(
        p.startswith("tiny.yaml, line 7: respondents[0]: 'janitor' is not a role") for p in found
    )
    assert any(p.startswith("tiny.yaml, line 9: colour: unknown key") for p in found)


def test_every_point_of_an_agreement_scale_needs_a_label() -> None:
    text = GOOD.replace('    - {value: 3, en: "Neutral", fr: "Neutre"}\n', "")
    assert problems(text) == [
        "tiny.yaml, line 13: scale.labels: every point needs a label; missing: 3"
    ]


def test_reporting_never_goes_below_three_respondents() -> None:
    text = GOOD.replace("scoring: sum", "scoring: sum\nreporting: {min_respondents: 2}")
    assert problems(text) == ["tiny.yaml, line 9: reporting.min_respondents: must be at least 3"]


def test_a_rubric_needs_one_descriptor_per_level() -> None:
    text = GOOD.replace("kind: rating", "kind: rubric").replace(
        "    items:", '    descriptors:\n      - {en: "Low", fr: "Bas"}\n    items:'
    )
    assert problems(text) == [
        "tiny.yaml, line 22: dimensions[0].descriptors: a rubric dimension needs one descriptor per level "
        "(5), found 1"
    ]


def test_broken_yaml_and_an_empty_file_are_refused_with_where() -> None:
    assert problems("code: [unclosed\n")[0].startswith(
        "tiny.yaml, line 2: the file: not valid YAML"
    )
    assert problems("") == ["tiny.yaml: the file: the file is empty"]
    assert problems("- a\n- b\n") == [
        "tiny.yaml, line 1: the file: a definition is a mapping of keys to values"
    ]


def test_yaml_anchors_and_tags_are_refused() -> None:
    found = problems(GOOD.replace('source: "Ours"', "source: !!binary aGVsbG8="))
    assert found == [
        "tiny.yaml, line 5: source: YAML anchors, aliases and tags are not used in definitions"
    ]


def test_open_text_from_students_or_parents_waits_for_ten_respondents() -> None:
    students = GOOD.replace("kind: rating", "kind: rating\naudience: students")
    assert parse(students, "t").min_text_respondents == 10
    lower = students.replace("scoring: sum", "scoring: sum\nreporting: {min_text_respondents: 6}")
    assert problems(lower) == [
        "tiny.yaml, line 10: reporting.min_text_respondents: open text from students is shown only "
        "from 10 respondents"
    ]
    assert parse(GOOD, "t").min_text_respondents == 5
    assert (
        "is not one of staff, students, parents"
        in problems(GOOD.replace("kind: rating", "kind: rating\naudience: pupils"))[0]
    )
