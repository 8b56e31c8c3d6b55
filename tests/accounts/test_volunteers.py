"""Volunteer sign-up, and a referent approving or declining the volunteer."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.conftest import login
from tutoring.accounts.models import AuditEvent, Role, User
from tutoring.accounts.profiles import TutorProfile
from tutoring.core.extensions import db

SIGNUP = {"first_name": "Marc", "email": "marc@example.org", "charter": "y"}
PASSWORD_CHOSEN = "les cigales de Millau"
CSRF_VALUE = re.compile(r'name="csrf_token" value="[^"]*"')


def _actions(make) -> list[str]:
    return make.run(
        lambda: db.session.scalars(
            select(AuditEvent.action).order_by(AuditEvent.id)
        ).all()
    )


def _sign_up(client, mailbox, **changes) -> str:
    """Fill the sign-up form; return the link mailed to finish it."""
    response = client.post("/devenir-benevole", data=dict(SIGNUP, **changes))
    assert response.status_code == 302
    return mailbox.link(changes.get("email", SIGNUP["email"]), "/devenir-benevole/")


def test_volunteer_signs_up_and_waits_for_approval(client, make, mailbox):
    assert "charte" in client.get("/devenir-benevole").get_data(as_text=True)
    link = _sign_up(client, mailbox)
    assert make.run(lambda: db.session.scalar(select(User))) is None  # not yet
    assert "Bonjour Marc" in client.get(link).get_data(as_text=True)
    response = client.post(link, data={"password": PASSWORD_CHOSEN})
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "attend la validation" in home
    profile = make.run(lambda: db.session.scalar(select(TutorProfile)))
    assert profile.status.value == "pending"
    assert profile.charter_version
    assert client.get("/apprenants/").status_code == 403


def test_signup_without_charter_or_with_weak_password_is_refused(client, make, mailbox):
    no_charter = client.post("/devenir-benevole", data=dict(SIGNUP, charter=""))
    assert no_charter.status_code == 400
    assert "Vous devez accepter la charte" in no_charter.get_data(as_text=True)
    link = _sign_up(client, mailbox)
    common = client.post(link, data={"password": "azertyuiop123"})
    assert common.status_code == 400
    assert "trop courant" in common.get_data(as_text=True)
    short = client.post(link, data={"password": "court"})
    assert "au moins 12 caractères" in short.get_data(as_text=True)
    assert make.run(lambda: db.session.scalar(select(User))) is None


def test_long_unicode_password_is_accepted(client, mailbox):
    password = "Ма́ма мила раму — مرحبا بكم في ميو " * 3  # > 64 characters, any script
    assert len(password) > 64
    response = client.post(_sign_up(client, mailbox), data={"password": password})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    username = re.search(r"Votre identifiant est ([a-z0-9.-]+)\.", page)
    assert username is not None
    client.post("/deconnexion")
    assert login(client, username.group(1), password).status_code == 302
    client.post("/deconnexion")
    assert login(client, "marc@example.org", password).status_code == 302


# Sign-up never says whether an e-mail or a username is taken (#13, finding 14).


def test_a_known_email_gets_the_same_answer_as_a_new_one(app, make, mailbox):
    make.user("marc.d", Role.TUTOR, email="marc@example.org")
    answers = []
    for email in ("marc@example.org", "nouveau@example.org"):
        client = app.test_client()
        response = client.post("/devenir-benevole", data=dict(SIGNUP, email=email))
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        page = CSRF_VALUE.sub("", page.replace(email, "@"))
        answers.append((response.status_code, response.headers["Location"], page))
    assert answers[0] == answers[1]
    assert answers[0][0] == 302
    assert (
        "Pour continuer, ouvrez l’e-mail que nous venons d’envoyer à @."
        in (answers[0][2])
    )
    assert "déjà" not in answers[0][2]


def test_the_owner_of_a_known_email_is_told_by_mail(client, make, mailbox):
    make.user("marc.d", Role.TUTOR, email="marc@example.org")
    client.post("/devenir-benevole", data=dict(SIGNUP, email="Marc@Example.org"))
    ((to, subject, body),) = mailbox
    assert to == "marc@example.org"
    assert subject == "Vous avez déjà un compte"
    assert "Quelqu’un a voulu devenir bénévole avec cette adresse" in body
    assert "/mot-de-passe-oublie" in body
    assert "/devenir-benevole/" not in body  # no second account for this address
    assert make.run(lambda: db.session.scalar(select(func.count(User.id)))) == 1


def test_signup_has_no_username_to_probe(client, make, mailbox):
    make.user("marc.d", Role.TUTOR, email="ancien@example.org")
    form = client.get("/devenir-benevole").get_data(as_text=True)
    assert 'name="username"' not in form
    response = client.post("/devenir-benevole", data=dict(SIGNUP, username="marc.d"))
    assert response.status_code == 302
    link = mailbox.link("marc@example.org", "/devenir-benevole/")
    assert client.post(link, data={"password": PASSWORD_CHOSEN}).status_code == 302
    usernames = make.run(lambda: set(db.session.scalars(select(User.username))))
    assert "marc.d" in usernames
    assert len(usernames) == 2


def test_a_finish_form_sent_twice_at_once_makes_one_account(
    app, client, make, mailbox, monkeypatch
):
    """A double tap on « finish » while the password is hashed: the two requests
    both find the address free, and the first one makes the account. The second
    says the link has served, like a link opened again, instead of a server error."""
    from tutoring.accounts import users

    link = _sign_up(client, mailbox)
    real = users.new_username

    def crossing(first_name, fallback="apprenant"):
        make.run(lambda: (  # the first request's account, committed meanwhile
            db.session.add(User(
                username="marc-1000", email=SIGNUP["email"], first_name="Marc",
            )),
            db.session.commit(),
        ))  # fmt: skip
        monkeypatch.setattr(users, "new_username", real)
        return real(first_name, fallback)

    monkeypatch.setattr(users, "new_username", crossing)
    response = client.post(link, data={"password": PASSWORD_CHOSEN})
    assert response.status_code == 404
    assert "Ce lien ne fonctionne plus" in response.get_data(as_text=True)
    assert make.run(lambda: db.session.scalars(select(User.username)).all()) == [
        "marc-1000"
    ]
    assert make.run(lambda: db.session.scalar(select(func.count()).select_from(TutorProfile))) == 0
    assert "account_created" not in _actions(make)


def test_a_finish_link_serves_once_and_cannot_be_forged(app, client, make, mailbox):
    link = _sign_up(client, mailbox)
    assert client.post(link, data={"password": PASSWORD_CHOSEN}).status_code == 302
    other = app.test_client()
    used = other.get(link)
    assert used.status_code == 404
    assert "Ce lien ne fonctionne plus" in used.get_data(as_text=True)
    assert other.post(link, data={"password": PASSWORD_CHOSEN}).status_code == 404
    forged = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    assert other.get(forged).status_code == 404
    assert other.get("/devenir-benevole/n'importe quoi").status_code == 404
    assert make.run(lambda: db.session.scalar(select(func.count(User.id)))) == 1


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
