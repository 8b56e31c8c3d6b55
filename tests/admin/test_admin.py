"""Technical administration: staff accounts and roles, deactivation, the audit log, API
tokens and their scope."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.accounts.test_volunteers import _actions
from tests.conftest import login
from tutoring.accounts.models import Role, User, UserSession
from tutoring.core.extensions import db
from tutoring.indicators.models import ApiToken


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


def test_an_account_made_twice_at_once_is_refused_cleanly(
    app, client, make, signed_in, monkeypatch
):
    """A double tap on « create » (or two admins at once): both requests find the
    username free; the second is told it is taken, on the form, not a server error,
    and keeps nothing of its own."""
    from tutoring.accounts import users

    app.config["REQUIRE_2FA_ROLES"] = []
    signed_in(Role.ADMIN)
    structure_id = make.structure("Association Myriade")
    real = users.email_taken

    def crossing(email):
        make.run(lambda: (  # the first request's account, committed meanwhile
            db.session.add(User(username="claire", first_name="Claire")),
            db.session.commit(),
        ))  # fmt: skip
        monkeypatch.setattr(users, "email_taken", real)
        return real(email)

    monkeypatch.setattr(users, "email_taken", crossing)
    response = client.post("/admin/comptes/nouveau", data={
        "first_name": "Claire", "username": "claire", "email": "claire@myriade.example",
        "structure_id": str(structure_id), "roles": ["referent"],
    })  # fmt: skip
    assert response.status_code == 400
    assert "Cet identifiant est déjà pris." in response.get_data(as_text=True)
    emails = make.run(
        lambda: db.session.scalars(select(User.email).where(User.username == "claire")).all()
    )
    assert emails == [None]  # the first request's account, untouched
    assert "account_created" not in _actions(make)


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
