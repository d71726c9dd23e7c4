"""Hostile text in the hearing proposal and summary PDFs: shown as text, and nothing fetched but the
portal's own static files."""

import subprocess

import pytest
from django.conf import settings

from documents import content as doc_content
from documents import layout as doc_layout
from documents import parts as summary_pdf
from documents import pdf as doc_pdf
from hearings.models import Response
from strategies.models import Section, Strategy
from tests.moderation.factories import RemarkFactory

from .conftest import live_markup

PDF_PAYLOADS = [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>@import url(https://evil.example/a.css); body{background:url(file:///etc/passwd)}</style>",
    "<script>alert(1)</script>",
    "<iframe src=file:///etc/shadow></iframe>",
    '<object data="http://127.0.0.1:6379/"></object>',
]


@pytest.mark.parametrize("kind", ["summary", "proposal"])
def test_hostile_text_in_the_pdfs_is_text_and_nothing_is_fetched(w, monkeypatch, kind):
    fetched = []
    real = doc_pdf._fetch_static

    def recording(url, response_class):
        fetched.append(url)
        return real(url, response_class)

    monkeypatch.setattr(doc_pdf, "_fetch_static", recording)
    joined = " ".join(PDF_PAYLOADS)
    markdown = "\n\n".join([*PDF_PAYLOADS, "![x](file:///etc/passwd)", "![y](https://evil.example/p.png)"])
    Strategy.objects.filter(pk=w.v_strategy.pk).update(
        intro=markdown, body=markdown, subtitle=PDF_PAYLOADS[0]
    )
    Section.objects.filter(pk=w.v_section.pk).update(body=markdown, tagline=PDF_PAYLOADS[0])
    Response.objects.filter(pk=w.v_response.pk).update(text=joined, display_name=PDF_PAYLOADS[0],
                                                       organisation_name=PDF_PAYLOADS[1],
                                                       target_section=w.v_section)  # fmt: skip
    RemarkFactory(response=w.v_response, text=joined, recommendation="noted")
    hearing = type(w.v_hearing).objects.get(pk=w.v_hearing.pk)
    content = doc_content.content_for(hearing, kind)
    from django.utils import timezone

    html = doc_layout.render_html(content, made_at=timezone.now())
    # Only our own static files and the summary's charts (SVG made by bar_chart_svg, its text escaped).
    found = live_markup(html.replace('href="static:', 'href="/static/'))
    assert [f for f in found if not f.startswith("<svg [('xmlns', 'http://www.w3.org/2000/svg')")] == []
    if kind == "summary":  # as the portal makes it: in parts, here in this process so the fetcher records
        monkeypatch.setattr(settings, "DOCUMENT_RENDER_PROCESSES", 1)
        context = doc_layout.summary_context(content, made_at=timezone.now())
        pdf, _pages, _work = summary_pdf.render(context, hearing_id=hearing.pk, title="t", author="a")
    else:
        pdf, _pages = doc_pdf.render_pdf(html, title="t", author="a")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = " ".join(text.split())
    assert all(url.startswith("static:") for url in fetched), fetched
    assert "root:x:0:0" not in text
    if kind == "summary":
        for payload in PDF_PAYLOADS:
            assert " ".join(payload.split()) in flat, payload
    else:
        assert PDF_PAYLOADS[0] in flat  # the subtitle, a plain field, is text
