"""Browser journeys: the real app over HTTP on loopback, Debian's Chromium, phone viewport.

Without Chromium the journeys are skipped with one line saying how to enable them;
under CI (CI=true) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # a fake microphone, allowed without asking: the recorder can be tried
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]
SHOTS = Path(__file__).parent / "screenshots"
PHONE = {
    "viewport": {"width": 360, "height": 780},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (Linux; Android 12; SM-A125F) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"browser journeys skipped: no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def live_server(app_with) -> Iterator[str]:
    """Serve the app with a real WSGI server in a thread, on a free loopback port."""
    app = app_with(SERVER_NAME=None, REQUIRE_2FA_ROLES=[])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def phone(browser) -> Iterator[Any]:
    context = browser.new_context(locale="fr-FR", **PHONE)
    yield context
    context.close()


@pytest.fixture
def desk(browser) -> Iterator[Any]:
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    yield context
    context.close()


class Journey:
    """Screenshots every screen and runs axe on it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.step = 0
        SHOTS.mkdir(exist_ok=True)
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()

    def check(self, page: Any, label: str) -> None:
        self.step += 1
        page.screenshot(
            path=str(SHOTS / f"{self.name}-{self.step:02d}-{label}.png"), full_page=True
        )
        result = self.axe.run(
            page,
            options={
                "runOnly": {
                    "type": "tag",
                    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
                }
            },
        )
        serious = [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in result.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"{label}: {serious}"
        # window.innerWidth grows with a too-wide page on a phone: use clientWidth
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{label}: the page is {overflow}px wider than the screen"


@pytest.fixture
def journey(request) -> Journey:
    return Journey(request.node.name.removeprefix("test_"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The development server's threads may close a static file late when the browser
    drops a connection (navigating back, for one); that is the test server's
    housekeeping, not the application's, so it does not fail a journey."""
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
            item.add_marker(
                pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
            )


def sign_in(page: Any, base: str, username: str) -> None:
    """Sign in through the real form with the test password."""
    from tests.conftest import PASSWORD

    page.goto(f"{base}/connexion")
    page.locator("#login").fill(username)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").click()
