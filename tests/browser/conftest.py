"""One Chromium set-up for every browser test: Debian's /usr/bin/chromium driven by Playwright
against pytest-django's live server.

Fixtures: ``browser`` (one Chromium a module), ``page`` (a fresh desk-sized tab that fails its
test if the content security policy refused anything on it), ``open_page`` (more tabs, any
width, any browser zone), ``newcomer`` (what `make run` does on a first start) and ``shoot``
(screenshots at 1440 px and 390 px).

Screenshots land in one folder: ``$TOPOFMIND_SHOTS`` when it is set (for instance
``TOPOFMIND_SHOTS=artifacts/screenshots`` to keep them), else ``screenshots/`` in pytest's
temporary folder of the run; the run's summary names the folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread
from django.utils import timezone
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
from tests.browser.helpers import PASSWORD, OpenPage, Shoot

from topofmind.crm import services

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the same
# thread (fixtures) are safe here because nothing else runs concurrently in it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# One request at a time: the in-memory SQLite test database locks whole tables across the
# live server's threads (a typed-ahead name lookup racing a form post). Files in WAL mode,
# as the app really runs, and PostgreSQL do not have this problem.
class _OneRequestAtATime(WSGIServer):
    def __init__(self, *args: object, connections_override: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # LiveServerThread.run() already shares the test's connections with its own thread,
        # which is where a server without threads handles every request.
        del connections_override


LiveServerThread.server_class = _OneRequestAtATime

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESK, PHONE = 1440, 390
HEIGHT = {DESK: 900, PHONE: 844}
_SHOTS = pytest.StashKey[Path]()


def viewport(width: int) -> dict[str, int]:
    return {"width": width, "height": HEIGHT.get(width, 900)}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make browser-deps)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser, live_server: object) -> Iterator[OpenPage]:
    """``open_page(width=1440, **context_options)``: a tab of its own browser context (its own
    cookies) on the live server; ``timezone_id`` and ``locale`` are the browser's zone and language.
    Each tab fails the test if the content security policy refused anything on it."""
    opened: list[Page] = []
    refused: list[str] = []

    def open_one(*, width: int = DESK, **context_options: Any) -> Page:
        context = browser.new_context(
            viewport=viewport(width), base_url=str(live_server), accept_downloads=True, **context_options
        )
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda msg: _note_refusal(refused, page.url, msg))
        opened.append(page)
        return page

    yield open_one
    for page in opened:
        page.context.close()
    assert not refused, refused


def _note_refusal(refused: list[str], url: str, message: ConsoleMessage) -> None:
    if "Content Security Policy" in message.text:
        where = message.location
        refused.append(f"{url} ({where.get('url')}:{where.get('lineNumber')}): {message.text[:160]}")


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    """A tab at 1440 x 900."""
    return open_page()


@pytest.fixture
def newcomer(transactional_db: None) -> str:
    """What `make run` does on the first start: an owner account for the default workspace."""
    services.ensure_owner(username="newcomer", password=PASSWORD, now=timezone.now())
    return "newcomer"


@pytest.fixture(scope="session")
def shots_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("TOPOFMIND_SHOTS", "").strip()
    folder = Path(chosen).resolve() if chosen else tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    request.config.stash[_SHOTS] = folder
    return folder


@pytest.fixture
def shoot(shots_dir: Path) -> Shoot:
    """``shoot(page, name, widths=(1440, 390))``: a full-page screenshot ``<name>-<width>.png`` at
    each width; at a phone's width it also fails the test if the page scrolls sideways. The tab
    gets its own size back afterwards."""

    def take(page: Page, name: str, widths: Sequence[int] = (DESK, PHONE)) -> None:
        before = page.viewport_size
        for width in widths:
            page.set_viewport_size(viewport(width))
            # caret="initial": hiding the caret leaves style="" on every input, which htmx copies
            # onto a swapped-in form, and the content security policy refuses that attribute.
            page.screenshot(path=str(shots_dir / f"{name}-{width}.png"), full_page=True, caret="initial")
            if width <= PHONE:
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= width, f"{name} is {wide} px wide on a {width} px phone"
        if before is not None:
            page.set_viewport_size(before)

    return take


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if _SHOTS in config.stash:
        terminalreporter.write_line(f"browser screenshots: {config.stash[_SHOTS]}")
