"""`selectors.get_policy`: the one policy lookup behind the pages, the API and `capacity identify`.

The migrations store the shipped policies (ofip-2016 marked default), so each
test starts from that and changes the store as its case needs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from capacity.evidence.analytics.policy import PolicyError
from capacity.evidence.models import Policy as PolicyRow
from capacity.evidence.selectors import get_policy

pytestmark = pytest.mark.django_db

ONE_YEAR = (
    'name = "one-year"\nversion = 3\ntitle = "Under 50% on 4 of 6, one year"\n'
    "[rule]\n"
    'assessments = ["G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH"]\n'
    "threshold = 50.0\nmin_assessments_below = 4\nyears = 1\n"
)


def _store_reading_v2() -> None:
    row = PolicyRow.objects.get(name="reading-2008", version=1)
    PolicyRow.objects.create(
        name="reading-2008",
        version=2,
        title="Reading, second version",
        definition=row.definition.replace("version = 1", "version = 2"),
    )


def test_it_gives_the_stored_default_without_a_name() -> None:
    assert get_policy().name == "ofip-2016"


def test_it_gives_the_newest_stored_version_of_a_name() -> None:
    _store_reading_v2()
    assert (get_policy("reading-2008").name, get_policy("reading-2008").version) == (
        "reading-2008",
        2,
    )
    # The command line reads the same store.
    assert get_policy("reading-2008", files=True, strict=True).version == 2


def test_it_follows_the_policy_marked_default() -> None:
    PolicyRow.objects.update(is_default=False)
    PolicyRow.objects.filter(name="reading-2008").update(is_default=True)
    assert get_policy().name == "reading-2008"


def test_it_falls_back_to_the_shipped_policy_when_none_is_stored() -> None:
    PolicyRow.objects.filter(name="reading-2008").delete()
    assert get_policy("reading-2008").name == "reading-2008"
    PolicyRow.objects.all().delete()
    assert get_policy().name == "ofip-2016"
    assert get_policy("reading-2008", files=True, strict=True).name == "reading-2008"


def test_it_gives_the_default_for_an_unknown_name_on_the_web() -> None:
    assert get_policy("nope").name == "ofip-2016"


def test_it_refuses_an_unknown_name_when_strict() -> None:
    with pytest.raises(PolicyError, match="No policy named 'nope'"):
        get_policy("nope", strict=True)
    with pytest.raises(PolicyError, match="No policy named 'nope'"):
        get_policy("nope", files=True, strict=True)


def test_it_reads_a_toml_file_only_when_files_are_allowed(tmp_path: Path) -> None:
    path = tmp_path / "one-year.toml"
    path.write_text(ONE_YEAR, encoding="utf-8")
    assert get_policy(str(path), files=True, strict=True).name == "one-year"
    # The pages and the API never read a path a request names.
    assert get_policy(str(path)).name == "ofip-2016"
    with pytest.raises(PolicyError):
        get_policy(str(path), strict=True)
