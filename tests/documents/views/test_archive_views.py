"""The staff's pages of the archive for the journal system: who may have it, the progress page, the
download, and bad states (a Danish message, never a 500).

Who: the hearing municipality's editors, moderators and council members and the operator, the people
who see the hearing's staff pages (documents.permissions.may_download_archive). Signed in without such a
role (a citizen, staff of another municipality): 404, as every staff page. Anonymous: the login page."""

import datetime as dt
import io
import json
import zipfile
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import ArchiveJob
from tests.hearings.factories import ResponseFactory

ALLOWED = ["v_editor", "v_moderator", "v_council", "superuser"]
REFUSED = ["citizen", "b_editor", "b_moderator", "b_council"]


def page(hearing) -> str:
    return reverse("documents:archive", args=[hearing.pk])


def status(job) -> str:
    return reverse("documents:archive_status", args=[job.hearing_id, job.pk])


def job_of(hearing, **fields) -> ArchiveJob:
    return ArchiveJob.objects.create(
        hearing=hearing, fingerprint=f"{ArchiveJob.objects.count():064x}", **fields
    )


@pytest.mark.parametrize("who", ALLOWED)
def test_staff_of_the_municipality_see_the_archive_page(client, world, who):
    client.force_login(world["users"][who])
    answer = client.get(page(world["v_hearing"]))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Arkiv til journalsystemet" in html and "Lav arkivet" in html
    assert "PDF/A-2b" in html


@pytest.mark.parametrize("who", REFUSED)
def test_everyone_else_gets_a_404_for_every_archive_address(client, world, who):
    hearing = world["v_hearing"]
    job = job_of(hearing, status="done", file="documents/x.zip", total=1, done=1)
    client.force_login(world["users"][who])
    for url in (page(hearing), status(job), reverse("documents:archive_file", args=[hearing.pk, job.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(page(hearing)).status_code == 404
    assert not ArchiveJob.objects.exclude(pk=job.pk).exists()


def test_the_anonymous_are_sent_to_sign_in(client, world):
    answer = client.get(page(world["v_hearing"]))
    assert answer.status_code == 302 and "/konto/login/" in answer["Location"]


def test_a_job_is_only_found_through_its_own_hearing(client, world):
    """A Billund moderator with Billund's hearing id and Vallensbæk's job id: 404."""
    job = job_of(world["v_hearing"], status="done", total=1, done=1)
    client.force_login(world["users"]["b_moderator"])
    assert (
        client.get(reverse("documents:archive_status", args=[world["b_hearing"].pk, job.pk])).status_code
        == 404
    )


def test_the_progress_page_shows_the_step_and_how_far_it_is_with_and_without_javascript(
    client, world, django_assert_max_num_queries
):
    job = job_of(world["v_hearing"], status="rendering", total=2000, done=640)
    client.force_login(world["users"]["v_council"])
    with django_assert_max_num_queries(12):
        html = client.get(status(job)).content.decode()
    assert "Høringssvarene laves som PDF" in html and "640 af 2000" in html
    assert '<meta http-equiv="refresh" content="3">' in html  # inside <noscript>: the page refreshes itself
    assert "document-status.js" in html
    data = json.loads(client.get(status(job) + "?format=json").content)
    assert data == {"status": "rendering", "label": "Høringssvarene laves som PDF (640 af 2000)", "done": 640,
                    "total": 2000, "download": None}  # fmt: skip
    ArchiveJob.objects.filter(pk=job.pk).update(status="packing", done=10)
    assert "Arkivet pakkes (10 af 2000)" in client.get(status(job)).content.decode()


def test_a_failed_archive_shows_its_danish_reason_and_try_again(
    client, world, django_capture_on_commit_callbacks
):
    job = job_of(
        world["v_hearing"], status="failed", error="Høringsnotat kunne ikke laves: Der skete en fejl."
    )
    client.force_login(world["users"]["v_editor"])
    html = client.get(status(job)).content.decode()
    assert (
        "Arkivet kunne ikke laves" in html and "Høringsnotat kunne ikke laves" in html and "Prøv igen" in html
    )
    assert "meta http-equiv" not in html


def test_an_open_hearing_gets_a_danish_message_not_an_archive(client, world):
    hearing = world["v_hearing"]
    hearing.closes_at = timezone.now() + dt.timedelta(days=3)
    hearing.save()
    client.force_login(world["users"]["v_moderator"])
    html = client.get(page(hearing)).content.decode()
    assert "først laves, når høringen er lukket" in html and "Lav arkivet" not in html
    answer = client.post(page(hearing))
    assert answer.status_code == 400
    assert "først laves, når høringen er lukket" in answer.content.decode()
    assert not ArchiveJob.objects.exists()


def test_a_download_before_it_is_done_or_after_its_file_is_gone_says_so_in_danish(client, world):
    hearing = world["v_hearing"]
    client.force_login(world["users"]["v_editor"])
    working = job_of(hearing, status="packing", total=3)
    answer = client.get(reverse("documents:archive_file", args=[hearing.pk, working.pk]), follow=True)
    assert "Arkivet er ikke færdigt endnu." in answer.content.decode()
    gone = job_of(hearing, status="done", file="documents/findes-ikke.zip", total=1, done=1)
    answer = client.get(reverse("documents:archive_file", args=[hearing.pk, gone.pk]))
    assert answer.status_code == 404
    assert "Arkivets fil findes ikke længere. Lav arkivet igen." in answer.content.decode()


def test_staff_ask_for_the_archive_follow_its_progress_and_download_it(
    client, world, django_capture_on_commit_callbacks
):
    hearing = world["v_hearing"]
    ResponseFactory(hearing=hearing, number=1, text="Et svar til arkivet.")
    client.force_login(world["users"]["v_moderator"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(page(hearing))
    job = ArchiveJob.objects.get(hearing=hearing)
    assert answer.status_code == 302 and urlsplit(answer["Location"]).path == status(job)
    html = client.get(status(job)).content.decode()
    assert "Arkivet er klar: 1 høringssvar" in html
    # The page's address now leads to this job; asking again makes nothing new.
    assert urlsplit(client.get(page(hearing))["Location"]).path == status(job)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(hearing))
    assert ArchiveJob.objects.count() == 1
    download = client.get(reverse("documents:archive_file", args=[hearing.pk, job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert f'filename="arkiv-hoering-{hearing.pk}.zip"' in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as zipped:
        assert "svar/0001/hoeringssvar-1.pdf" in zipped.namelist()


def test_the_link_is_where_staff_download_the_summary(client, world):
    hearing = world["v_hearing"]
    client.force_login(world["users"]["v_council"])
    assert page(hearing) in client.get(reverse("moderation:overview", args=[hearing.pk])).content.decode()
    client.force_login(world["users"]["citizen"])
    assert page(hearing) not in client.get(hearing.get_absolute_url()).content.decode()
