"""The mock French exam in the TCF format on a phone (issue #16): a recording that
plays once, and both ways of taking the speaking part, recorded by the learner or
live with the paired tutor during a session."""

from __future__ import annotations

from datetime import timedelta

import pytest

from exercises.loading import BANK, load_bank
from tutoring.accounts.models import Role, User
from tutoring.core.database import utcnow
from tutoring.core.extensions import db

ITEMS, _ = load_bank(BANK, check_audio=False)


def _world(make, locale: str) -> dict[str, int | str]:
    """Amina with the whole bank, paired with Marc; a session held right now."""
    from tutoring.content.bank import sync_bank
    from tutoring.pairing.models import Pairing, PairingStatus, Place
    from tutoring.sessions.models import TutoringSession

    referent = make.user("claire", Role.REFERENT)
    profile_id, learner_id = make.learner(referent, first_name="Amina", locale=locale)
    tutor = make.user("marc", Role.TUTOR)

    def setup() -> None:
        sync_bank(ITEMS)
        pairing = Pairing(
            learner_id=profile_id, tutor_id=tutor, status=PairingStatus.ACTIVE,
            responded_at=utcnow(),
        )  # fmt: skip
        structure_id = db.session.get(User, referent).structure_id
        place = Place(
            structure_id=structure_id, name="Espace numérique MESA", capacity=4
        )
        db.session.add_all([pairing, place])
        db.session.flush()
        starts = utcnow() - timedelta(minutes=5)
        db.session.add(
            TutoringSession(
                uid="live@test", slot="live@test", pairing_id=pairing.id,
                tutor_id=tutor, learner_id=profile_id, starts_at=starts,
                ends_at=starts + timedelta(hours=1), place=place.name,
                place_id=place.id,
            )
        )  # fmt: skip

    make.run(setup)
    return {"profile": profile_id, "code": make.card(learner_id, referent)}


def _card_in(page, base: str, code: str) -> None:
    page.goto(f"{base}/c/{code}")
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").tap()


def _to_speaking(make, page, base: str) -> int:
    """Start a mock exam; the time of listening, reading and writing runs out."""
    from sqlalchemy import select

    from tutoring.exams.models import LanguageExam
    from tutoring.learning.models import PracticeSet

    page.goto(f"{base}/examens/")
    with page.expect_navigation():
        page.locator("form[action$='/examens/francais'] button").tap()
    exam_id = make.run(lambda: db.session.scalar(select(LanguageExam.id)))
    for _n in range(3):
        with page.expect_navigation():
            page.locator("form[action$='/partie'] button").tap()

        def expire() -> None:
            practice = db.session.scalar(
                select(PracticeSet).order_by(PracticeSet.id.desc())
            )
            practice.deadline = utcnow() - timedelta(seconds=1)

        make.run(expire)
        page.goto(f"{base}/examens/francais/{exam_id}")
    return exam_id


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_listening_recording_plays_once_on_a_phone(
    live_server, phone, make, journey, locale
):
    world = _world(make, locale)
    page = phone.new_page()
    _card_in(page, live_server, str(world["code"]))
    page.goto(f"{live_server}/examens/")
    with page.expect_navigation():
        page.locator("form[action$='/examens/francais'] button").tap()
    journey.check(page, f"french-exam-{locale}")
    with page.expect_navigation():
        page.locator("form[action$='/partie'] button").tap()
    button = page.locator(".play-once-button")
    assert page.locator(".play-once audio").count() == 0  # no native controls
    journey.check(page, f"listening-item-{locale}")
    button.focus()
    page.keyboard.press("Enter")  # keyboard usable
    page.wait_for_function(
        "document.querySelector('.play-once-status').textContent.length > 0"
    )
    assert button.is_disabled()
    page.reload()
    assert page.locator(".play-once-button").is_disabled()  # the server noted it
    assert page.locator(".play-once-status").inner_text()  # said, in the page's words
    journey.check(page, f"listening-played-{locale}")


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_learner_records_the_speaking_part_on_a_phone(
    live_server, phone, make, journey, locale
):
    world = _world(make, locale)
    page = phone.new_page()
    _card_in(page, live_server, str(world["code"]))
    _to_speaking(make, page, live_server)
    assert page.locator("#oral-choix").is_visible()
    journey.check(page, f"speaking-choice-{locale}")
    with page.expect_navigation():
        page.locator("form[action$='/partie'] button").tap()
    assert page.locator("#tache").is_visible()  # Task 1: the guided interview
    assert page.locator(".recorder").count() == 1
    journey.check(page, f"speaking-recorded-task-1-{locale}")


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_tutor_gives_the_speaking_part_live_during_a_session(
    live_server, phone, browser, make, journey, locale
):
    from tests.e2e.conftest import PHONE, sign_in

    world = _world(make, locale)
    page = phone.new_page()
    _card_in(page, live_server, str(world["code"]))
    exam_id = _to_speaking(make, page, live_server)
    with page.expect_navigation():
        page.locator("form[action$='/oral'] button").tap()
    assert page.locator("form[action$='/partie']").count() == 0
    journey.check(page, f"speaking-live-chosen-{locale}")

    tutor_context = browser.new_context(locale="fr-FR", **PHONE)
    tutor = tutor_context.new_page()
    sign_in(tutor, live_server, "marc")
    from sqlalchemy import select

    from tutoring.sessions.models import TutoringSession

    session_id = make.run(lambda: db.session.scalar(select(TutoringSession.id)))
    tutor.goto(f"{live_server}/tuteur/seances/{session_id}/compte-rendu")
    journey.check(tutor, f"session-report-live-{locale}")
    with tutor.expect_navigation():
        tutor.locator(f"a[href$='/corrections/examen-oral/{exam_id}']").tap()
    assert tutor.locator(".task-timer").count() == 3
    journey.check(tutor, f"live-speaking-{locale}")
    first = tutor.locator(".task-timer").first
    first.locator(".timer-start").tap()
    assert first.locator(".timer-start").is_disabled()
    tutor.wait_for_timeout(1200)
    assert first.locator(".timer-left").inner_text() != "2:00"
    for radio in tutor.locator("input[type=radio][value='2']").all():
        radio.check()
    with tutor.expect_navigation():
        tutor.locator("form.stack button[type=submit].big").tap()
    tutor_context.close()

    page.goto(f"{live_server}/examens/francais/{exam_id}/resultat")
    assert page.locator("#partie-EO").is_visible()
    assert "20" in page.locator("section:has(#partie-EO) dd.score").inner_text()
    journey.check(page, f"result-with-live-speaking-{locale}")
