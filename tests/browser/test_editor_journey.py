"""An editor of Vallensbæk opens a hearing on one of the strategy's sub-visions in the admin; citizens
then find it open on the hearing's page."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from hearings.models import Hearing
from portal.demo import DEMO_PASSWORD
from tests.browser import keyboard
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


def test_the_editor_journey_by_keyboard_alone(demo_server, page):
    """The same in the admin with Tab, Enter and typing only, with a visible focus at every stop: the
    Markdown field (whose editor used to keep Tab for indenting) lets the focus go on, and the date
    shortcut 'I dag' works with Enter."""
    today = timezone.localdate()
    page.goto(demo_server.url + "/konto/login/?next=/admin/")
    keyboard.sign_in(page, "redaktoer@vallensbaek.example.dk", DEMO_PASSWORD)
    keyboard.follow(page, page.locator("#content-main a[href$='/hearings/hearing/add/']"))

    # The admin puts the focus in the first field; typing picks the strategy.
    strategy = page.locator("#id_strategy")
    keyboard.assert_focused(page, strategy)
    page.keyboard.type("Kommuneplan")
    expect(strategy.locator("option:checked")).to_have_text("Kommuneplanstrategi 2018 (Vallensbæk Kommune)")
    keyboard.fill(page, page.locator("#id_title"), "Høring om delvision 3: Trygge veje")
    keyboard.fill(page, page.locator("#id_intro"), "Vi vil gerne høre om **skolevejene**.")
    # The preview below the field (it moves what follows it down once it arrives).
    expect(page.locator(".markdownx-preview strong")).to_have_text("skolevejene")
    keyboard.tab_to(page, page.get_by_label("Åbner: dato"), max_tabs=1)  # Tab leaves the Markdown field
    expect(page.locator("#id_intro")).to_have_value("Vi vil gerne høre om **skolevejene**.")
    keyboard.activate(
        page, page.locator("#id_opens_at_0 ~ .datetimeshortcuts").get_by_role("link", name="I dag")
    )
    expect(page.get_by_label("Åbner: dato")).not_to_have_value("")
    keyboard.fill(page, page.get_by_label("Åbner: klokkeslæt"), "00:00:00")
    keyboard.fill(page, page.get_by_label("Lukker: dato"), (today + dt.timedelta(days=10)).isoformat())
    keyboard.fill(page, page.get_by_label("Lukker: klokkeslæt"), "12:00:00")
    keyboard.fill(page, page.locator("#id_contact_name"), "Vej og Park")
    keyboard.fill(
        page, page.locator("#id_personal_data_removal_on"), (today + dt.timedelta(days=400)).isoformat()
    )
    keyboard.follow(page, page.locator("input[name=_continue]"))
    expect(page.locator(".messagelist")).to_contain_text("Høring om delvision 3: Trygge veje")

    hearing = Hearing.objects.get(title="Høring om delvision 3: Trygge veje")
    assert timezone.localtime(hearing.opens_at).date() == today
    # From the change page to the hearing's own page, where it is open.
    keyboard.follow(page, page.locator("a.viewsitelink"))
    expect(page.locator("h1")).to_have_text("Høring om delvision 3: Trygge veje")
    expect(page.locator(".hearing-state")).to_contain_text("Åben for høringssvar")
    expect(page.get_by_text("Vi vil gerne høre om skolevejene.")).to_be_visible()
