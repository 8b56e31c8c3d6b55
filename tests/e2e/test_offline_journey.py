"""A learner downloads a pack, loses the network in the middle of it, answers
offline, gets the connection back: every answer is stored once; then the pack is
deleted from the phone (its cache and its storage)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tutoring.accounts.models import Role
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db
from tutoring.learning.models import Attempt, Submission

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 400


def _answer_current_item(page: Any) -> None:
    """Answer like a learner: the first choice, "suis" in gaps, the first options."""
    form = page.locator("form[data-offline-answer]")
    if form.locator("input[name=choice]").count():
        form.locator("input[name=choice]").first.check()
    if form.locator("input[name=choices]").count():
        form.locator("input[name=choices]").first.check()
    if form.locator("input[name=answer]").count():
        form.locator("#faux").check()
    for gap in form.locator("input[name=gaps]").all():
        gap.fill("suis")
    for select_ in form.locator(
        "select[name=gaps], select[name=pairs], select[name=order]"
    ).all():
        select_.select_option(index=1)
    for field in form.locator("input[name=fields]").all():
        field.fill("Haddad")
    if form.locator(
        "input[name=audio]"
    ).count():  # the phone's recorder, without the page
        form.locator("input[name=audio]").set_input_files(
            {"name": "reponse.webm", "mimeType": "audio/webm", "buffer": WEBM}
        )
    form.locator("button[type=submit]").tap()
    page.locator("[data-offline-feedback] h2.verdict").wait_for(state="visible")


def _count(make: Any, profile_id: int) -> tuple[int, int]:
    """Attempts of the learner, and distinct client ids among them."""
    return make.run(
        lambda: db.session.execute(
            select(func.count(Attempt.id), func.count(func.distinct(Attempt.client_id)))
            .where(Attempt.learner_id == profile_id)
        ).one()
    )  # fmt: skip


def _wait_for(make: Any, profile_id: int, expected: int) -> None:
    for _ in range(100):
        if _count(make, profile_id)[0] >= expected:
            return
        time.sleep(0.1)


class Cable:
    """The network between the phone and the server. `set_offline` emulates no network
    for the pages, but Playwright's emulation does not reach service workers
    (microsoft/playwright#2311): cut, the cable also drops every connection, so the
    service worker's requests fail as they would without a network."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.cut = False

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.cut:
            environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
            raise ConnectionAbortedError  # the server drops it without an answer
        return self.app(environ, start_response)


@pytest.fixture
def cable_server(app_with) -> Iterator[tuple[str, Cable]]:
    cable = Cable(app_with(SERVER_NAME=None, REQUIRE_2FA_ROLES=[]))
    server = make_server("127.0.0.1", 0, cable, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", cable
    server.shutdown()
    thread.join(timeout=5)


def _network(context: Any, cable: Cable, *, on: bool) -> None:
    cable.cut = not on
    context.set_offline(not on)


def _fits_320(page: Any) -> None:
    """The page fits a 320 px wide phone without scrolling sideways."""
    page.set_viewport_size({"width": 320, "height": 740})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    page.set_viewport_size({"width": 360, "height": 780})
    assert overflow <= 0


WAITING = "() => OfflineStore.waiting().then(rows => rows.length)"
CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) { urls.push(name + ' ' + new URL(request.url).pathname); }
  }
  return urls;
}"""


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_pack_works_offline_and_every_answer_is_stored_once(
    cable_server, phone, make, bank, journey, locale
):
    live_server, cable = cable_server
    referent = make.user("claire", Role.REFERENT)
    profile_id, learner_id = make.learner(referent, first_name="Amina", locale=locale)
    make.run(
        lambda: setattr(
            db.session.get(LearnerProfile, profile_id), "practice_level", "A2"
        )
    )
    code = make.card(learner_id, referent)
    page = phone.new_page()
    page.goto(f"{live_server}/c/{code}")
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").tap()
    page.goto(f"{live_server}/pratique/hors-connexion/")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker
    assert page.evaluate("() => !!navigator.serviceWorker.controller")
    journey.check(page, f"packs-{locale}")

    pack = page.locator("li[data-pack=sante]")
    pack.locator("form[data-pack-download] button").tap()
    page.wait_for_function(
        "() => document.querySelector('li[data-pack=sante]').getAttribute('data-downloaded')",
        timeout=30_000,
    )
    assert pack.locator("[data-pack-actions]").is_visible()
    journey.check(page, f"packs-downloaded-{locale}")
    _fits_320(page)

    with page.expect_navigation():
        pack.locator("[data-pack-open]").tap()
    total = 10  # the test bank's auto-graded health items at A2, and a recording
    # two answers with the network: sent at once
    for _ in range(2):
        _answer_current_item(page)
        if _ == 0:
            journey.check(page, f"feedback-online-{locale}")
        with page.expect_navigation():
            page.locator("[data-next]").tap()
    _wait_for(make, profile_id, 2)
    assert _count(make, profile_id) == (2, 2)

    # the network is cut in the middle of the pack
    _network(phone, cable, on=False)
    for number in range(3, total + 1):
        assert page.locator("form[data-offline-answer]").is_visible()
        if number == 4:  # a page opened without the network says so
            page.locator("[data-offline-banner]").wait_for(state="visible")
            journey.check(page, f"item-offline-{locale}")
            _fits_320(page)
        _answer_current_item(page)
        if number == 4:
            kept = page.locator("[data-kept]")
            if locale == "fr":
                page.wait_for_function(
                    "() => document.querySelector('[data-kept]').textContent.includes('hors connexion')"
                )
            assert kept.is_visible()
            journey.check(page, f"feedback-offline-{locale}")
        with page.expect_navigation():
            page.locator("[data-next]").tap()
    # the last "next" leads to the packs page: offline, the offline page stands in
    assert page.locator("[data-local-packs] a").count() == 1
    journey.check(page, f"offline-page-{locale}")
    _fits_320(page)
    # a mock exam never opens from a cache
    page.goto(f"{live_server}/examens/")
    assert page.locator("[data-local-packs]").count() == 1
    assert page.evaluate(WAITING) == total - 2
    assert _count(make, profile_id) == (2, 2)

    # the connection returns: the waiting answers go, each once
    _network(phone, cable, on=True)
    page.goto(f"{live_server}/")
    page.wait_for_function(f"() => ({WAITING})().then(n => n === 0)", timeout=20_000)
    _wait_for(make, profile_id, total)
    assert _count(make, profile_id) == (total, total)
    # the recording made offline went up once, for a tutor
    assert make.run(lambda: db.session.scalar(select(func.count(Submission.id)))) == 1
    assert (
        page.evaluate(
            "() => OfflineStore.all('answers').then(rows => rows.filter(a => a.audio).length)"
        )
        == 0
    )  # nothing of it left in the phone's storage

    # the same answers sent three more times: nothing stored twice
    for _ in range(3):
        page.evaluate(
            """() => OfflineStore.all('answers').then(rows => Promise.all(rows.map(a => {
                 a.status = 'waiting'; return OfflineStore.put('answers', a); })))
               .then(() => OfflineStore.sync())"""
        )
    assert page.evaluate(WAITING) == 0
    assert _count(make, profile_id) == (total, total)

    # nothing of an exam in any cache; then the pack is deleted from the phone
    cached = page.evaluate(CACHED_URLS)
    assert not [u for u in cached if "/examens" in u]
    assert any(u.startswith("pack-") for u in cached)
    page.goto(f"{live_server}/pratique/hors-connexion/")
    journey.check(page, f"packs-sent-{locale}")
    page.locator("li[data-pack=sante] [data-pack-delete]").tap()
    page.wait_for_function(
        "() => !document.querySelector('li[data-pack=sante]').getAttribute('data-downloaded')"
    )
    cached = page.evaluate(CACHED_URLS)
    assert not [u for u in cached if u.startswith("pack-")]
    assert page.evaluate("() => OfflineStore.all('packs').then(r => r.length)") == 0
    assert page.evaluate("() => OfflineStore.all('answers').then(r => r.length)") == 0
    assert _count(make, profile_id) == (total, total)  # the server keeps the answers


def test_an_answer_to_a_set_sent_without_network_is_kept_and_stored_once(
    cable_server, phone, make, bank
):
    """The network is cut in the middle of an ordinary practice set: the answer
    posted then is kept by the service worker and stored once when it returns."""
    from tutoring.learning import practice
    from tutoring.learning.models import PracticeSet

    live_server, cable = cable_server
    referent = make.user("claire", Role.REFERENT)
    profile_id, learner_id = make.learner(referent, first_name="Amina")
    items = [bank[f"a2-sante-test-0{n}"] for n in (1, 3, 5)]

    def new_set() -> int:
        current = practice.start_set(
            db.session.get(LearnerProfile, profile_id), level="A2"
        )
        current.item_version_ids = items
        return current.id

    set_id = make.run(new_set)
    page = phone.new_page()
    page.goto(f"{live_server}/c/{make.card(learner_id, referent)}")
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").tap()
    page.goto(f"{live_server}/pratique/serie/{set_id}")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert page.evaluate("() => !!navigator.serviceWorker.controller")
    page.locator("input[name=choice]").first.check()
    with page.expect_navigation():
        page.locator("form.answer-form button[type=submit]").tap()
    with page.expect_navigation():
        page.locator("main a.button.big").tap()
    assert _count(make, profile_id) == (1, 1)

    _network(phone, cable, on=False)
    page.locator("#faux").check()
    with page.expect_navigation():
        page.locator("form.answer-form button[type=submit]").tap()
    page.locator("[data-local-packs]").wait_for()  # the offline page stands in
    page.wait_for_function(f"() => ({WAITING})().then(n => n === 1)")
    assert _count(make, profile_id) == (1, 1)

    _network(phone, cable, on=True)
    page.goto(f"{live_server}/")
    page.wait_for_function(f"() => ({WAITING})().then(n => n === 0)", timeout=20_000)
    _wait_for(make, profile_id, 2)
    assert _count(make, profile_id) == (2, 2)
    assert make.run(lambda: db.session.get(PracticeSet, set_id).position) == 2
    page.goto(f"{live_server}/pratique/serie/{set_id}")
    assert page.locator("select[name=gaps]").count() == 1  # the third item, next
