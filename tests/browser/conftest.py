"""Browser-test fixtures shared by every feature: Debian's Chromium driven by Playwright, the app
on a real port, and logging a staff member in through the real login form.

    pytestmark = pytest.mark.browser

    def test_something(page, console_server, staff_login):
        staff_login(page, role="author")
        page.goto(f"{console_server.url}/console/...")

Put browser tests in this folder. The browser lives as long as this folder's tests (one
Chromium for all of them) and is closed afterwards, because a process can drive only one
Playwright at a time and other tests (tests/emulator/test_simulator_page.py) start their own.
Never run `playwright install`: it downloads a browser, which fails here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.console import StaffLogin

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 900}  # the city's office PCs


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """Debian's Chromium (headless), shared by the browser tests; skipped if it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh page in its own browser context (no cookies shared between tests), in Japanese."""
    context = browser.new_context(viewport=VIEWPORT, locale="ja-JP", timezone_id="Asia/Tokyo")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console_server(bot_server):
    """The app on a real port (`.url`), the LINE emulator sending its webhooks there."""
    return bot_server


@pytest.fixture
def staff_login(console_server, make_staff) -> Callable[..., StaffLogin]:
    """staff_login(page, role="admin", login_name=None, display_name=None) -> StaffLogin.

    Creates the account in the test's database and logs in through the login form; the page
    is then on the console home."""
    numbers = itertools.count(1)

    def login(page, role: str = "admin", login_name: str | None = None, display_name: str | None = None) -> StaffLogin:
        account = make_staff(login_name or f"{role}{next(numbers)}", role, display_name=display_name)
        page.goto(f"{console_server.url}/console/login")
        page.get_by_label("ログインID", exact=True).fill(account.login_name)
        page.get_by_label("パスワード", exact=True).fill(account.password)
        page.get_by_role("button", name="ログイン", exact=True).click()
        page.wait_for_url(f"{console_server.url}/console")
        return account

    return login


def pytest_collection_modifyitems(config, items):
    """Browser tests run on SQLite only. They drive the console's pages, and those pages run the
    same code on both databases. The console's routes and the domain code are tested on
    PostgreSQL without a browser (tests/console, tests/notices, ...). This halves the suite's
    slowest part on a 2-core machine (CI's 45 minutes)."""
    here = str(Path(__file__).parent)
    kept, dropped = [], []
    for item in items:
        on_postgresql = getattr(item, "callspec", None) is not None and item.callspec.params.get("database_url") == "postgresql"
        (dropped if on_postgresql and str(item.path).startswith(here) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
