"""A moderator of Vallensbæk handles a held attachment from the response's staff page (issue 15, item 4):
reads its text with the findings marked, is refused a replacement that is no PDF (the reason typed is
kept), withholds it with a reason, and the public hearing page shows its name and why, never the file.
Every page passes axe-core; the public and staff pages fit 320 px."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from hearings.models import ResponseAttachment
from tests.browser.conftest import sign_in, vallensbaek_hearing
from tests.hearings.factories import add
from tests.helpers import pdf_bytes

PASSWORD = "hoering-test-2026"  # every factory user's


@pytest.fixture
def attachment_server(live_server, transactional_db, settings, tmp_path):
    hearing = vallensbaek_hearing(settings, tmp_path)
    response = add(hearing, text="Se vedlagte klage over støj.", display_name="Karen Borger")
    attachment = ResponseAttachment(
        response=response, original_name="klage over støj.pdf", kind="pdf", size=len(pdf_bytes()),
        publication="held", publication_note="Mulige personoplysninger i bilaget: CPR-nummer, adresse.",
        text="Min nabo Jens Hansen, Vestergade 12, 2. th., CPR 070761-4285, spiller høj musik hver nat.",
        text_status="extracted",
    )  # fmt: skip
    attachment.file.save("x", ContentFile(pdf_bytes()), save=False)
    attachment.save()
    return live_server, hearing, response, attachment


def test_a_moderator_withholds_a_held_attachment(attachment_server, page, axe_check, tmp_path):
    server, hearing, response, attachment = attachment_server
    sign_in(page, server, "moderator@vallensbaek.dk", password=PASSWORD)
    page.goto(f"{server.url}/personale/svar/{response.pk}/")
    panel = page.locator(f"#bilag-{attachment.pk}")
    expect(panel).to_contain_text("Tilbageholdt til kontrol")
    panel.get_by_text("Vis bilagets tekst").click()
    expect(panel.locator("mark.finding-cpr")).to_have_text("070761-4285")
    expect(panel.locator("mark.finding-address")).to_be_visible()
    axe_check(page)

    # A replacement that is no PDF is refused in Danish; the reason typed is still there.
    panel.get_by_text("Erstat med en udgave med udeladelser").click()
    not_a_pdf = tmp_path / "udeladt.pdf"
    not_a_pdf.write_bytes(b"MZ\x90\x00 this is no pdf")
    panel.get_by_label("Udgave med udeladelser").set_input_files(str(not_a_pdf))
    panel.get_by_label("Hvad er udeladt og hvorfor").fill("CPR-nummer og adresse er udeladt.")
    panel.get_by_role("button", name="Erstat bilaget").click()
    page.wait_for_load_state()
    panel = page.locator(f"#bilag-{attachment.pk}")
    expect(
        panel.get_by_text(
            "Filen udeladt.pdf er ikke en PDF-, Word- (DOCX), ODT-, JPEG- eller PNG-fil.", exact=False
        )
    ).to_be_visible()
    expect(panel.get_by_label("Hvad er udeladt og hvorfor")).to_have_value(
        "CPR-nummer og adresse er udeladt."
    )
    axe_check(page)

    # Withheld, with a reason.
    panel.locator("summary", has_text="Offentliggør ikke").click()
    panel.get_by_label("Begrundelse til afsenderen").fill(
        "Bilaget nævner naboens navn, adresse og CPR-nummer."
    )
    panel.get_by_role("button", name="Offentliggør ikke", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_text("Bilaget klage over støj.pdf offentliggøres ikke.", exact=False)).to_be_visible()
    expect(page.locator(f"#bilag-{attachment.pk}")).to_contain_text("Ikke offentliggjort")
    axe_check(page)

    # The public hearing page, at a desktop width and at 320 px: the name and why, no link to the file.
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{server.url}/hoeringer/{hearing.pk}/")
        item = page.locator(f"#svar-{response.number}")
        expect(item).to_contain_text("klage over støj.pdf")
        expect(item).to_contain_text(
            "Bilaget er ikke offentliggjort, fordi det indeholder personoplysninger."
        )
        expect(item.locator(f'a[href="/bilag/{attachment.pk}/"]')).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        axe_check(page)
        page.goto(f"{server.url}/personale/svar/{response.pk}/")  # the staff page with its panel fits too
        assert page.evaluate("document.documentElement.scrollWidth") <= width
