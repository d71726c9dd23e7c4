"""Template source that Django would print as text: a ``{# … #}`` comment is one line only, and one that
spans lines reaches the page word for word (it did, on every strategy page's hearing box)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.urls import reverse
from django.utils import timezone

from tests.hearings.factories import HearingFactory

TEMPLATE_DIRS = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]


def templates():
    return sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*") if p.suffix in (".html", ".txt", ".xml"))


def test_no_template_prints_its_comment_or_tag_syntax():
    printed = [
        f"{path.relative_to(settings.BASE_DIR)}:{token.lineno}: {token.contents.strip()[:60]!r}"
        for path in templates()
        for token in Lexer(path.read_text()).tokenize()
        if token.token_type == TokenType.TEXT and ("{#" in token.contents or "{%" in token.contents)
    ]
    assert printed == []


@pytest.mark.django_db
def test_the_strategy_page_shows_no_template_syntax(client):
    now = timezone.now()
    hearing = HearingFactory(opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=9))
    for url in (hearing.strategy.get_absolute_url(), hearing.get_absolute_url(), reverse("hearings:list")):
        response = client.get(url)
        assert response.status_code == 200
        assert hearing.title in response.content.decode()
        assert "{#" not in response.content.decode() and "#}" not in response.content.decode(), url
