"""Hostile Markdown saved through the admin, previewed with markdownx, or written straight into every
Markdown field: never markup on a page."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from portal.markdown import render_markdown
from strategies.models import Section, Strategy

from .conftest import XSS, assert_inert, live_markup

MARKDOWN = {
    **{key: value for key, value in XSS.items() if key not in {"attr-injection", "entity-encoded"}},
    "md-js-link": "[klik her](javascript:alert(1))",
    "md-js-link-obfuscated": "[klik](jav&#x09;ascript:alert(1)) [b](JaVaScRiPt:alert(1))",
    "md-data-link": "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "md-image-file": "![passwd](file:///etc/passwd)",
    "md-image-remote": "![spor](https://evil.example/pixel.png)",
    "md-reference-link": "[klik][x]\n\n[x]: javascript:alert(1)",
    "md-html-block": '<div onclick="alert(1)">\n\n**fed**\n\n</div>',
    "md-autolink": "<javascript:alert(1)>",
    "md-link-title": '[a](https://example.org "x\\" onmouseover=\\"alert(1)")',
    "md-object": '<object data="https://evil.example/x.swf"></object><embed src=x>',
    "md-form": '<form action="https://evil.example"><button formaction="javascript:alert(1)">x</button></form>',
    "md-meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "md-base": '<base href="https://evil.example/">',
    "md-attr-list": 'Afsnit\n{: onclick="alert(1)" }',
}


def admin_post_data(page) -> dict:
    """The data the admin's change form would post as it stands (fields, inlines, management forms)."""
    data = {}
    form = page.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = field.widget.format_value(value) if hasattr(field.widget, "format_value") else value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value not in (None, False):
                    data[sub.add_prefix(name)] = "on" if value is True else value
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("payload", list(MARKDOWN.values()), ids=list(MARKDOWN))
@pytest.mark.parametrize("actor", ["superuser", "editor"])
def test_hostile_markdown_saved_through_the_admin_never_reaches_a_page_as_markup(client, w, actor, payload):
    client.force_login(w.superuser if actor == "superuser" else w.v_editor)
    if actor == "superuser":
        obj, field, admin_url, page_url = (w.v_strategy, "intro", "admin:strategies_strategy_change",
                                           w.v_strategy.get_absolute_url())  # fmt: skip
    else:
        obj, field, admin_url, page_url = (w.v_section, "body", "admin:strategies_section_change",
                                           w.v_section.get_absolute_url())  # fmt: skip
    url = reverse(admin_url, args=[obj.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = {**admin_post_data(form), field: payload}
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == payload
    # The admin's own change form shows the source as text in its textarea.
    if actor == "superuser":
        assert f">\n{escape(payload)}</textarea>" in client.get(url).content.decode()
    html = client.get(page_url).content.decode()
    assert_inert(html, page_url)


@pytest.mark.parametrize("payload", list(MARKDOWN.values()), ids=list(MARKDOWN))
def test_the_markdownx_preview_sanitises_hostile_markdown(client, w, payload):
    client.force_login(w.v_editor)
    answer = client.post(reverse("markdownx_markdownify"), {"content": payload})
    assert answer.status_code == 200
    assert live_markup(answer.content.decode()) == []
    assert str(render_markdown(payload)) == answer.content.decode()


@pytest.mark.parametrize("payload", list(MARKDOWN.values()), ids=list(MARKDOWN))
def test_hostile_markdown_in_every_markdown_field_is_inert_on_its_pages(client, w, payload):
    Strategy.objects.filter(pk=w.v_strategy.pk).update(intro=payload, body=payload, closing=payload,
                                                       subtitle=payload)  # fmt: skip
    Section.objects.filter(pk=w.v_section.pk).update(intro=payload, hearing_intro=payload, body=payload,
                                                     goals_intro=payload, themes_intro=payload,
                                                     tagline=payload)  # fmt: skip
    type(w.v_hearing).objects.filter(pk=w.v_hearing.pk).update(intro=payload)
    client.force_login(w.citizen)
    for url in (w.v_strategy.get_absolute_url(), w.v_section.get_absolute_url(), w.v_hearing.get_absolute_url(),
                w.v_municipality.get_absolute_url()):  # fmt: skip
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert_inert(answer.content.decode(), url)
