"""Browser tests: the system Chromium, driven by Playwright, against pytest-django's
live server, for what only works with the admin's own JavaScript (choosers,
StreamField buttons, menus and dialogs).

The live server runs in another thread, so these tests need transactional
database access, and Django empties every table after such a test; that also
removes what the data migrations created (the home page, the groups, the
Clinical review workflow). With serialized_rollback those rows come back before
the test, and pytest_runtest_teardown below puts them back after the flush, so
later tests find the database as migrated whatever order they run in.
"""

import os
import tempfile
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_test_failed = pytest.StashKey()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.stash[_test_failed] = True
    return report


@pytest.fixture(scope="module")
def browser(django_db_setup):
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"The browser tests drive Chromium at {CHROMIUM}, which is missing: "
            "install it with `apt-get install chromium` (or point CHROMIUM_PATH at a "
            "Chromium binary).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves its event loop marked as running in this
    # thread, which Django takes for async code: it would refuse ORM calls and
    # hand out other connections than the test database's own. The test's ORM
    # calls are plain synchronous code, so they keep this thread's connections.
    own_connections = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, connection in own_connections.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _autosave_of_an_unfinished_form(response):
    """Wagtail's editor autosaves while the editor types; until the required
    fields are filled in, the admin answers that save 400 with the form's
    errors as JSON (a submit of the form answers with a page instead)."""
    return (
        response.status == 400
        and response.request.method == "POST"
        and "application/json" in (response.headers.get("content-type") or "")
    )


class AdminSession:
    """One person's browser window on the admin, signed in through the login form."""

    def __init__(self, browser, base_url):
        self.context = browser.new_context(base_url=base_url)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(f"JavaScript: {error}"))
        self.page.on("response", self._record_failure)

    def _record_failure(self, response):
        if response.status < 400 or _autosave_of_an_unfinished_form(response):
            return
        self.errors.append(f"HTTP {response.status}: {response.url}")

    def log_in(self, username, password):
        page = self.page
        page.goto("/admin/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/admin/")
        return page


@pytest.fixture
def admin_session(browser, live_server, request):
    """Opens a new browser context (own cookies) per call; screenshots on failure."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("serialized_rollback")):
        pytest.fail(
            "Mark browser tests with django_db(transaction=True, serialized_rollback=True).",
            pytrace=False,
        )
    sessions = []

    def open_session(username, password):
        session = AdminSession(browser, live_server.url)
        sessions.append(session)
        session.log_in(username, password)
        return session

    yield open_session

    if request.node.stash.get(_test_failed, False):
        folder = tempfile.mkdtemp(prefix="browser-test-")
        for number, session in enumerate(sessions, start=1):
            path = Path(folder) / f"{request.node.name}-{number}.png"
            session.page.screenshot(path=path, full_page=True)
            (path.with_suffix(".html")).write_text(session.page.content())
            print(f"Screenshot of window {number} ({session.page.url}): {path}")
            for error in session.errors:
                print(f"  {error}")
    for session in sessions:
        session.context.close()
