"""Uploading results through the web: validated, imported by a background task, with a progress page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from typer.testing import CliRunner

from capacity.audit.models import Action, AuditEntry
from capacity.evidence.models import Result, ResultImport

GOOD = (
    "school_number,school_year,assessment,group,participating,pct_at_standard,status\n"
    "700001,2018-19,G3-READ,all,40,45,\n"
    "700001,2018-19,G3-MATH,all,40,,nr\n"
    "700003,2018-19,G3-READ,all,25,81.5,\n"
)
BAD = (
    "school_number,school_year,assessment,group,participating,pct_at_standard,status\n"
    "700001,2018-19,G3-READ,all,40,145,\n"
    "999999,2018-19,G3-READ,all,40,45,\n"
)


def upload(client, text: str, name: str = "results.csv", **extra):
    return client.post(
        "/evidence/imports/", {"file": SimpleUploadedFile(name, text.encode()), **extra}
    )


@pytest.fixture
def ministry(client, world):
    client.force_login(world.personas["ministry"])
    return client


def test_a_good_file_is_imported_and_the_page_shows_the_outcome(
    ministry, world, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    response = upload(ministry, GOOD)
    job = ResultImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evidence/imports/{job.pk}/"
    assert job.state == ResultImport.State.APPLIED
    assert Result.objects.count() == 3
    page = ministry.get(response["Location"]).content.decode()
    assert "3 rows: 3 created, 0 updated, 0 unchanged." in page
    assert 'value="100"' in page  # the progress bar is full


def test_uploading_the_same_file_again_changes_nothing(ministry, world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload(ministry, GOOD)
    upload(ministry, GOOD)
    latest = ResultImport.objects.first()
    assert (
        latest.summary["created"] == 0
        and latest.summary["updated"] == 0
        and latest.summary["unchanged"] == 3
    )
    assert Result.objects.count() == 3


def test_a_bad_file_is_rejected_whole_with_every_problem_downloadable(
    ministry, world, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    response = upload(ministry, BAD)
    job = ResultImport.objects.get()
    assert job.state == ResultImport.State.REJECTED
    assert Result.objects.count() == 0
    page = ministry.get(response["Location"]).content.decode()
    assert "Nothing was imported." in page
    problems = ministry.get(f"/evidence/imports/{job.pk}/problems.csv")
    assert problems["Content-Type"].startswith("text/csv")
    lines = problems.content.decode().splitlines()
    assert lines[0] == "row,column,reason"
    assert any(line.startswith("2,pct_at_standard,") for line in lines)
    assert any(line.startswith("3,school_number,") for line in lines)
    assert AuditEntry.objects.filter(action=Action.IMPORT_REJECTED).exists()


def test_a_file_of_the_wrong_kind_never_reaches_the_importer(
    ministry, world, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    response = upload(ministry, GOOD, name="results.pdf")
    assert response.status_code == 200
    assert "Choose a .csv, .xlsx or .parquet file." in response.content.decode()
    assert not ResultImport.objects.exists()


def test_only_ministry_officers_upload(client, world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.personas["board_a"])
    assert upload(client, GOOD).status_code == 403
    assert not ResultImport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_imports_what_the_web_queued(client, world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.personas["ministry"])
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        upload(client, GOOD)
        job = ResultImport.objects.get()
        assert job.state == ResultImport.State.QUEUED
        assert (
            "Waiting for the background worker"
            in client.get(f"/evidence/imports/{job.pk}/").content.decode()
        )
        from capacity.cli import app

        result = CliRunner().invoke(app, ["worker", "--once"])
        assert result.exit_code == 0, result.output
    job.refresh_from_db()
    assert job.state == ResultImport.State.APPLIED
    assert Result.objects.count() == 3


def test_a_running_import_shows_live_progress_from_outside_its_transaction(ministry, world) -> None:
    from django.core.cache import cache

    job = ResultImport.objects.create(
        uploaded_by=world.personas["ministry"],
        file="imports/x.csv",
        original_name="x.csv",
        state=ResultImport.State.RUNNING,
    )
    cache.set(job.progress_key, (500, 1000))
    page = ministry.get(
        f"/evidence/imports/{job.pk}/", headers={"HX-Request": "true"}
    ).content.decode()
    assert 'value="50"' in page and "500 of 1000 rows" in page
    assert 'hx-trigger="every 1s"' in page  # it keeps polling until the import ends


@pytest.mark.slow
def test_a_ministry_officer_uploads_ontarios_tables_and_sees_who_the_2016_rule_identifies(
    ministry, world, settings, tmp_path
) -> None:
    """The issue's whole path on the real published tables (../shared/data/ontario-sif)."""
    from capacity.directory.importers import import_sif

    settings.MEDIA_ROOT = tmp_path
    from tests.conftest import ONTARIO_SIF as data
    from tests.conftest import need

    need(data.exists(), f"Ontario's tables are not in {data}")
    for year in ("2017_2018", "2018_2019"):
        table = data / f"sif_data_table_{year}_en.xlsx"
        assert import_sif(table).applied
        response = ministry.post(
            "/evidence/imports/", {"file": SimpleUploadedFile(table.name, table.read_bytes())}
        )
        assert (
            ResultImport.objects.get(pk=response["Location"].split("/")[-2]).state
            == ResultImport.State.APPLIED
        )

    from tests.evidence.test_cli_identify import below_on_four_of_six

    # An independent recount of the rule by hand with pandas, on the same files.
    expected = below_on_four_of_six(
        data / "sif_data_table_2017_2018_en.xlsx"
    ) & below_on_four_of_six(data / "sif_data_table_2018_2019_en.xlsx")
    page = ministry.get("/evidence/?year=2018-19")
    found = page.context["found"]
    assert {s.school_number for s in found.identified} == expected
    first = found.identified[0]
    assert len(first.reasons) >= 8  # at least 4 below the threshold in each of the two years
    school = ministry.get(f"/schools/{first.school_number}/evidence/?year=2018-19")
    assert school.context["status"].status == "identified"
    assert school.context["odds"] is not None  # the context model fits on the published context
    simulated = ministry.get(
        "/evidence/simulate/?year=2018-19&current=ofip-2016&proposed=ofip-2016&threshold=55"
    ).context["outcome"]
    assert simulated.counts["current"] == len(expected) and simulated.counts["proposed"] > len(
        expected
    )
    assert simulated.counts["leaving"] == 0


def test_it_records_who_uploaded_a_results_file_in_the_audit_log(
    ministry, world, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload(ministry, GOOD, name="eqao-2019.csv", school_year="2018-19")
    job = ResultImport.objects.get()
    entry = AuditEntry.objects.get(action=Action.RESULTS_UPLOADED)
    assert entry.actor == world.personas["ministry"] and entry.target == "eqao-2019.csv"
    assert entry.detail["import"] == job.pk and entry.detail["school_year"] == "2018-19"


def test_it_refuses_an_upload_from_someone_who_may_not_import_results(
    world, settings, tmp_path
) -> None:
    from django.core.exceptions import PermissionDenied

    from capacity.evidence import services

    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(PermissionDenied):
        services.result_import_create(
            user=world.personas["board_a"], file=SimpleUploadedFile("results.csv", GOOD.encode())
        )
    assert (
        not ResultImport.objects.exists()
        and not AuditEntry.objects.filter(action=Action.RESULTS_UPLOADED).exists()
    )
