"""A policy file is read strictly: every fault named, so no school is identified under a rule nobody meant.

Each broken policy here is the shipped OFIP 2016 file with one thing changed. Which policy
the pages, API and command line use is tested in test_policy_lookup.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from capacity.evidence.analytics.policy import (
    POLICY_DIR,
    PolicyError,
    load_policy,
    parse_policy,
    shipped_policies,
)

OFIP = (POLICY_DIR / "ofip-2016.toml").read_text(encoding="utf-8")
READING = (POLICY_DIR / "reading-2008.toml").read_text(encoding="utf-8")


def changed(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def refusal(text: str) -> str:
    with pytest.raises(PolicyError) as refused:
        parse_policy(text, source="mine.toml")
    return str(refused.value)


def test_the_shipped_ofip_file_reads_as_its_text_says() -> None:
    policy = parse_policy(OFIP, source="ofip-2016.toml")

    assert (policy.name, policy.version, policy.group) == ("ofip-2016", 1, "all")
    assert policy.assessments == (
        "G3-READ",
        "G3-WRITE",
        "G3-MATH",
        "G6-READ",
        "G6-WRITE",
        "G6-MATH",
    )
    assert (policy.threshold, policy.min_assessments_below, policy.years, policy.min_years) == (
        50.0,
        4,
        2,
        2,
    )
    assert policy.consecutive and policy.categories == ()
    assert sorted(shipped_policies()) == ["capacity-ofip-2026", "ofip-2016", "reading-2008"]


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            "threshold = 50.0",
            "threshold = 0",
            "threshold must be a percentage above 0 and at most 100",
        ),
        (
            "threshold = 50.0",
            "threshold = 150",
            "threshold must be a percentage above 0 and at most 100",
        ),
        (
            "min_assessments_below = 4",
            "min_assessments_below = 7",
            "min_assessments_below must be between 1 and the number of assessments",
        ),
        ("\nyears = 2 ", "\nyears = 0 ", "years must be at least 1"),
        ("min_years = 2", "min_years = 3", "min_years must be between 1 and years"),
        ("min_years = 2", "min_years = 1", "a consecutive rule needs every year of its window"),
        ("min_participating = 0", "min_participating = -5", "min_participating cannot be negative"),
        ('"G6-MATH"]', '"G6-MATH", "G3-READ"]', "an assessment is listed twice"),
    ],
)
def test_a_rule_that_cannot_mean_anything_is_refused_naming_the_setting(old, new, says) -> None:
    assert says in refusal(changed(OFIP, old, new))


def test_every_fault_of_a_rule_is_named_at_once() -> None:
    text = changed(
        changed(OFIP, "threshold = 50.0", "threshold = 0"), "\nyears = 2 ", "\nyears = 0 "
    )

    message = refusal(text)

    assert message.startswith("mine.toml: ")
    assert "threshold must be" in message and "years must be at least 1" in message


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("name = 'x'\n[rule\n", "mine.toml: not valid TOML"),
        ("name = 'x'\n", "mine.toml: a [rule] table is required."),
        (changed(OFIP, 'name = "ofip-2016"\n', ""), "mine.toml: the setting 'name' is required."),
        (changed(OFIP, "threshold = 50.0", "limit = 50.0"), "the setting 'threshold' is required."),
        (changed(OFIP, "\nyears = 2 ", '\nyears = "two" '), "mine.toml: invalid literal for int()"),
    ],
    ids=["toml", "no rule", "no name", "no threshold", "not a number"],
)
def test_a_file_that_is_not_a_policy_is_refused_with_the_reason(text, says) -> None:
    assert says in refusal(text)


def test_categories_must_run_from_the_lowest_threshold_up() -> None:
    swapped = changed(
        changed(READING, "below = 20.0", "below = 99.0"), "below = 34.0", "below = 20.0"
    )
    swapped = changed(swapped, "below = 99.0", "below = 34.0")

    assert "categories must be listed from the lowest 'below' to the highest" in refusal(swapped)


def test_a_window_that_need_not_be_consecutive_may_ask_for_fewer_years() -> None:
    policy = parse_policy(READING, source="reading-2008.toml")

    assert not policy.consecutive and policy.min_years < policy.years
    assert [c.name for c in policy.categories] == ["intensive", "targeted"]


def test_min_years_defaults_to_the_whole_window() -> None:
    policy = parse_policy(changed(OFIP, "min_years = 2", ""), source="mine.toml")

    assert policy.min_years == policy.years == 2


def test_a_policy_is_loaded_by_its_shipped_name_or_a_toml_path(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(changed(OFIP, "threshold = 50.0", "threshold = 45.0"), encoding="utf-8")

    assert load_policy("reading-2008").name == "reading-2008"
    assert load_policy(str(mine)).threshold == 45.0
    with pytest.raises(PolicyError, match="No policy named 'ofip-2099' and no such .toml file"):
        load_policy("ofip-2099")
