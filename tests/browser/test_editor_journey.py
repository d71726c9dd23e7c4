"""An editor of Vallensbæk opens a hearing on one of the strategy's sub-visions in the admin; citizens
then find it open on the hearing's page."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from hearings.models import Hearing
from tests.browser.conftest import sign_in


def test_an_editor_creates_and_opens_a_hearing(demo_server, page, axe_check):
    today = timezone.localdate()
    sign_in(page, demo_server, "redaktoer@vallensbaek.example.dk")
    page.goto(demo_server.url + "/admin/hearings/hearing/add/")
    axe_check(page)
    # Only Vallensbæk's strategy is offered.
    options = page.locator("#id_strategy option").all_inner_texts()
    assert any("Kommuneplanstrategi 2018" in o for o in options)
    assert not any("Fremtidens Legeplads" in o for o in options)
    page.locator("#id_strategy").select_option(label="Kommuneplanstrategi 2018 (Vallensbæk Kommune)")
    page.locator("#id_title").fill("Høring om delvision 2: Grønt byliv")
    page.get_by_label("Åbner: dato").fill(today.isoformat())
    page.get_by_label("Åbner: klokkeslæt").fill("00:00:00")
    page.get_by_label("Lukker: dato").fill((today + dt.timedelta(days=10)).isoformat())
    page.get_by_label("Lukker: klokkeslæt").fill("12:00:00")
    page.locator("#id_contact_name").fill("Planafdelingen")
    page.locator("#id_personal_data_removal_on").fill((today + dt.timedelta(days=400)).isoformat())
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    expect(page.locator(".messagelist")).to_contain_text("Høring om delvision 2: Grønt byliv")

    hearing = Hearing.objects.get(title="Høring om delvision 2: Grønt byliv")
    assert hearing.strategy.municipality.slug == "vallensbaek"
    page.goto(demo_server.url + hearing.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Høring om delvision 2: Grønt byliv")
    expect(page.locator(".hearing-state")).to_contain_text("Åben for høringssvar")
    axe_check(page)
