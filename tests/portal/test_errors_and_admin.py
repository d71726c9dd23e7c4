from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.accounts.factories import UserFactory


def test_the_500_page_is_danish_with_an_english_line(db):
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="da">' in html
    assert "Der opstod en fejl" in html
    assert '<div lang="en">' in html


def test_staff_edit_strategies_in_the_admin_with_markdownx(vallensbaek, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:strategies_strategy_change", args=[vallensbaek.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "markdownx-editor" in html
    assert "markdownx-preview" in html
    section = vallensbaek.sections.get(number=5)
    response = client.get(reverse("admin:strategies_section_change", args=[section.pk]))
    assert response.status_code == 200
    assert "Vallensbæks institutioner og skoler er udviklende" in response.content.decode()


def test_the_admin_is_closed_to_citizens(db, client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:strategies_strategy_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
