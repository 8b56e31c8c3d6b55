"""A volunteer fills in their availability, schedules a session in a room, the learner
(interface in Arabic) confirms it, and after the session the volunteer records who
came and gives homework from the bank."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.e2e.conftest import PHONE, sign_in
from tutoring.accounts.models import Role, User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.learning.models import Assignment
from tutoring.pairing.models import Pairing, PairingStatus, Place
from tutoring.sessions.models import TutoringSession


def test_tutor_schedules_the_learner_confirms_in_arabic_and_the_report_is_made(
    live_server, browser, phone, make, bank, journey
):
    referent = make.user("claire", Role.REFERENT)
    profile_id, learner_id = make.learner(referent, first_name="Amina", languages=["ar"])
    tutor_id = make.user("marc", Role.TUTOR)

    def setup():
        db.session.get(LearnerProfile, profile_id).practice_level = "A2"
        db.session.get(User, learner_id).locale = "ar"
        structure_id = db.session.get(User, referent).structure_id
        db.session.add(Place(structure_id=structure_id, name="Espace numérique MESA",
                             capacity=6, step_free=True))  # fmt: skip
        db.session.add(Pairing(learner_id=profile_id, tutor_id=tutor_id,
                               status=PairingStatus.ACTIVE, responded_at=utcnow()))  # fmt: skip

    make.run(setup)
    tutor = phone.new_page()
    sign_in(tutor, live_server, "marc")
    tutor.goto(f"{live_server}/tuteur/profil")
    tutor.locator("input[name=availability][value='1:afternoon']").check()
    tutor.locator("input[name=availability][value='3:afternoon']").check()
    tutor.get_by_label("Espace numérique MESA").check()
    journey.check(tutor, "tutor-profile")
    with tutor.expect_navigation():
        tutor.get_by_role("button", name="Enregistrer").click()

    tutor.goto(f"{live_server}/tuteur/apprenants/{profile_id}")
    day = date.today() + timedelta(days=5)
    tutor.locator("#day").fill(day.isoformat())
    tutor.locator("#at").fill("14:30")
    tutor.locator("#where").select_option(label="Espace numérique MESA – accessible en fauteuil")
    journey.check(tutor, "tutor-books")
    with tutor.expect_navigation():
        tutor.get_by_role("button", name="Programmer la séance").click()
    assert "La séance est programmée." in tutor.content()

    learner = browser.new_context(locale="ar", **PHONE).new_page()  # their own phone
    learner.goto(f"{live_server}/c/{make.card(learner_id, referent)}")
    with learner.expect_navigation():
        learner.locator("form.stack button[type=submit]").tap()
    assert learner.locator("html").get_attribute("dir") == "rtl"
    journey.check(learner, "learner-home-notice-ar")
    learner.goto(f"{live_server}/seances/")
    journey.check(learner, "learner-sessions-ar")
    with learner.expect_navigation():
        learner.locator("form.inline button[type=submit]").first.tap()
    session = make.run(lambda: db.session.scalar(select(TutoringSession)))
    assert session.confirmed_at is not None

    def held_an_hour_ago():
        row = db.session.get(TutoringSession, session.id)
        row.starts_at = utcnow() - timedelta(hours=2)
        row.ends_at = row.starts_at + timedelta(hours=1)

    make.run(held_an_hour_ago)
    tutor.goto(f"{live_server}/tuteur/")
    with tutor.expect_navigation():
        tutor.get_by_role("link", name="Faire le compte rendu").click()
    tutor.get_by_label("Présent·e").check()
    tutor.locator("#minutes").fill("55")
    tutor.get_by_label("Parler", exact=True).check()
    tutor.locator("#homework_theme").select_option("sante")
    tutor.locator("#note_for_learner").fill("Prendre rendez-vous chez le médecin.")
    journey.check(tutor, "tutor-report")
    with tutor.expect_navigation():
        tutor.get_by_role("button", name="Enregistrer le compte rendu").click()
    row = make.run(lambda: db.session.get(TutoringSession, session.id))
    assert (row.attendance.value, row.minutes, row.skills) == ("present", 55, ["EO"])
    assert make.run(lambda: db.session.scalar(select(Assignment)).learner_id) == profile_id

    learner.goto(f"{live_server}/seances/")
    assert "Prendre rendez-vous chez le médecin." in learner.content()
    journey.check(learner, "learner-reads-report-ar")
