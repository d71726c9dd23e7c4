import pytest
from django.urls import reverse

from portal.markdown import render_markdown
from tests.accounts.factories import UserFactory
from tests.strategies.factories import SectionFactory, StrategyFactory

HOSTILE = [
    "<script>alert('xss')</script>",
    '<img src="x" onerror="alert(1)">',
    "[klik her](javascript:alert(1))",
    '<a href="javascript:alert(1)">klik</a>',
    '<svg onload="alert(1)"></svg>',
    "<iframe src='https://evil.example'></iframe>",
    '<p style="background:url(javascript:alert(1))">x</p>',
]


@pytest.mark.parametrize("source", HOSTILE)
def test_render_markdown_removes_active_content(source):
    html = render_markdown(source).lower()
    assert "<script" not in html
    assert "onerror" not in html and "onload" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html and "<svg" not in html and "style=" not in html


def test_markdown_keeps_ordinary_formatting():
    html = render_markdown("## Overskrift\n\nEn **fed** [henvisning](https://vallensbaek.dk).\n\n- et\n- to")
    assert "<h2>Overskrift</h2>" in html
    assert "<strong>fed</strong>" in html
    assert '<a href="https://vallensbaek.dk" rel="noopener noreferrer">henvisning</a>' in html
    assert "<li>et</li>" in html


def test_hostile_markdown_in_every_field_never_reaches_a_page_as_markup(db, client):
    payload = "\n\n".join(HOSTILE)
    strategy = StrategyFactory(intro=payload, body=payload, closing=payload)
    section = SectionFactory(
        strategy=strategy,
        intro=payload,
        hearing_intro=payload,
        body=payload,
        goals_intro=payload,
        themes_intro=payload,
        title="<script>alert('titel')</script>",
        tagline='<img src=x onerror="alert(2)">',
    )
    for url in (strategy.get_absolute_url(), section.get_absolute_url()):
        html = client.get(url).content.decode().lower()
        assert html.count("<script") == html.count('<script src="/static/js/')
        assert "onerror=" not in html.replace("onerror=&quot;", "")
        assert 'href="javascript:' not in html
        assert "<img" not in html
        assert "&lt;script&gt;alert(&#x27;titel&#x27;)&lt;/script&gt;" in html


def test_markdownx_preview_is_closed_to_anonymous_users_and_citizens(db, client):
    url = reverse("markdownx_markdownify")
    assert client.post(url, {"content": "**x**"}).status_code == 403
    client.force_login(UserFactory())
    assert client.post(url, {"content": "**x**"}).status_code == 403


def test_markdownx_has_no_image_upload_route(db, client):
    # Rendered Markdown shows no images, so an uploaded one could never be seen.
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.post("/markdownx/upload/", {"image": b""}).status_code == 404


def test_markdownx_preview_for_staff_is_sanitised(db, client):
    client.force_login(UserFactory(is_staff=True))
    response = client.post(reverse("markdownx_markdownify"), {"content": "**fed** <script>alert(1)</script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>fed</strong>" in html
    assert "<script" not in html


def test_markdown_text_is_what_the_page_shows_without_markup():
    from portal.markdown import markdown_excerpt, markdown_text
    from tests.textutil import MARKDOWN_SOURCE, MARKDOWN_SOURCE_TEXT

    assert markdown_text(MARKDOWN_SOURCE) == MARKDOWN_SOURCE_TEXT.replace("? ", "?\n", 1)
    assert markdown_text("- et\n- to\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nlinje  \nskift") == (
        "et\nto\na\nb\n1\n2\nlinje\nskift"  # no two blocks' words run together
    )
    assert markdown_text("<script>alert(1)</script>Tekst") == "Tekst"  # what nh3 removes stays removed
    assert markdown_text(None) == markdown_text("") == ""
    assert markdown_excerpt(MARKDOWN_SOURCE, 6) == "Hvad er en kommuneplanstrategi egentlig? Dette…"
    assert markdown_excerpt(MARKDOWN_SOURCE, 60) == MARKDOWN_SOURCE_TEXT
