"""Volunteer sign-up and approval; staff accounts; audit log; API tokens; indicators."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import login
from tutoring.accounts.models import AuditEvent, Role, User, UserSession
from tutoring.accounts.profiles import TutorProfile
from tutoring.core.extensions import db
from tutoring.indicators.definitions import protect
from tutoring.indicators.models import ApiToken

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


def test_admin_creates_a_referent_who_chooses_a_password(app, client, make, signed_in):
    app.config["REQUIRE_2FA_ROLES"] = []
    make.structure("Association Myriade")
    signed_in(Role.ADMIN)
    structure_id = make.structure("Association Myriade")
    response = client.post(
        "/admin/comptes/nouveau",
        data={
            "first_name": "Claire",
            "username": "claire",
            "email": "claire@myriade.example",
            "structure_id": str(structure_id),
            "roles": ["referent"],
        },
    )
    assert response.status_code == 201
    link = re.search(
        r"http://localhost(/mot-de-passe/[^<\s]+)", response.get_data(as_text=True)
    ).group(1)
    newcomer = app.test_client()
    assert (
        newcomer.post(link, data={"password": "un mot de passe solide"}).status_code
        == 302
    )
    assert newcomer.get(link).status_code == 404  # used once
    assert login(newcomer, "claire", "un mot de passe solide").status_code == 302
    assert "account_created" in _actions(make)


def test_referent_needs_a_structure(app, client, make, signed_in):
    app.config["REQUIRE_2FA_ROLES"] = []
    signed_in(Role.ADMIN)
    response = client.post(
        "/admin/comptes/nouveau",
        data={
            "first_name": "Claire",
            "username": "claire",
            "structure_id": "0",
            "roles": ["referent"],
        },
    )
    assert response.status_code == 400
    assert "doit être rattaché·e à une structure" in response.get_data(as_text=True)


def test_admin_changes_roles_and_disables_an_account(app, client, make, signed_in):
    app.config["REQUIRE_2FA_ROLES"] = []
    target = make.user("marc", Role.TUTOR)
    signed_in(Role.ADMIN)
    structure_id = make.structure("Association Myriade")
    other = app.test_client()
    login(other, "marc")
    response = client.post(
        f"/admin/comptes/{target}",
        data={"roles": ["tutor", "referent"], "structure_id": str(structure_id)},
    )
    assert response.status_code == 302
    assert make.run(lambda: db.session.get(User, target).roles) == {
        Role.TUTOR,
        Role.REFERENT,
    }
    client.post(f"/admin/comptes/{target}/activation")
    assert make.run(lambda: db.session.get(User, target).active) is False
    assert other.get("/compte/").status_code == 302  # its session ended
    assert login(app.test_client(), "marc").status_code == 401
    actions = _actions(make)
    assert "roles_changed" in actions
    assert "account_disabled" in actions
    log = client.get("/admin/journal").get_data(as_text=True)
    assert "compte désactivé" in log
    assert "rôles modifiés" in log


def test_admin_cannot_lock_themselves_out(app, client, make, signed_in):
    app.config["REQUIRE_2FA_ROLES"] = []
    me = signed_in(Role.ADMIN)
    response = client.post(
        f"/admin/comptes/{me}", data={"roles": ["tutor"], "structure_id": "0"}
    )
    assert response.status_code == 400
    client.post(f"/admin/comptes/{me}/activation")
    assert make.run(lambda: db.session.get(User, me).active) is True


def test_api_needs_a_valid_token_and_never_lists_people(app, client, make, signed_in):
    app.config["REQUIRE_2FA_ROLES"] = []
    signed_in(Role.ADMIN)
    page = client.post("/admin/jetons", data={"name": "Module CTAI"}).get_data(
        as_text=True
    )
    token = re.search(r"(ctai_[A-Za-z0-9_-]+)", page).group(1)
    assert make.run(lambda: db.session.scalar(select(ApiToken.token_hash))) != token
    api = app.test_client()
    assert api.get("/api/v1/indicators/enrolments").status_code == 401
    assert (
        api.get(
            "/api/v1/indicators/enrolments", headers={"Authorization": "Bearer nope"}
        ).status_code
        == 401
    )
    referent = make.user("claire", Role.REFERENT)
    for i in range(12):
        make.learner(referent, first_name=f"Prenom{i}")
    make.learner(
        referent,
        first_name="Seule",
        public_category=__import__(
            "tutoring.accounts.profiles", fromlist=["PublicCategory"]
        ).PublicCategory.BPT,
    )
    response = api.get(
        "/api/v1/indicators/enrolments", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    data = response.get_json()
    by_category = data["learners_enrolled"]["by_public_category"]
    assert by_category["bpt"] is None  # 1 person: hidden
    assert by_category["bpi"] is None  # secondary suppression, or the total would tell
    assert data["learners_enrolled"]["total"] == 13
    assert "Prenom" not in response.get_data(as_text=True)
    token_id = make.run(lambda: db.session.scalar(select(ApiToken.id)))
    client.post(f"/admin/jetons/{token_id}/revoquer")
    assert (
        api.get(
            "/api/v1/indicators/enrolments",
            headers={"Authorization": f"Bearer {token}"},
        ).status_code
        == 401
    )


def test_admin_creates_a_token_scoped_to_some_indicator_groups(
    app, client, make, signed_in
):
    app.config["REQUIRE_2FA_ROLES"] = []
    signed_in(Role.ADMIN)
    form = client.get("/admin/jetons").get_data(as_text=True)
    assert "Tous les indicateurs, y compris ceux ajoutés plus tard" in form
    assert 'value="exams"' in form
    assert "Examens civiques blancs réussis" in form  # what the exams group holds
    response = client.post(
        "/admin/jetons",
        data={
            "name": "Tableau examens",
            "access": "some",
            "groups": ["trend", "exams"],
        },
    )
    assert response.status_code == 200
    token = re.search(r"(ctai_[A-Za-z0-9_-]+)", response.get_data(as_text=True))
    assert token is not None
    scope = make.run(lambda: db.session.scalar(select(ApiToken.scope)))
    assert scope == ["exams", "trend"]  # in the order of the groups, no duplicates
    listing = client.get("/admin/jetons").get_data(as_text=True)
    assert "Examens blancs, Séries mensuelles" in listing
    assert "api_token_created" in _actions(make)
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token.group(1)}"
    assert api.get("/api/v1/indicators/exams.civic_taken").status_code == 200
    assert api.get("/api/v1/indicators/tutoring.hours").status_code == 403
    assert api.get("/api/v1/indicators/enrolments").status_code == 403
    # the token was used: its last use shows on the list
    listing = client.get("/admin/jetons").get_data(as_text=True)
    row = next(r for r in listing.split("<tr>") if "Tableau examens" in r)
    assert "—" not in row.split("</td>")[3]


def test_admin_creates_an_all_indicators_token_by_default(app, client, make, signed_in):
    app.config["REQUIRE_2FA_ROLES"] = []
    signed_in(Role.ADMIN)
    response = client.post(
        "/admin/jetons",
        data={"name": "Module CTAI", "access": "all", "groups": ["exams"]},
    )
    assert response.status_code == 200
    assert make.run(lambda: db.session.scalar(select(ApiToken.scope))) is None
    row = next(
        r for r in response.get_data(as_text=True).split("<tr>") if "Module CTAI" in r
    )
    assert "tous" in row


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "Sans groupe", "access": "some"},
            "Cochez au moins un groupe d’indicateurs, ou choisissez « Tous les indicateurs ».",
        ),
        ({"name": "Groupe inconnu", "access": "some", "groups": ["people"]}, "valid"),
        ({"name": "Accès inconnu", "access": "everything"}, "valid"),
    ],
)
def test_token_form_refuses_a_scope_it_cannot_store(
    app, client, make, signed_in, data, message
):
    app.config["REQUIRE_2FA_ROLES"] = []
    signed_in(Role.ADMIN)
    response = client.post("/admin/jetons", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "Le formulaire contient des erreurs" in page
    assert data["name"] in page  # the form comes back filled in
    assert "ctai_" not in page
    assert make.run(lambda: db.session.scalar(select(db.func.count(ApiToken.id)))) == 0


def test_coordinator_dashboard_shows_protected_aggregates_only(
    app, client, make, signed_in
):
    app.config["REQUIRE_2FA_ROLES"] = []
    referent = make.user("claire", Role.REFERENT)
    for i in range(3):
        make.learner(referent, first_name=f"Prenom{i}")
    signed_in(Role.COORDINATOR)
    page = client.get("/coordination/").get_data(as_text=True)
    assert "&lt; 11" in page
    assert "Prenom" not in page
    assert ">3<" not in page


def test_small_cell_protection_rules():
    cells, total = protect({"a": 40, "b": 3, "c": 25, "d": 0}, 11)
    shown = {c.key: c.value for c in cells}
    assert shown["b"] is None
    assert shown["c"] is None  # second smallest hidden so b cannot be derived
    assert shown["a"] == 40
    assert shown["d"] == 0
    assert total == 68
    cells, total = protect({"a": 4, "b": 2}, 11)
    assert total is None
    assert all(c.value is None for c in cells)
    cells, total = protect({"a": 2, "b": 3, "c": 30}, 11)
    assert {c.key: c.value for c in cells} == {"a": None, "b": None, "c": 30}


def test_disabling_revokes_sessions_in_the_database(app, client, make, signed_in):
    app.config["REQUIRE_2FA_ROLES"] = []
    target = make.user("marc", Role.TUTOR)
    login(app.test_client(), "marc")
    signed_in(Role.ADMIN)
    client.post(f"/admin/comptes/{target}/activation")
    open_sessions = make.run(
        lambda: db.session.scalars(
            select(UserSession).where(
                UserSession.user_id == target, UserSession.revoked_at.is_(None)
            )
        ).all()
    )
    assert open_sessions == []
