"""A shared computer of the MESA: the referent marks it, a learner signs in there,
practises and leaves with « Terminer »; the next person finds nothing of theirs.
From there the learner continues on their phone with a QR code that works once."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE
from tests.e2e.test_practice_journey import _answer_current_item
from tutoring.accounts.models import HandoffToken, Role
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.database import utcnow
from tutoring.core.extensions import db

# Phone screenshots of the screens of shared computers (SHARED_SHOTS=dir).
SHOTS = Path(
    os.environ.get("SHARED_SHOTS", Path(__file__).parent / "screenshots" / "shared")
)

# What scripts of the site might have kept during the learner's visit (the offline
# packs' service worker and pages use these): all of it must be gone after.
FILL_STORAGE = """async (name) => {
  localStorage.setItem('learner', name);
  sessionStorage.setItem('learner', name);
  await new Promise((resolve, reject) => {
    const open = indexedDB.open('tutoring-test', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('answers');
    open.onsuccess = () => {
      const tx = open.result.transaction('answers', 'readwrite');
      tx.objectStore('answers').put(name, 'learner');
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = reject;
    };
    open.onerror = reject;
  });
  const cache = await caches.open('pages');
  await cache.put('/personal', new Response('page of ' + name));
}"""

READ_STORAGE = """async () => ({
  local: localStorage.length,
  session: sessionStorage.length,
  databases: (await indexedDB.databases()).map((d) => d.name),
  caches: await caches.keys(),
})"""


def _cookie(context, name: str) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == name), None)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _choose(page, locale: str) -> None:
    if locale == "fr":
        return
    with page.expect_navigation():
        page.locator("details.lang-picker summary").click()
        page.locator(f"details.lang-picker button[value={locale}]").click()


def _mark_this_computer(page, base: str, journey, locale: str) -> None:
    """The referent signs in on the computer and declares it shared."""
    page.goto(f"{base}/connexion")
    page.locator("#login").fill("claire")
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").click()
    _choose(page, locale)
    page.goto(f"{base}/structure/postes-partages")
    page.locator("#label").fill("MESA – poste 3")
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").click()
    assert page.locator(".list.computers li").count() == 1
    assert "MESA – poste 3" in page.locator(".list.computers").inner_text()
    journey.check(page, f"referent-list-{locale}")
    _shot(page, f"referent-list-{locale}")
    with page.expect_navigation():
        page.locator("#sign-out button").click()


def _card_sign_in(page, base: str, code: str) -> None:
    page.goto(f"{base}/carte")
    box = page.locator("#shared_device")
    assert box.is_checked()
    assert box.is_disabled()
    page.locator("#code").fill(code)
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").click()


def test_a_marked_computer_keeps_nothing_of_the_learner(
    live_server, browser, make, bank, journey
):
    referent = make.user("claire", Role.REFERENT)
    profile_id, learner_id = make.learner(referent, first_name="Yasmine")
    make.run(
        lambda: setattr(
            db.session.get(LearnerProfile, profile_id), "practice_level", "A2"
        )
    )
    code = make.card(learner_id, referent)
    context = browser.new_context(locale="fr-FR", **PHONE)
    page = context.new_page()
    _mark_this_computer(page, live_server, journey, "fr")

    _card_sign_in(page, live_server, code)
    assert "Bonjour Yasmine" in page.content()
    assert page.locator("body").get_attribute("data-shared-computer") == "true"
    terminer = page.locator("#sign-out button")
    assert terminer.is_visible()
    assert "Terminer" in terminer.inner_text()
    page.evaluate(FILL_STORAGE, "Yasmine")

    # The learner answers an item.
    page.goto(f"{live_server}/pratique/")
    with page.expect_navigation():
        page.locator("main form button.big").first.click()
    _answer_current_item(page)
    with page.expect_navigation():
        page.locator("form.answer-form button[type=submit]").click()
    assert page.locator("h1.verdict").is_visible()
    feedback = page.locator("main").inner_text().strip()
    assert feedback
    journey.check(page, "feedback-on-shared")

    # « Terminer »: back on the sign-in page.
    signed_in_cookie = _cookie(context, "session")
    assert signed_in_cookie is not None
    with page.expect_navigation():
        page.locator("#sign-out button").click()
    assert "/connexion" in page.url
    assert "Vous êtes déconnecté" in page.content()
    assert _cookie(context, "poste_partage") is not None  # still a shared computer
    # The learner's session cookie is gone (the sign-in page's form starts another).
    assert _cookie(context, "session") != signed_in_cookie

    # The next person: the back button shows nothing of Yasmine.
    page.go_back()
    page.wait_for_load_state()
    content = page.content()
    assert "Yasmine" not in content
    assert page.locator("h1.verdict").count() == 0
    assert feedback not in page.locator("body").inner_text()
    page.go_back()
    page.wait_for_load_state()
    assert "Yasmine" not in page.content()
    page.goto(f"{live_server}/connexion")
    storage = page.evaluate(READ_STORAGE)
    assert storage == {"local": 0, "session": 0, "databases": [], "caches": []}
    page.goto(f"{live_server}/pratique/")
    assert "/connexion" in page.url
    assert "Yasmine" not in page.content()
    context.close()


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_countdown_and_hand_off_to_the_phone(
    live_server, browser, make, journey, locale
):
    referent = make.user("claire", Role.REFERENT)
    _profile_id, learner_id = make.learner(referent, first_name="Amina", locale=locale)
    code = make.card(learner_id, referent)
    computer = browser.new_context(locale="fr-FR", **PHONE)
    page = computer.new_page()
    _mark_this_computer(page, live_server, journey, locale)

    page.goto(f"{live_server}/carte")
    _choose(page, locale)
    journey.check(page, f"card-sign-in-shared-{locale}")
    _shot(page, f"card-sign-in-shared-{locale}")
    _card_sign_in(page, live_server, code)

    # Nine minutes without activity (the page's clock moved on): the warning, then
    # « Je suis encore là » starts the time again on the server.
    page.clock.install()
    page.reload()
    page.clock.fast_forward("09:02")
    warning = page.locator("[data-warning-region]")
    warning.wait_for(state="visible")
    assert warning.get_attribute("role") == "alert"
    still_here = page.locator("[data-still-here] button")
    assert still_here.is_visible()
    if locale == "fr":
        assert warning.inner_text() == "Vous allez être déconnecté dans 1 minute."
    journey.check(page, f"countdown-warning-{locale}")
    _shot(page, f"countdown-warning-{locale}")
    still_here.click()
    page.wait_for_function("() => document.querySelector('[data-still-here]').hidden")
    assert warning.inner_text() == ""
    assert re.search(
        r"\b(10:00|9:5\d)\b", page.locator("[data-countdown]").inner_text()
    )

    # « Continuer sur mon téléphone »: a QR code on request.
    with page.expect_navigation():
        page.locator("form.handoff-start button").click()
    assert page.locator(".handoff-qr svg").is_visible()
    journey.check(page, f"handoff-qr-{locale}")
    _shot(page, f"handoff-qr-{locale}")
    page.set_viewport_size({"width": 320, "height": 700})  # the smallest phones
    assert page.locator("#sign-out button").is_visible()
    journey.check(page, f"handoff-qr-320-{locale}")
    _shot(page, f"handoff-qr-320-{locale}")
    url = page.locator("[data-handoff-url]").get_attribute("data-handoff-url")
    assert url is not None
    url = live_server + "/suite/" + url.rsplit("/suite/", 1)[1]

    phone = browser.new_context(locale="fr-FR", **PHONE)
    mobile = phone.new_page()
    mobile.goto(url)
    with mobile.expect_navigation():
        mobile.locator("form.stack button[type=submit]").click()
    assert mobile.url == f"{live_server}/"
    assert "Amina" in mobile.content()
    phone.close()

    # Once only: another phone is refused, with a way to sign in.
    other = browser.new_context(locale="fr-FR", **PHONE)
    again = other.new_page()
    response = again.goto(url)
    assert response.status == 410
    journey.check(again, f"handoff-used-{locale}")
    assert again.locator("main a[href='/carte']").is_visible()
    other.close()

    # A new code, not used in time: refused too.
    page.goto(f"{live_server}/")
    with page.expect_navigation():
        page.locator("form.handoff-start button").click()
    late_url = page.locator("[data-handoff-url]").get_attribute("data-handoff-url")
    late_url = live_server + "/suite/" + late_url.rsplit("/suite/", 1)[1]
    make.run(
        lambda: db.session.execute(
            update(HandoffToken).values(expires_at=utcnow() - timedelta(seconds=1))
        )
    )
    late = browser.new_context(locale="fr-FR", **PHONE)
    late_page = late.new_page()
    assert late_page.goto(late_url).status == 410
    late.close()
    computer.close()
