"""A learner who reads little, on a phone: from the home page to the end of a set of
picture items, finding every control by its pictogram or its role (never by reading
French), and hearing the speaker buttons. Then the picture sign-in on a shared
computer. Screenshots of each screen (journey.check runs axe and the overflow check)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from exercises.loading import BANK, load_bank
from tutoring.accounts import pictures, shared
from tutoring.accounts.models import Role, Structure, User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.content.bank import sync_bank
from tutoring.core.config import PROJECT_ROOT
from tutoring.core.extensions import db

# Phone screenshots of the practice item and the picture sign-in (LOWLIT_SHOTS=dir).
SHOTS = Path(
    os.environ.get("LOWLIT_SHOTS", Path(__file__).parent / "screenshots" / "lowlit")
)


@pytest.fixture
def picture_bank(app) -> int:
    """Only the A1.1 items answered by touching a picture."""
    items, problems = load_bank(BANK, PROJECT_ROOT / "static")
    assert problems == []
    chosen = [i for i in items if i.level == "A1.1" and i.type == "image_choice"]
    with app.app_context():
        sync_bank(chosen)
        db.session.commit()
    return len(chosen)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _hear(page, speaker) -> None:
    """Press a speaker button: the page's one player loads a clip of the site and plays."""
    speaker.tap()
    page.wait_for_function(
        "() => { const a = document.querySelector('audio.speaker-audio');"
        " return a && !a.paused && a.currentSrc.includes('/static/audio/ui/'); }",
        timeout=5000,
    )
    page.wait_for_function(
        "() => document.querySelector('audio.speaker-audio').readyState >= 2",
        timeout=5000,
    )
    speaker.tap()  # a second press stops it
    page.wait_for_function("() => document.querySelector('audio.speaker-audio').paused")


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_learner_who_reads_little_completes_a_set_with_pictures_and_sound(
    live_server, phone, make, picture_bank, journey, locale
):
    assert picture_bank >= 10
    referent = make.user("claire", Role.REFERENT)
    profile_id, learner_id = make.learner(referent, first_name="Amina", locale=locale)

    def cannot_type() -> None:
        db.session.get(LearnerProfile, profile_id).cannot_type = True

    make.run(cannot_type)
    code = make.card(learner_id, referent)
    page = phone.new_page()
    page.goto(f"{live_server}/c/{code}")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").tap()

    # Home: hear what to do today, then the first arrow.
    today = page.locator("main section .with-speaker button.speaker").first
    assert today.get_attribute("aria-label")
    _hear(page, today)
    journey.check(page, f"home-{locale}")
    with page.expect_navigation():
        page.locator("main a.button:has(svg.lucide-arrow-right)").first.tap()

    # « Do you read French? » asked with pictures and sound: headphones = not yet.
    _hear(page, page.locator("legend button.speaker"))
    journey.check(page, f"reading-question-{locale}")
    _shot(page, f"placement-question-{locale}")
    page.locator("label:has(svg.lucide-headphones)").tap()
    with page.expect_navigation():
        page.locator("main form button:has(svg.lucide-arrow-right)").tap()

    for number in range(1, 11):
        assert page.locator("fieldset.images img").count() >= 2
        _hear(page, page.locator(".with-speaker:has(h1) button.speaker"))
        # The item's own recording (not the instruction's player) plays too, and
        # the speaker stops when it starts: one sound at a time.
        item_audio = page.locator("main .listen:not(.small) audio")
        if item_audio.count():
            item_audio.evaluate("a => a.play()")
            page.wait_for_function(
                "() => !document.querySelector('main .listen:not(.small) audio').paused"
            )
            item_audio.evaluate("a => a.pause()")
        if number == 1:
            journey.check(page, f"item-{locale}")
            _shot(page, f"practice-item-{locale}")
        page.locator("fieldset.images label img").first.tap()
        with page.expect_navigation():
            page.locator("form.answer-form button:has(svg.lucide-check)").tap()

    # The end of the set: every answer listed, and the house pictogram goes home.
    assert page.locator("main a.button.big, main form button").count() >= 1
    journey.check(page, f"summary-{locale}")
    _shot(page, f"summary-{locale}")
    with page.expect_navigation():
        page.locator("header a:has(svg.lucide-house)").tap()
    assert page.url.rstrip("/") == live_server


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_picture_sign_in_on_a_shared_computer(
    live_server, browser, make, journey, locale
):
    from tests.e2e.conftest import PHONE

    referent_id = make.user("claire", Role.REFERENT)
    profile_id, learner_id = make.learner(referent_id, first_name="Amina", locale=locale)
    make.learner(referent_id, first_name="Bilal")

    def set_up() -> tuple[str, list[str]]:
        referent = db.session.get(User, referent_id)
        structure = db.session.get(Structure, referent.structure_id)
        pictures.set_structure_picture_signin(structure, True, referent)
        token = shared.add_computer(structure.id, referent, "MESA – poste 1")
        code = pictures.issue(
            db.session.get(User, learner_id), referent, structure.id, "casque"
        )
        return token, code

    token, code = make.run(set_up)
    context = browser.new_context(locale=f"{locale}-FR" if locale == "fr" else locale, **PHONE)
    context.add_cookies(
        [{"name": shared.COMPUTER_COOKIE, "value": token, "url": live_server}]
    )
    page = context.new_page()
    if locale != "fr":
        page.goto(f"{live_server}/")
        with page.expect_navigation():
            page.locator("details.lang-picker summary").tap()
            page.locator(f"details.lang-picker button[value={locale}]").tap()
    page.goto(f"{live_server}/")
    with page.expect_navigation():
        page.locator("main .with-speaker a.button").first.tap()
    assert "Amina" not in page.content()
    _hear(page, page.locator("main .with-speaker button.speaker"))
    journey.check(page, f"pictures-{locale}")
    _shot(page, f"picture-signin-list-{locale}")
    with page.expect_navigation():
        page.locator("a.picture-choice:has(img[src*='/casque.'])").tap()
    for index, name in enumerate(code):
        if index == 2:
            journey.check(page, f"code-{locale}")
            _shot(page, f"picture-signin-code-{locale}")
        with page.expect_navigation():
            page.locator(f"button.picture-button:has(img[src*='/{name}.'])").tap()
    # Signed in: the sign-out pictogram is there, on a shared computer.
    assert page.locator("header button:has(svg.lucide-log-out)").is_visible()
    assert page.locator(".shared-banner").is_visible()
    context.close()
