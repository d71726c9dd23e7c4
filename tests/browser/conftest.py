"""Browser tests: Debian's Chromium driven by Playwright, against pytest-django's live server.

Playwright's sync API runs an event loop in the test's thread; Django's ORM refuses to run inside one
unless told it is safe, which it is here (the loop only waits on the browser).
"""

import os
from pathlib import Path

import pytest

from tests.helpers import REPO_ROOT

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO_ROOT / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (make test installs Debian's chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    # Whatever the Content Security Policy refuses (an inline script, a style, a foreign source) is a
    # bug of ours: Chromium reports it on the console, and the test fails with it.
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.passed:
        assert refused == [], "\n".join(refused)
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def axe_check():
    """Run axe-core (WCAG 2.1 A and AA rules) on the page and fail with its report if it finds anything."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                # Every rule still runs and every violation is listed with all its nodes; only the passes,
                # the incomplete and the inapplicable (which nothing here reads) keep one node each, which
                # spares axe their selectors (about half of a run, axe-core's "resultTypes").
                "resultTypes": ["violations"],
            },
        )
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
        return results

    return check


@pytest.fixture
def demo_server(live_server, transactional_db, settings, tmp_path):
    """The live server with the demo's strategies, hearings, responses and accounts."""
    from portal.demo import load_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    return live_server


def sign_in(page, server, email="borger@example.dk", password=None):
    """Sign in through the login page (the demo's password unless another is given)."""
    from portal.demo import DEMO_PASSWORD

    page.goto(server.url + "/konto/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password or DEMO_PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def vallensbaek_hearing(settings, tmp_path, *, moderation: str = "post"):
    """The seed loaded, uploads in the test's own folder, and an open hearing on Vallensbæk's strategy
    (``moderation``: "post" or "pre") with its moderator, moderator@vallensbaek.dk (the factories'
    password, ``tests.accounts.factories``). Returns the hearing; the strategy is ``hearing.strategy``."""
    import datetime as dt

    from django.utils import timezone

    from strategies.models import Strategy
    from strategies.services import load_seed_file
    from tests.accounts.factories import StaffRoleFactory, VerifiedUserFactory
    from tests.hearings.factories import HearingFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    load_seed_file()
    strategy = Strategy.objects.get(municipality__slug="vallensbaek")
    now = timezone.now()
    hearing = HearingFactory(
        strategy=strategy, title="Høring om Kommuneplanstrategi 2018", moderation=moderation,
        opens_at=now - dt.timedelta(days=2), closes_at=now + dt.timedelta(days=20),
    )  # fmt: skip
    moderator = VerifiedUserFactory(email="moderator@vallensbaek.dk", name="Mads Moderator")
    StaffRoleFactory(user=moderator, municipality=strategy.municipality, role="moderator")
    return hearing
