"""The evidence part's reference data: the standard assessments and the shipped policies, kept after every migrate.

A stored policy's rule is never edited; only its words follow the shipped file. Uploads
(`result_import_create`) are tested in test_uploads.py.
"""

from __future__ import annotations

import pytest

from capacity.evidence.analytics.policy import POLICY_DIR, parse_policy
from capacity.evidence.models import Assessment, Policy, Result
from capacity.evidence.services import (
    STANDARD_ASSESSMENTS,
    assessments_ensure,
    shipped_policies_ensure,
)

pytestmark = pytest.mark.django_db

OFIP = POLICY_DIR / "ofip-2016.toml"


def test_the_eight_standard_assessments_are_there_and_a_deleted_one_comes_back() -> None:
    codes = [code for code, *_ in STANDARD_ASSESSMENTS]
    ids = assessments_ensure()
    Assessment.objects.filter(code="OSSLT").delete()

    again = assessments_ensure()

    assert sorted(again) == sorted(codes) == sorted(ids)
    assert again["G3-READ"] == ids["G3-READ"] and again["OSSLT"] != ids["OSSLT"]
    assert list(Assessment.objects.order_by("position").values_list("code", flat=True)) == codes


def test_ensuring_the_assessments_keeps_the_results_stored_against_them(world) -> None:
    ids = assessments_ensure()
    Result.objects.create(
        school=world.school_a1,
        school_year="2018-19",
        assessment_id=ids["G6-MATH"],
        group="all",
        pct_at_standard=48.0,
    )

    assert assessments_ensure() == ids and Result.objects.get().assessment.code == "G6-MATH"


def test_each_shipped_policy_is_stored_once_with_ofip_the_default() -> None:
    shipped = sorted(POLICY_DIR.glob("*.toml"))
    shipped_policies_ensure()
    shipped_policies_ensure()

    stored = {(row.name, row.version): row for row in Policy.objects.all()}
    for path in shipped:
        policy = parse_policy(path.read_text(encoding="utf-8"), source=path.name)
        assert stored[(policy.name, policy.version)].definition == path.read_text(encoding="utf-8")
    assert [row.name for row in stored.values() if row.is_default] == ["ofip-2016"]


def _stored_ofip(definition: str) -> Policy:
    Policy.objects.all().delete()
    policy = parse_policy(OFIP.read_text(encoding="utf-8"), source=OFIP.name)
    return Policy.objects.create(
        name=policy.name, version=policy.version, title="Old title", definition=definition
    )


def test_a_stored_version_takes_the_shipped_words_when_its_rule_is_the_same() -> None:
    shipped = OFIP.read_text(encoding="utf-8")
    old_words = shipped.replace("\ntitle_fr = ", "\n# no French yet\nold_title_fr = ", 1)
    assert parse_policy(old_words, source="old").same_rule(parse_policy(shipped, source="new"))
    row = _stored_ofip(old_words)

    shipped_policies_ensure()

    row.refresh_from_db()
    assert row.definition == shipped
    assert row.title == parse_policy(shipped, source="new").title


def test_a_stored_version_whose_rule_differs_is_never_rewritten() -> None:
    shipped = OFIP.read_text(encoding="utf-8")
    other_rule = shipped.replace("threshold = 50.0", "threshold = 60.0", 1)
    assert other_rule != shipped
    row = _stored_ofip(other_rule)

    shipped_policies_ensure()

    row.refresh_from_db()
    assert (row.definition, row.title) == (other_rule, "Old title")


def test_a_stored_text_that_no_longer_parses_is_left_for_a_person_to_read() -> None:
    row = _stored_ofip("this is [not toml")

    shipped_policies_ensure()

    row.refresh_from_db()
    assert row.definition == "this is [not toml"


def test_a_default_chosen_by_a_person_is_kept() -> None:
    shipped_policies_ensure()
    Policy.objects.update(is_default=False)
    Policy.objects.filter(name="reading-2008").update(is_default=True)
    Policy.objects.filter(name="ofip-2016").delete()

    shipped_policies_ensure()

    assert list(Policy.objects.filter(is_default=True).values_list("name", flat=True)) == [
        "reading-2008"
    ]
    assert not Policy.objects.get(name="ofip-2016").is_default
