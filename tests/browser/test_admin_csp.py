"""The admin under its Content Security Policy: django-markdownx's editor still previews as staff type."""

import pytest

from tests.accounts.factories import UserFactory
from tests.hearings.factories import HearingFactory

PASSWORD = "hoering-test-2026"  # tests.factories.UserFactory's password


@pytest.fixture
def server(live_server, transactional_db):
    return live_server


def test_the_markdownx_editor_previews_in_the_admin_without_any_csp_violation(server, page):
    staff = UserFactory(is_staff=True, is_superuser=True)
    hearing = HearingFactory()
    page.goto(server.url + "/admin/login/")
    page.locator("input[name=username]").fill(staff.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")

    response = page.goto(server.url + f"/admin/hearings/hearing/{hearing.pk}/change/")
    assert (
        "'unsafe-inline'"
        not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    )
    editor = page.locator("textarea.markdownx-editor").first
    editor.fill("## Om høringen\n\nSkriv **dit** svar. <script>window.hacked = 1</script>")
    preview = page.locator(".markdownx-preview").first
    preview.locator("h2").wait_for(timeout=10_000)
    assert preview.locator("h2").inner_text() == "Om høringen"
    assert preview.locator("strong").inner_text() == "dit"
    assert page.evaluate("window.hacked === undefined")

    # An image dropped on the editor is not sent to an upload route (there is none): the text stays.
    dropped = page.evaluate(
        """() => {
            const editor = document.querySelector("textarea.markdownx-editor");
            const before = editor.value;
            const data = new DataTransfer();
            data.items.add(new File(["GIF89a"], "kort.gif", {type: "image/gif"}));
            editor.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
            // markdownx dims the editor at once when it starts an upload
            return {unchanged: editor.value === before, uploading: editor.style.opacity === "0.3"};
        }"""
    )
    assert dropped == {"unchanged": True, "uploading": False}
