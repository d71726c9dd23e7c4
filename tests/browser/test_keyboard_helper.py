"""The keyboard journeys' focus check must fail where a keyboard user would be lost: no focus indicator,
an indicator that is there whether focused or not, a focused element off screen, a control out of reach."""

import pytest
from playwright.sync_api import expect

from tests.browser import keyboard

PAGE = """<!DOCTYPE html><html lang="da"><head><style>
  a:focus, button:focus { outline: 3px solid #454545; }
  #bare:focus { outline: none; }
  #always, #always:focus { outline: none; box-shadow: 0 0 0 3px #454545; }
  #away { position: absolute; left: -9999px; }
</style></head><body>
  <a href="#x">Med ring</a>
  %s
</body></html>"""
CASES = {
    "#bare": '<button id="bare">Uden ring</button>',
    "#always": '<button id="always">Altid skygge</button>',
    "#away": '<a id="away" href="#y">Uden for skærmen</a>',
    "#unreachable": '<button id="unreachable" tabindex="-1">Kun med mus</button>',
}


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("#bare", "no visible focus indicator"),
        ("#always", "no visible focus indicator"),
        ("#away", "not on screen"),
        ("#unreachable", "not reached in 10 x Tab"),
    ],
)
def test_the_focus_check_fails_where_a_keyboard_user_is_lost(page, target, message):
    page.set_content(PAGE % CASES[target])
    with pytest.raises(AssertionError, match=message):
        keyboard.tab_to(page, page.locator(target), max_tabs=10)


def test_the_focus_check_passes_a_visible_outline(page):
    page.set_content(PAGE % "")
    stops = keyboard.tab_to(page, page.get_by_role("link", name="Med ring"))
    assert stops == ['<a> "Med ring"']
    expect(page.get_by_role("link", name="Med ring")).to_be_focused()
