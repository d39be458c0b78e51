"""Issue 13's policy options are read strictly too, and each is explained in words.

Each broken policy is the shipped capacity-ofip-2026 file with one thing changed.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from capacity.evidence.analytics.policy import (
    POLICY_DIR,
    ExitRule,
    PolicyError,
    StaticRule,
    load_policy,
    parse_policy,
)

PROPOSAL = (POLICY_DIR / "capacity-ofip-2026.toml").read_text(encoding="utf-8")
OFIP = (POLICY_DIR / "ofip-2016.toml").read_text(encoding="utf-8")
READING = (POLICY_DIR / "reading-2008.toml").read_text(encoding="utf-8")


def changed(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def refusal(text: str) -> str:
    with pytest.raises(PolicyError) as refused:
        parse_policy(text, source="mine.toml")
    return str(refused.value)


def test_the_shipped_proposal_reads_as_its_text_says() -> None:
    policy = parse_policy(PROPOSAL, source="capacity-ofip-2026.toml")
    assert (policy.count, policy.min_share_below, policy.min_usable) == ("share", Fraction(2, 3), 3)
    assert policy.min_assessments_below == 1  # not required when counting by share
    assert policy.exit == ExitRule(margin=5.0, years=2, sustaining_years=2)
    assert policy.static == StaticRule(years=3, min_gain=0.0, below=50.0)
    assert [(c.name, c.below) for c in policy.categories] == [
        ("intensive", 10.0),
        ("targeted", 20.0),
        ("focused", 50.0),
    ]
    assert policy.title.startswith("Capacity's proposal built on OFIP (not an Ontario rule)")
    assert "no ministry has\nadopted it" in policy.description


def test_the_older_policies_have_none_of_the_new_options() -> None:
    for name in ("ofip-2016", "reading-2008"):
        policy = load_policy(name)
        assert (policy.count, policy.min_share_below, policy.min_usable) == ("number", None, 0)
        assert policy.exit is None and policy.static is None and not policy.has_history


def test_the_reading_illustration_says_what_it_is() -> None:
    policy = load_policy("reading-2008")
    assert policy.title.startswith("Illustration only (not the 2008 criteria)")
    assert "not a published Ontario rule" in policy.description
    assert policy.title_fr.startswith("Illustration seulement")
    assert READING.startswith("# AN ILLUSTRATION, NOT THE 2008 CRITERIA.")


def test_ofip_2016_version_1_is_exactly_as_it_was() -> None:
    # seed 000's rule, byte for byte as shipped before issue 13.
    assert 'name = "ofip-2016"\nversion = 1\n' in OFIP
    assert "min_assessments_below = 4" in OFIP and "[exit]" not in OFIP


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('count = "share"', 'count = "percent"', 'count must be "number" or "share"'),
        ('min_share_below = "2/3"', 'min_share_below = "3/2"', "min_share_below must be above 0"),
        ('min_share_below = "2/3"', "min_share_below = 0", "min_share_below must be above 0"),
        ('min_share_below = "2/3"', 'min_share_below = "two thirds"', 'a fraction like "2/3"'),
        ('min_share_below = "2/3"', "min_share_below = true", 'a fraction like "2/3"'),
        ("min_usable = 3 ", "min_usable = 7 ", "min_usable must be between 0 and the number"),
        ("margin = 5.0", "margin = -1.0", "the exit margin must be 0 or more"),
        ("margin = 5.0", "margin = 55.0", "the threshold plus it at most 100"),
        ("\nyears = 2                   # for two", "\nyears = 0 # for two", "exit rule's years"),
        ("sustaining_years = 2", "sustaining_years = -1", "sustaining_years cannot be negative"),
        ("years = 3 ", "years = 1 ", "the static rule's years must be at least 2"),
        ("min_gain = 0.0", "min_gain = -2.0", "min_gain cannot be negative"),
        ("below = 50.0                # and", "below = 0.0 # and", "the static rule's below"),
        ("[exit]", "[exits]", "unknown setting 'exits' (misspelt?)"),
        ("sustaining_years = 2", "sustain_years = 2", "unknown setting [exit] 'sustain_years'"),
        ("min_gain = 0.0", "min_rise = 0.0", "unknown setting [static] 'min_rise'"),
        ("min_usable = 3 ", "min_useable = 3 ", "unknown setting [rule] 'min_useable'"),
    ],
)
def test_a_new_option_that_cannot_mean_anything_is_refused_naming_it(old, new, says) -> None:
    assert says in refusal(changed(PROPOSAL, old, new))


def test_a_share_needs_its_count_and_its_count_needs_a_share() -> None:
    assert "needs min_share_below" in refusal(changed(PROPOSAL, 'min_share_below = "2/3"', ""))
    assert 'only applies with count = "share"' in refusal(
        changed(OFIP, "min_participating = 0", 'min_participating = 0\nmin_share_below = "1/2"')
    )


def test_the_margin_and_static_span_require_their_keys() -> None:
    assert "'margin' is required" in refusal(changed(PROPOSAL, "margin = 5.0", ""))
    assert "'below' is required" in refusal(
        changed(PROPOSAL, "below = 50.0                # and is under 50%", "")
    )


def test_a_share_may_be_written_as_a_number() -> None:
    policy = parse_policy(changed(PROPOSAL, 'min_share_below = "2/3"', "min_share_below = 0.5"))
    assert policy.min_share_below == Fraction(1, 2)


def test_changing_an_option_is_a_new_rule_and_its_words_are_not() -> None:
    policy = load_policy("capacity-ofip-2026")
    other = parse_policy(changed(PROPOSAL, "margin = 5.0", "margin = 10.0"))
    assert not policy.same_rule(other)
    reworded = parse_policy(changed(PROPOSAL, 'title = "Capacity', 'title = "Our'))
    assert policy.same_rule(reworded)


def test_every_option_is_explained_in_a_sentence() -> None:
    options = dict(load_policy("capacity-ofip-2026").options())
    assert list(options) == [
        "count",
        "window",
        "min_participating",
        "exit",
        "sustaining",
        "static",
        "categories",
    ]
    assert "2/3" in options["count"] and "one grade only" in options["count"]
    assert "raised to 55% (5 points above) for 2 consecutive years with results" in options["exit"]
    assert "sustaining for 2 years with results" in options["sustaining"]
    assert "no more than 0 points" in options["static"] and "under 50%" in options["static"]
    assert "Intensive support: lowest result under 10%" in options["categories"]
    reading = dict(load_policy("reading-2008").options())
    assert "at least 2 of the 3 school years" in reading["window"]
