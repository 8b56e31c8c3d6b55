"""Enrolment by a referent, partner list, data export, erasure and inactivity purge."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import card_login
from tutoring.accounts.models import (
    AuditEvent,
    LoginCard,
    Partner,
    Role,
    Structure,
    User,
    UserSession,
)
from tutoring.accounts.profiles import LearnerProfile
from tutoring.accounts.rights import purge_inactive
from tutoring.core.database import utcnow
from tutoring.core.extensions import db

VALID = {
    "first_name": "Oksana",
    "last_name": "",
    "phone": "06 12 34 56 78",
    "email": "",
    "locale": "uk",
    "languages": ["uk", "ru"],
    "public_category": "bpt",
    "arrival_year": "2024",
    "cir_signed_on": "",
    "partner_id": "0",
    "goal": "a2",
    "sex": "",
    "age_band": "36_45",
    "consent": "y",
    "consent_on": "2026-11-20",
}


def _count(model) -> object:
    return lambda: db.session.scalar(select(func.count()).select_from(model))


def test_referent_enrols_a_learner_with_minimal_data(client, make, signed_in):
    signed_in(Role.REFERENT)
    form = client.get("/apprenants/inscrire").get_data(as_text=True)
    assert "Une tranche suffit : la date de naissance n’est jamais demandée." in form
    assert "nationalit" not in form.split("<main", 1)[1].split("Ne notez ni")[0]
    response = client.post("/apprenants/inscrire", data=VALID)
    assert response.status_code == 302
    profile = make.run(lambda: db.session.scalar(select(LearnerProfile)))
    assert profile.public_category.value == "bpt"
    assert profile.languages == ["uk", "ru"]
    assert profile.sex is None
    assert profile.consent_notice_version
    user = make.run(
        lambda: db.session.scalar(select(User).where(User.first_name == "Oksana"))
    )
    assert user.username.startswith("oksana-")
    assert user.locale == "uk"
    assert user.password_hash is None


def test_bad_enrolment_is_refused_at_the_field_and_nothing_is_saved(
    client, make, signed_in
):
    signed_in(Role.REFERENT)
    bad = dict(
        VALID, first_name="", arrival_year="1850", public_category="martian", consent=""
    )
    response = client.post("/apprenants/inscrire", data=bad)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Indiquez le prénom." in body
    assert "Choisissez une situation." in body or "Not a valid choice" not in body
    assert 'aria-invalid="true"' in body
    assert "Le formulaire contient des erreurs" in body
    assert make.run(_count(LearnerProfile)) == 0


def test_future_arrival_year_is_refused(client, make, signed_in):
    signed_in(Role.REFERENT)
    response = client.post(
        "/apprenants/inscrire", data=dict(VALID, arrival_year="2099")
    )
    assert response.status_code == 400
    assert "L’année doit être comprise entre 1950 et cette année." in response.get_data(
        as_text=True
    )
    assert make.run(_count(User)) == 1


def test_partner_of_another_structure_cannot_be_chosen(client, make, signed_in):
    signed_in(Role.REFERENT)
    other = make.structure("CCAS de Millau")
    partner_id = make.run(lambda: _partner(other, "Secours populaire"))
    response = client.post(
        "/apprenants/inscrire", data=dict(VALID, partner_id=str(partner_id))
    )
    assert response.status_code == 400
    assert make.run(_count(LearnerProfile)) == 0


def _partner(structure_id: int, name: str) -> int:
    partner = Partner(structure_id=structure_id, name=name)
    db.session.add(partner)
    db.session.flush()
    return partner.id


def test_referent_manages_the_partner_list(client, make, signed_in):
    signed_in(Role.REFERENT)
    assert (
        client.post(
            "/apprenants/partenaires", data={"name": "CADA de Millau"}
        ).status_code
        == 302
    )
    duplicate = client.post("/apprenants/partenaires", data={"name": "cada de millau"})
    assert duplicate.status_code == 400
    partner_id = make.run(lambda: db.session.scalar(select(Partner.id)))
    client.post(f"/apprenants/partenaires/{partner_id}/basculer")
    assert make.run(lambda: db.session.get(Partner, partner_id).active) is False
    assert "CADA de Millau" not in client.get("/apprenants/inscrire").get_data(
        as_text=True
    )


def test_a_partner_added_twice_at_once_is_kept_once(client, make, signed_in, monkeypatch):
    """Two referents (or a double tap) add the same partner at the same moment: both
    found the name free. The second is told it is in the list, not a server error."""
    from tutoring.accounts import structures

    referent = signed_in(Role.REFERENT)
    structure_id = make.run(lambda: db.session.get(User, referent).structure_id)
    real = structures.partners_of

    def crossing(of, **kwargs):
        monkeypatch.setattr(structures, "partners_of", real)
        found = real(of, **kwargs)
        make.run(lambda: (_partner(structure_id, "CADA de Millau"), db.session.commit()))
        return found

    monkeypatch.setattr(structures, "partners_of", crossing)
    response = client.post("/apprenants/partenaires", data={"name": "CADA de Millau"})
    assert response.status_code == 400
    assert "Cette structure est déjà dans la liste." in response.get_data(as_text=True)
    assert make.run(lambda: db.session.scalars(select(Partner.name)).all()) == [
        "CADA de Millau"
    ]


def test_referent_corrects_an_enrolment(client, make, signed_in):
    referent = signed_in(Role.REFERENT)
    profile_id, user_id = make.learner(referent)
    page = client.get(f"/apprenants/{profile_id}/modifier").get_data(as_text=True)
    assert 'value="Amina"' in page
    response = client.post(
        f"/apprenants/{profile_id}/modifier",
        data=dict(VALID, first_name="Amina", goal="b1"),
    )
    assert response.status_code == 302
    assert (
        make.run(lambda: db.session.get(LearnerProfile, profile_id).goal.value) == "b1"
    )


def test_learner_downloads_own_data(app, make):
    referent = make.user("claire", Role.REFERENT)
    _profile_id, user_id = make.learner(referent, languages=["ar"])
    code = make.card(user_id, referent)
    learner = app.test_client()
    card_login(learner, code)
    page = learner.get("/compte/mes-donnees").get_data(as_text=True)
    assert "Amina" in page
    assert "Arabe" in page
    response = learner.get("/compte/mes-donnees.json")
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.data)
    assert data["account"]["first_name"] == "Amina"
    assert data["enrolment"]["public_category"] == "bpi"
    assert len(data["login_cards"]) == 1
    assert "code_hash" not in response.get_data(as_text=True)


def test_learner_asks_for_erasure_and_referent_sees_it(app, make, signed_in, client):
    referent = signed_in(Role.REFERENT)
    profile_id, user_id = make.learner(referent)
    code = make.card(user_id, referent)
    learner = app.test_client()
    card_login(learner, code)
    assert learner.post("/compte/effacement", data={}).status_code == 400
    assert learner.post("/compte/effacement", data={"confirm": "y"}).status_code == 302
    assert make.run(
        lambda: db.session.get(LearnerProfile, profile_id).erasure_requested_at
    )
    home = client.get("/").get_data(as_text=True)
    assert "Demandes d’effacement" in home
    assert f"/apprenants/{profile_id}/effacer" in home


def test_erasure_removes_personal_data_and_keeps_anonymous_figures(
    app, make, signed_in, client
):
    referent = signed_in(Role.REFERENT)
    profile_id, user_id = make.learner(referent, first_name="Leila", phone="0600000000")
    code = make.card(user_id, referent)
    card_login(app.test_client(), code)
    assert client.post(f"/apprenants/{profile_id}/effacer", data={}).status_code == 400
    assert (
        client.post(
            f"/apprenants/{profile_id}/effacer", data={"confirm": "y"}
        ).status_code
        == 302
    )
    assert make.run(lambda: db.session.get(User, user_id)) is None
    profile = make.run(lambda: db.session.get(LearnerProfile, profile_id))
    assert profile.user_id is None
    assert profile.erased_at is not None
    assert profile.public_category.value == "bpi"  # the anonymous row stays
    assert make.run(_count(LoginCard)) == 0
    assert (
        make.run(
            lambda: db.session.scalar(
                select(func.count())
                .select_from(UserSession)
                .where(UserSession.user_id == user_id)
            )
        )
        == 0
    )
    assert card_login(app.test_client(), code).status_code == 401
    assert "Leila" not in client.get("/apprenants/").get_data(as_text=True)
    event = make.run(
        lambda: db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "learner_erased")
        )
    )
    assert "Leila" not in json.dumps(event.detail)


def _age(user_id: int, days: int) -> None:
    user = db.session.get(User, user_id)
    user.last_seen_at = utcnow() - timedelta(days=days)
    user.created_at = utcnow() - timedelta(days=days)


def test_inactive_learners_are_flagged_then_erased_after_notice(make, runner):
    referent = make.user("claire", Role.REFERENT, email="claire@myriade.example")
    old_profile, old_user = make.learner(referent, first_name="Ancien")
    _recent_profile, recent_user = make.learner(referent, first_name="Recent")
    make.run(lambda: _age(old_user, 30 * 24 + 1))
    result = runner.invoke(args=["accounts", "purge-inactive"])
    assert result.exit_code == 0, result.output
    assert "1 learner(s) flagged, 0 erased" in result.output
    assert (
        make.run(lambda: db.session.get(User, old_user).inactivity_notice_at)
        is not None
    )
    assert (
        make.run(lambda: db.session.get(User, recent_user).inactivity_notice_at) is None
    )

    def later():
        flagged, erased = purge_inactive(now=utcnow() + timedelta(days=31))
        return len(flagged), erased

    assert make.run(later) == (0, 1)
    assert make.run(lambda: db.session.get(User, old_user)) is None
    assert (
        make.run(lambda: db.session.get(LearnerProfile, old_profile).erased_at)
        is not None
    )
    assert make.run(lambda: db.session.get(User, recent_user)) is not None


def test_signing_in_again_clears_the_inactivity_notice(app, make, runner):
    referent = make.user("claire", Role.REFERENT)
    _profile, user_id = make.learner(referent)
    code = make.card(user_id, referent)
    make.run(lambda: _age(user_id, 30 * 24 + 1))
    runner.invoke(args=["accounts", "purge-inactive"])
    card_login(app.test_client(), code)
    assert make.run(lambda: db.session.get(User, user_id).inactivity_notice_at) is None


def test_structure_is_required_for_enrolment(client, make, signed_in):
    signed_in(Role.REFERENT, structure=None)
    response = client.post("/apprenants/inscrire", data=VALID)
    assert response.status_code == 400
    assert make.run(_count(Structure)) == 0
