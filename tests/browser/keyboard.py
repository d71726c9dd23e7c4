"""Keyboard-only driving of a page, for the journeys that a citizen or a member of staff does without a
mouse: Tab (or Shift+Tab) to a control, activate it with Enter or Space, type into a field once it has
focus. Every stop on the way must show where the focus is (WCAG 2.4.7), so each one is checked.

"Shows where the focus is" means: the element (or, for DKFDS's checkboxes and radios, whose input is
transparent, its label's ::before box) has an outline or a box-shadow while focused that it does not have
once blurred, and that box is on screen. The check blurs the element, reads its unfocused look and gives
it focus back; Chromium keeps :focus-visible on a focus() that follows keyboard navigation, and the
check asserts that it did.
"""

from playwright.sync_api import Locator, Page

# Returns a description of the focused element and what marks its focus, or null when nothing has focus.
FOCUS_STATE = r"""
(target) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const transparent = (color) => color === 'transparent' || /rgba\(.*,\s*0\)$/.test(color);
  const look = (node, pseudo) => {
    const s = getComputedStyle(node, pseudo);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1 && !transparent(s.outlineColor)
      ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : '';
    return {outline, shadow: s.boxShadow === 'none' ? '' : s.boxShadow, border: s.borderColor,
            background: s.backgroundColor, decoration: s.textDecorationLine};
  };
  // DKFDS hides the checkbox or radio itself (opacity 0) and draws it, and its focus ring, on the label.
  const drawnByLabel = el.matches('input.form-checkbox, input.form-radio') && el.labels && el.labels.length;
  const shown = drawnByLabel ? el.labels[0] : el;
  const pseudo = drawnByLabel ? '::before' : null;
  const focused = look(shown, pseudo);
  const focusVisible = el.matches(':focus-visible');
  el.blur();
  const unfocused = look(shown, pseudo);
  el.focus({preventScroll: true});
  const rect = shown.getBoundingClientRect();
  const onScreen = rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
    && rect.top < window.innerHeight && rect.left < window.innerWidth;
  const name = (el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText)
    || el.innerText || el.value || el.getAttribute('name') || '').trim().replace(/\s+/g, ' ').slice(0, 80);
  return {
    description: `<${el.tagName.toLowerCase()}${el.id ? ' id=' + el.id : ''}${el.type ? ' type=' + el.type : ''}> "${name}"`,
    isTarget: target !== null && el === target,
    restored: document.activeElement === el,
    focusVisible,
    onScreen,
    indicator: (focused.outline && focused.outline !== unfocused.outline)
      || (focused.shadow && focused.shadow !== unfocused.shadow),
    focused,
    unfocused,
  };
}
"""


def focus_state(page: Page, target=None) -> dict | None:
    return page.evaluate(FOCUS_STATE, target)


def assert_visible_focus(page: Page) -> dict:
    """The focused element shows a focus indicator on screen (and it is not just its resting look)."""
    state = focus_state(page)
    assert state is not None, f"nothing has focus on {page.url}"
    _check(page, state)
    return state


def _check(page: Page, state: dict) -> None:
    where = f"{state['description']} on {page.url}"
    assert state["restored"], f"focus could not be given back to {where}"
    assert state["focusVisible"], f"{where} does not match :focus-visible"
    assert state["onScreen"], f"{where} has focus but is not on screen"
    assert state["indicator"], (
        f"{where} has no visible focus indicator: focused {state['focused']}, unfocused {state['unfocused']}"
    )


def tab_to(page: Page, target: Locator, *, max_tabs: int = 80, backwards: bool = False) -> list[str]:
    """Press Tab (Shift+Tab if backwards) until ``target`` has focus, checking the focus indicator at every
    stop; fails if it is not reached within ``max_tabs`` presses. Returns the stops, for messages."""
    handle = target.element_handle()
    key = "Shift+Tab" if backwards else "Tab"
    stops = []
    for _ in range(max_tabs):
        page.keyboard.press(key)
        state = focus_state(page, handle)
        if state is None:  # past the last element: focus went to the document, Tab goes on from its start
            stops.append("(document)")
            continue
        stops.append(state["description"])
        _check(page, state)
        if state["isTarget"]:
            return stops
    raise AssertionError(
        f"{target} not reached in {max_tabs} x {key} on {page.url}; stops:\n" + "\n".join(stops)
    )


def activate(page: Page, target: Locator, key: str = "Enter", **tab_kwargs) -> None:
    """Tab to ``target`` and press ``key`` on it (Enter for links and buttons, Space for buttons,
    checkboxes and radios)."""
    tab_to(page, target, **tab_kwargs)
    page.keyboard.press(key)


def follow(page: Page, target: Locator, key: str = "Enter", **tab_kwargs) -> None:
    """Tab to a link or submit button and activate it, then wait for the page it leads to."""
    with page.expect_navigation():
        activate(page, target, key, **tab_kwargs)
    page.wait_for_load_state()


def fill(page: Page, target: Locator, text: str, **tab_kwargs) -> None:
    """Tab to a field and type into it (clearing what it held first, as a user would with Ctrl+A)."""
    tab_to(page, target, **tab_kwargs)
    page.keyboard.press("ControlOrMeta+a")
    if text:
        page.keyboard.type(text)
    else:
        page.keyboard.press("Delete")


def assert_focused(page: Page, target: Locator) -> None:
    """``target`` has focus already (autofocus, or after an arrow key), with a visible indicator."""
    state = focus_state(page, target.element_handle())
    assert state is not None and state["isTarget"], (
        f"{target} does not have focus, {state and state['description']} has"
    )
    _check(page, state)


def skip_to_content(page: Page) -> None:
    """The first Tab on a page reaches the skip link; Enter on it moves the focus to the main content, so
    the next Tab goes on from there."""
    activate(page, page.get_by_role("link", name="Gå til sidens indhold"), max_tabs=1)
    assert page.evaluate("document.activeElement.id") == "main-content"


def sign_in(page: Page, email: str, password: str) -> None:
    """On the login page: type e-mail and password, and press Enter on the form's button."""
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    fill(page, form.get_by_label("E-mail"), email)
    fill(page, form.get_by_label("Adgangskode"), password)
    follow(page, form.get_by_role("button", name="Log ind"))
