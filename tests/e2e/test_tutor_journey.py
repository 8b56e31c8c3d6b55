"""A volunteer accepts a pairing and marks a learner's writing; the learner reads it."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from tests.e2e.conftest import sign_in
from tutoring.accounts.models import Role
from tutoring.accounts.profiles import LearnerProfile, TutorProfile
from tutoring.core.extensions import db
from tutoring.pairing.models import Pairing


def test_tutor_accepts_a_pairing_and_marks_a_writing(
    live_server, desk, phone, make, bank, journey
):
    referent = make.user("claire", Role.REFERENT)
    profile_id, learner_id = make.learner(
        referent, first_name="Amina", languages=["ar"]
    )
    tutor_id = make.user("marc", Role.TUTOR)

    def setup():
        db.session.get(TutorProfile, tutor_id).languages = ["ar"]
        from tutoring.learning import practice

        profile = db.session.get(LearnerProfile, profile_id)
        current = practice.start_set(profile, level="A2")
        current.item_version_ids = [bank["a2-sante-test-11"]]
        practice.record_answer(
            profile, current, position=0, client_id=str(uuid.uuid4()),
            response={"text": "Bonjour docteur, je dois annuler mon rendez-vous de mardi."},
            time_ms=1000,
        )  # fmt: skip

    make.run(setup)
    staff = desk.new_page()
    sign_in(staff, live_server, "claire")
    staff.goto(f"{live_server}/apprenants/{profile_id}")
    journey.check(staff, "learner-record-suggestions")
    with staff.expect_navigation():
        staff.get_by_role("button", name="Proposer").first.click()
    staff.goto(f"{live_server}/apprenants/jumelages?proposition=1")
    journey.check(staff, "pairings")

    tutor = desk.browser.new_context(locale="fr-FR").new_page()
    sign_in(tutor, live_server, "marc")
    tutor.goto(f"{live_server}/tuteur/")
    journey.check(tutor, "tutor-space")
    with tutor.expect_navigation():
        tutor.get_by_role("button", name="Accepter").click()
    assert make.run(lambda: db.session.scalar(select(Pairing)).status.value) == "active"
    tutor.goto(f"{live_server}/corrections/")
    journey.check(tutor, "review-queue")
    with tutor.expect_navigation():
        tutor.get_by_role("link", name="Amina").click()
    journey.check(tutor, "review-form")
    for key in ("task", "coherence", "vocabulary", "grammar"):
        tutor.locator(f"#{key}-2").check()
    tutor.locator("#comment").fill("Très bien, pense à la formule de politesse.")
    with tutor.expect_navigation():
        tutor.get_by_role("button", name="Enregistrer la correction").click()

    learner = phone.new_page()
    learner.goto(f"{live_server}/c/{make.card(learner_id, referent)}")
    with learner.expect_navigation():
        learner.locator("form.stack button[type=submit]").tap()
    assert "Correction reçue" in learner.content()
    with learner.expect_navigation():
        learner.locator("p.notice.success a").first.tap()
    assert "pense à la formule de politesse" in learner.content()
    journey.check(learner, "learner-reads-feedback")
