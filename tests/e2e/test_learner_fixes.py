"""What a phone walkthrough found on the learner's side: pages wider than a 320 px
screen, and a recorder that took a 2-second clip for a 5-second task."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PHONE
from tutoring.accounts.models import Role
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db
from tutoring.learning.models import PracticeSet

# On a phone, a page wider than the screen widens the layout viewport too, so
# window.innerWidth grows with it: compare with the screen's width instead.
WIDER = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
NARROW = {**PHONE, "viewport": {"width": 320, "height": 640}}
LEARNER_PAGES = ["/", "/pratique/", "/examens/", "/seances/", "/compte/"]


def _signed_in(browser, live_server, make, locale: str, **context):
    referent = make.user(f"claire-{locale.lower()}", Role.REFERENT)
    profile_id, user_id = make.learner(referent, first_name="Amina", locale=locale)
    code = make.card(user_id, referent)
    ctx = browser.new_context(locale="fr-FR", **{**NARROW, **context})
    page = ctx.new_page()
    page.goto(f"{live_server}/c/{code}")
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").tap()
    return ctx, page, profile_id


def test_no_learner_page_is_wider_than_a_320_px_screen_in_any_language(
    app, browser, live_server, make, bank
):
    locales = list(app.config["SUPPORTED_LOCALES"])
    assert len(locales) >= 4
    for locale in locales:
        ctx, page, profile_id = _signed_in(browser, live_server, make, locale)
        assert page.locator("html").get_attribute("lang").startswith(locale[:2])
        for path in LEARNER_PAGES:
            page.goto(f"{live_server}{path}")
            overflow = page.evaluate(WIDER)
            assert overflow <= 0, f"{locale} {path}: {overflow}px too wide"
        ctx.close()


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_recorder_refuses_a_clip_shorter_than_the_task_asks(
    browser, live_server, make, bank, locale
):
    ctx, page, profile_id = _signed_in(
        browser, live_server, make, locale, permissions=["microphone"]
    )

    def pin() -> int:
        profile = db.session.get(LearnerProfile, profile_id)
        from tutoring.learning import practice

        current = practice.start_set(profile, level="A2")
        current.item_version_ids = [bank["a2-sante-test-12"]]  # 5 to 60 seconds
        return current.id

    set_id = make.run(pin)
    page.goto(f"{live_server}/pratique/serie/{set_id}")
    start = page.locator(".rec-start")
    start.tap()
    page.locator(".rec-stop").wait_for(state="visible")
    page.wait_for_timeout(1200)
    page.locator(".rec-stop").tap()
    status = page.locator(".rec-status")
    status.wait_for(state="visible")
    page.wait_for_function(
        "() => !document.querySelector('.rec-status').textContent.startsWith('●')"
    )
    assert (
        page.evaluate("document.querySelector('input[name=audio]').files.length") == 0
    )
    assert page.locator(".rec-playback").is_hidden()
    assert (
        page.locator(".recorder").get_attribute("data-too-short") in status.inner_text()
    )
    start.tap()
    page.wait_for_timeout(5600)
    page.locator(".rec-stop").tap()
    page.wait_for_function(
        "() => document.querySelector('input[name=audio]').files.length === 1"
    )
    assert float(page.locator("input[name=seconds]").input_value()) >= 5
    with page.expect_navigation():
        page.locator("form.answer-form button[type=submit]").tap()
    assert page.locator("h1.verdict").is_visible()
    assert make.run(lambda: db.session.get(PracticeSet, set_id).position) == 1
    ctx.close()
