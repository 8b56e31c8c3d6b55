"""Volunteer sign-up, and a referent approving or declining the volunteer."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import login
from tutoring.accounts.models import AuditEvent, Role, User
from tutoring.accounts.profiles import TutorProfile
from tutoring.core.extensions import db

SIGNUP = {
    "first_name": "Marc",
    "email": "marc@example.org",
    "username": "marc.d",
    "password": "les cigales de Millau",
    "charter": "y",
}


def _actions(make) -> list[str]:
    return make.run(
        lambda: db.session.scalars(
            select(AuditEvent.action).order_by(AuditEvent.id)
        ).all()
    )


def test_volunteer_signs_up_and_waits_for_approval(client, make):
    assert "charte" in client.get("/devenir-benevole").get_data(as_text=True)
    response = client.post("/devenir-benevole", data=SIGNUP)
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "attend la validation" in home
    profile = make.run(lambda: db.session.scalar(select(TutorProfile)))
    assert profile.status.value == "pending"
    assert profile.charter_version
    assert client.get("/apprenants/").status_code == 403


def test_signup_without_charter_or_with_weak_password_is_refused(client, make):
    no_charter = client.post("/devenir-benevole", data=dict(SIGNUP, charter=""))
    assert no_charter.status_code == 400
    assert "Vous devez accepter la charte" in no_charter.get_data(as_text=True)
    common = client.post(
        "/devenir-benevole", data=dict(SIGNUP, password="azertyuiop123")
    )
    assert common.status_code == 400
    assert "trop courant" in common.get_data(as_text=True)
    short = client.post("/devenir-benevole", data=dict(SIGNUP, password="court"))
    assert "au moins 12 caractères" in short.get_data(as_text=True)
    assert make.run(lambda: db.session.scalar(select(User))) is None


def test_duplicate_username_or_email_is_refused(client, make):
    make.user("marc.d", Role.TUTOR)
    response = client.post("/devenir-benevole", data=SIGNUP)
    assert response.status_code == 409
    assert "Cet identifiant est déjà pris." in response.get_data(as_text=True)


def test_long_unicode_password_is_accepted(client):
    password = "Ма́ма мила раму — مرحبا بكم في ميو " * 3  # > 64 characters, any script
    assert len(password) > 64
    response = client.post("/devenir-benevole", data=dict(SIGNUP, password=password))
    assert response.status_code == 302
    client.post("/deconnexion")
    assert login(client, "marc.d", password).status_code == 302


def test_referent_approves_a_volunteer(app, client, make, signed_in):
    tutor_id = make.user("marc", Role.TUTOR, approved=False, structure=None)
    signed_in(Role.REFERENT)
    page = client.get("/benevoles/").get_data(as_text=True)
    assert "Inscriptions à valider" in page
    assert "Marc" in page
    assert client.post(f"/benevoles/{tutor_id}/valider").status_code == 302
    profile = make.run(lambda: db.session.get(TutorProfile, tutor_id))
    assert profile.status.value == "approved"
    assert profile.structure_id is not None
    assert "tutor_approved" in _actions(make)
    tutor = app.test_client()
    login(tutor, "marc")
    assert "Votre compte de bénévole est validé" in tutor.get("/").get_data(
        as_text=True
    )


def test_referent_declines_a_volunteer(client, make, signed_in):
    tutor_id = make.user("marc", Role.TUTOR, approved=False, structure=None)
    signed_in(Role.REFERENT)
    client.post(f"/benevoles/{tutor_id}/refuser")
    assert (
        make.run(lambda: db.session.get(TutorProfile, tutor_id).status.value)
        == "declined"
    )
