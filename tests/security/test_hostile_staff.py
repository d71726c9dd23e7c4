"""Hostile input that reaches the staff: flag notes and reasons, moderation notes and remarks shown
as text on the staff and public pages, and the other municipality's ids in every staff URL."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape

from analysis.models import Campaign, Signature, Suggestion, Topic, TopicResponse
from documents.models import ArchiveJob
from guard.models import AttachmentOriginal, Redaction, TermList
from hearings.models import Response, ResponseAttachment
from moderation.models import Flag, ModerationEvent, Remark
from tests.analysis.factories import TopicFactory, TopicResponseFactory
from tests.helpers import pdf_bytes, upload

from .conftest import XSS, assert_inert, text_of

# --- Notes, flags and remarks --------------------------------------------------------------------------


@pytest.mark.parametrize("payload", list(XSS.values()), ids=list(XSS))
def test_markup_in_a_flag_note_is_shown_as_text_to_the_moderator(client, w, payload):
    client.force_login(w.other_citizen)
    url = reverse("moderation:flag", args=[w.v_hearing.pk, w.v_response.number])
    assert client.post(url, {"reason": "offensive", "note": payload}).status_code == 302
    assert Flag.objects.get(response=w.v_response).note == payload.strip()
    client.force_login(w.v_moderator)
    for page in (
        reverse("moderation:response", args=[w.v_response.pk]),
        reverse("moderation:queue") + "?tab=flagged",
    ):
        html = client.get(page).content.decode()
        assert_inert(html, page)
    assert (
        text_of(payload.strip())
        in client.get(reverse("moderation:response", args=[w.v_response.pk])).content.decode()
    )


@pytest.mark.parametrize(
    "reason", ["<script>alert(1)</script>", '" onclick="alert(1)', "offensive\x00", "", "x" * 10_000]
)
def test_a_hostile_flag_reason_is_refused_and_the_note_kept(client, w, reason):
    client.force_login(w.other_citizen)
    note = "Nævner <b>naboens</b> navn"
    answer = client.post(reverse("moderation:flag", args=[w.v_hearing.pk, w.v_response.number]),
                         {"reason": reason, "note": note})  # fmt: skip
    html = answer.content.decode()
    assert answer.status_code == 400
    assert 'id="id_reason_error"' in html
    assert_inert(html, "the refused flag form")
    assert escape(note) in html
    assert not Flag.objects.exists()


@pytest.mark.parametrize("payload", list(XSS.values()), ids=list(XSS))
def test_markup_in_a_moderation_note_is_shown_as_text(client, w, payload):
    client.force_login(w.v_moderator)
    answer = client.post(reverse("moderation:moderate", args=[w.v_response.pk]),
                         {"action": "hidden", "reason": "offensive", "note": payload})  # fmt: skip
    assert answer.status_code == 302
    assert (
        ModerationEvent.objects.filter(response=w.v_response, action="hidden").get().note == payload.strip()
    )
    html = client.get(reverse("moderation:response", args=[w.v_response.pk])).content.decode()
    assert_inert(html, "the staff page")
    assert text_of(payload.strip()) in html
    public = client.get(w.v_hearing.get_absolute_url()).content.decode()
    assert_inert(public, "the hearing page")
    # Refused (a reason is required to hide): the note typed is kept.
    refused = client.post(reverse("moderation:moderate", args=[w.v_response.pk]),
                          {"action": "restored", "reason": "<x>", "note": payload})  # fmt: skip
    assert refused.status_code == 400
    assert_inert(refused.content.decode(), "the refused moderation form")
    assert f">\n{escape(payload)}</textarea>" in refused.content.decode()


@pytest.mark.parametrize("payload", list(XSS.values()), ids=list(XSS))
def test_markup_in_a_remark_is_shown_as_text_on_staff_and_public_pages(client, w, payload):
    client.force_login(w.v_editor)
    answer = client.post(reverse("moderation:remark", args=[w.v_response.pk]),
                         {"recommendation": "noted", "text": payload})  # fmt: skip
    assert answer.status_code == 302
    assert Remark.objects.get(response=w.v_response).text == payload.strip()
    for page in (reverse("moderation:response", args=[w.v_response.pk]), w.v_response.get_absolute_url(),
                 w.v_hearing.get_absolute_url()):  # fmt: skip
        html = client.get(page).content.decode()
        assert_inert(html, page)
        assert text_of(payload.strip()) in html, page
    refused = client.post(reverse("moderation:remark", args=[w.v_response.pk]),
                          {"recommendation": "<script>", "text": payload})  # fmt: skip
    html = refused.content.decode()
    assert refused.status_code == 400
    assert_inert(html, "the refused remark form")
    assert f">\n{escape(payload)}</textarea>" in html


@pytest.mark.parametrize("payload", list(XSS.values()), ids=list(XSS))
def test_markup_in_the_municipalitys_word_list_is_shown_as_text(client, w, payload):
    client.force_login(w.v_editor)
    terms = f"Troldehøj\n{payload}"
    answer = client.post(
        reverse("guard_terms:terms", args=[w.v_municipality.pk]), {"enabled": "on", "terms": terms}
    )
    assert answer.status_code == 302
    saved = TermList.objects.get(municipality=w.v_municipality).terms
    client.force_login(w.v_council)  # the council member's page lists the terms as text
    html = client.get(reverse("guard_terms:terms", args=[w.v_municipality.pk])).content.decode()
    assert_inert(html, "the word list")
    assert text_of(saved.splitlines()[1]) in html


# --- The other municipality's ids in every staff URL -----------------------------------------------------


def staff_patterns() -> list[tuple[str, str, URLPattern]]:
    """Every staff URL with an id, in whichever app it lives: (namespace:name, route, pattern)."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
                )
            else:
                yield f"{namespace}:{pattern.name}", prefix + str(pattern.pattern), pattern

    return [found for found in walk(get_resolver().url_patterns)
            if found[1].startswith("personale/") and "<int:pk>" in found[1]]  # fmt: skip


def staff_url_cases():
    for name, _route, pattern in staff_patterns():
        view = pattern.callback.view_class
        for method in ("get", "post"):
            if hasattr(view, method):
                for actor in ("v_moderator", "v_editor", "v_council"):
                    yield pytest.param(name, method, actor, id=f"{name}-{method}-{actor}")


def test_the_staff_url_cases_cover_every_staff_url_with_an_id():
    names = {name for name, _route, _pattern in staff_patterns()}
    assert names == {case.values[0] for case in staff_url_cases()}
    assert {"moderation:response", "moderation:moderate", "moderation:remark", "moderation:overview",
            "documents:export_xlsx", "documents:export_csv", "documents:publish_summary",
            "guard_attachments:download", "guard_attachments:original", "guard_attachments:release",
            "guard_attachments:withhold", "guard_attachments:replace", "guard:redact", "guard_terms:terms",
            "documents:archive", "documents:archive_status", "documents:archive_file"} <= names  # fmt: skip


def _state(w) -> tuple:
    return (
        sorted(Response.objects.values_list("pk", "status")),
        Remark.objects.count(), ModerationEvent.objects.count(),
        type(w.b_hearing).objects.get(pk=w.b_hearing.pk).summary_published_at,
        sorted(Topic.objects.values_list("pk", "title", "version")), TopicResponse.objects.count(),
        sorted(Signature.objects.values_list("pk", "campaign_id", "pinned")), Campaign.objects.count(),
        sorted(Suggestion.objects.values_list("pk", "status")),
        sorted(ResponseAttachment.objects.values_list("pk", "publication", "file", "original_name")),
        AttachmentOriginal.objects.count(),
        sorted(Response.objects.values_list("pk", "text", "display_name", "organisation_name")),
        Redaction.objects.count(),
        sorted(TermList.objects.values_list("municipality_id", "enabled", "terms")),
        sorted(ArchiveJob.objects.values_list("pk", "hearing_id", "status")),
    )  # fmt: skip


def _other_municipalitys_analysis(w) -> dict[str, int]:
    """A topic, a campaign (of two responses), a suggestion and an attachment (held, replaced once) of the
    other municipality's hearing."""
    topic = TopicFactory(hearing=w.b_hearing, title="Billunds emne")
    TopicResponseFactory(topic=topic, response=w.b_response)
    campaign = Campaign.objects.create(hearing=w.b_hearing, representative=w.b_response)
    for response in (w.b_response, w.b_pending):
        Signature.objects.create(
            response=response, hearing=w.b_hearing, text_hash="x", shingles=b"", words=b"", campaign=campaign
        )
    suggestion = Suggestion.objects.create(hearing=w.b_hearing, label="billund · legeplads")
    suggestion.responses.set([w.b_pending])
    attachment = ResponseAttachment.objects.create(
        response=w.b_pending, file="attachments/b.pdf", original_name="b.pdf", kind="pdf", size=1,
        publication="held",
    )  # fmt: skip
    AttachmentOriginal.objects.create(attachment=attachment, file="attachments/b0.pdf", original_name="b0.pdf",
                                      kind="pdf", size=1, replaced_at=attachment.created_at)  # fmt: skip
    job = ArchiveJob.objects.create(hearing=w.b_hearing, fingerprint="b" * 64, status="failed")
    return {
        "topic": topic.pk,
        "campaign": campaign.pk,
        "suggestion_pk": suggestion.pk,
        "response": w.b_pending.pk,
        "attachment": attachment.pk,
        "job_pk": job.pk,
    }


@pytest.mark.parametrize(("name", "method", "actor"), list(staff_url_cases()))
def test_the_other_municipalitys_ids_are_not_found_on_every_staff_url(client, w, name, method, actor):
    route = next(route for found, route, _pattern in staff_patterns() if found == name)
    inner = _other_municipalitys_analysis(w)
    other = (
        w.b_pending if route.startswith("personale/svar/")
        else w.b_municipality if route.startswith("personale/kommuner/")
        else w.b_hearing
    )  # fmt: skip
    names = re.findall(r"<int:(\w+)>", route)
    # Every id the other municipality's; and, where ids inside the hearing follow its own, the user's own
    # hearing with the other municipality's topic, campaign, suggestion or response.
    urls = [reverse(name, kwargs={"pk": other.pk, **{n: inner[n] for n in names[1:]}})]
    if len(names) > 1:
        urls.append(reverse(name, kwargs={"pk": w.v_hearing.pk, **{n: inner[n] for n in names[1:]}}))
    before = _state(w)
    client.force_login(getattr(w, actor))
    data = {"action": "published", "reason": "offensive", "recommendation": "noted", "text": "x", "note": "x",
            "title": "Overtaget", "version": "1", "topic": inner["topic"], "into": inner["campaign"],
            "campaign": inner["campaign"], "response": [str(w.b_pending.pk)], "quote": "x",
            "guard-findings": ["text:0:1"], "guard-passage": w.b_pending.text[:20], "guard-seen": "",
            "enabled": "on", "terms": "Overtaget"}  # fmt: skip
    for url in urls:
        answer = (
            client.get(url)
            if method == "get"
            else client.post(url, {**data, "file": upload("x.pdf", pdf_bytes())})
        )
        assert answer.status_code == 404, url
    assert _state(w) == before


def test_bulk_publish_skips_the_other_municipalitys_ids(client, w):
    client.force_login(w.v_moderator)
    answer = client.post(
        reverse("moderation:bulk_publish"), {"response": [str(w.b_pending.pk), "-1", "x", "9" * 30]}
    )
    assert answer.status_code == 302
    assert Response.objects.get(pk=w.b_pending.pk).status == "pending"
