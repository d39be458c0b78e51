"""Review of issue 13 (privacy): results counted from a student-level file are stored for every
group, however small, and the one disclosure gate hides the small ones wherever they are read."""

from __future__ import annotations

import pytest
from django.db import connection

from capacity.evidence.models import Result
from capacity.evidence.services_students import student_results_import

pytestmark = pytest.mark.django_db

HEADER = "school_number,school_year,assessment,student_id,level,group_female,group_male\n"


def _import(world) -> None:
    # 3 girls (all at level 4) and 20 boys: the girls are too few to show, and the boys are
    # hidden too, since all students minus the boys would give the girls' figure.
    rows = [f"700001,2018-19,G3-READ,SID-F{i}-QZX,4,Y,N\n" for i in range(3)]
    rows += [f"700001,2018-19,G3-READ,SID-M{i}-QZX,{1 + i % 3},N,Y\n" for i in range(20)]
    report = student_results_import(
        data=(HEADER + "".join(rows)).encode(),
        name="students.csv",
        actor=world.personas["ministry"],
        check_actor=True,
    )
    assert report.applied, report.problems


def test_a_small_group_is_stored_but_hidden_in_the_api_and_the_gaps(client, world) -> None:
    _import(world)
    assert Result.objects.get(group="female").participating == 3  # stored, with its count
    client.force_login(world.personas["principal_a1"])
    rows = {r["group"]: r for r in client.get("/api/results?school=700001").json()["items"]}
    assert rows["all"]["participating"] == 23 and not rows["all"]["suppressed"]
    assert (rows["female"]["pct_at_standard"], rows["female"]["suppression_reason"]) == (
        None,
        "small",
    )
    assert (rows["male"]["pct_at_standard"], rows["male"]["suppression_reason"]) == (
        None,
        "complementary",
    )
    # Asked for one group alone, the gate still reads the whole cell.
    alone = client.get("/api/results?school=700001&group=male").json()["items"]
    assert [r["pct_at_standard"] for r in alone] == [None]
    gaps = client.get("/api/schools/700001/gaps").json()["against_others"]
    assert {g["group"] for g in gaps} == {"female", "male"}
    assert all(g["pct_at_standard"] is None and g["others_pct"] is None for g in gaps)
    assert all(g["participating"] is None for g in gaps)


def test_no_student_identifier_is_stored_anywhere_in_the_database(world) -> None:
    _import(world)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the schema)
            assert not [row for row in cursor.fetchall() if "QZX" in repr(row)], table
