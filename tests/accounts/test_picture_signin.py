"""Picture sign-in on a structure's shared computers: off by default, only on a
computer a referent marked, pictures without names, a code of four pictures counted
per account and per computer, revoked with the card, never for staff."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import login, logout
from tutoring.accounts import pictures, shared
from tutoring.accounts.models import (
    PictureSignin,
    Role,
    SharedComputer,
    Structure,
    User,
    UserSession,
)
from tutoring.core.extensions import db

PICTURE_RE = re.compile(r'<ol class="picture-code">(.*?)</ol>', re.S)


def _turn_on(client) -> None:
    page = client.get("/apprenants/connexion-images").get_data(as_text=True)
    assert "La connexion par images est désactivée." in page  # off by default
    assert client.post("/apprenants/connexion-images/activer").status_code == 302
    response = client.post(
        "/structure/postes-partages", data={"label": "MESA – poste 1"}
    )
    assert response.status_code == 302
    assert client.get_cookie(shared.COMPUTER_COOKIE) is not None


def _give_code(client, profile_id: int, picture: str = "casque") -> list[str]:
    response = client.post(
        f"/apprenants/{profile_id}/images", data={"picture": picture}
    )
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Cache-Control"] == "no-store"
    block = PICTURE_RE.search(response.get_data(as_text=True)).group(1)
    return re.findall(r"exercises/img/([a-z-]+)(?:\.[0-9a-f]{12})?\.svg", block)


def _tap(client, picture: str, code: list[str]):
    response = None
    for name in code:
        response = client.post(f"/images/{picture}", data={"tap": name})
    return response


def _world(make, app):
    referent = make.user("claire", Role.REFERENT)
    profile_id, user_id = make.learner(referent, first_name="Amina")
    computer = app.test_client()
    login(computer, "claire")
    _turn_on(computer)
    code = _give_code(computer, profile_id)
    logout(computer)
    return computer, code, profile_id, user_id, referent


def test_off_by_default_and_only_on_a_shared_computer(app, make, client):
    referent = make.user("claire", Role.REFERENT)
    make.learner(referent, first_name="Amina")
    assert (
        make.run(lambda: db.session.scalars(select(Structure)).first().picture_signin)
        is False
    )
    page = client.get("/images").get_data(as_text=True)
    assert "seulement sur les ordinateurs partagés" in page
    assert "picture-choice" not in page
    assert client.get("/images/casque").status_code == 302


def test_a_learner_signs_in_with_their_picture_and_code(app, make):
    computer, code, _profile, user_id, _ref = _world(make, app)
    assert len(code) == 4
    assert set(code) <= set(pictures.CODE_PICTURES)
    page = computer.get("/images").get_data(as_text=True)
    assert 'href="/images/casque"' in page
    assert "Amina" not in page  # pictures, never names
    assert "Entrer avec mes images" in computer.get("/").get_data(as_text=True)
    # Three pictures touched: not signed in yet, nothing counted.
    partial = _tap(computer, "casque", code[:3])
    assert partial.status_code == 200
    assert "Images touchées : 3 sur 4" in partial.get_data(as_text=True)
    response = computer.post("/images/casque", data={"tap": code[3]})
    assert response.status_code == 302
    assert computer.get("/pratique/").status_code == 200
    shared = make.run(
        lambda: db.session.scalar(
            select(UserSession.shared_device).where(UserSession.user_id == user_id)
        )
    )
    assert shared is True


def test_a_wrong_code_is_refused_and_counted_per_account(app, make):
    computer, code, _profile, _user, _ref = _world(make, app)
    wrong = [n for n in pictures.CODE_PICTURES if n != code[0]][:1] + code[1:]
    for _ in range(10):
        response = _tap(computer, "casque", wrong)
        assert response.status_code == 401
        assert "Ce n’est pas le bon code" in response.get_data(as_text=True)
    # Locked for this account, even with the right code now.
    assert _tap(computer, "casque", code).status_code == 429


def test_a_tap_that_is_not_a_code_picture_is_a_400(app, make):
    computer, _code, _profile, _user, _ref = _world(make, app)
    assert computer.post("/images/casque", data={"tap": "../../etc"}).status_code == 400
    assert computer.post("/images/casque", data={}).status_code == 400
    assert computer.get("/images/inconnue").status_code == 302


def test_without_the_computer_cookie_the_code_is_useless(app, make):
    _computer, code, _profile, _user, _ref = _world(make, app)
    other = app.test_client()
    assert other.get("/images/casque").status_code == 302
    assert _tap(other, "casque", code).status_code == 302
    assert other.get("/pratique/").status_code == 302  # still anonymous


def test_turning_the_structure_off_stops_it(app, make):
    computer, code, _profile, _user, _ref = _world(make, app)
    login(computer, "claire")
    computer.post("/apprenants/connexion-images/activer")
    logout(computer)
    assert "picture-choice" not in computer.get("/images").get_data(as_text=True)
    assert _tap(computer, "casque", code).status_code == 302
    assert computer.get("/pratique/").status_code == 302
    # The computer stays a shared one (its own list revokes it): turned on again,
    # the pictures are back on it.
    login(computer, "claire")
    computer.post("/apprenants/connexion-images/activer")
    page = computer.get("/apprenants/connexion-images").get_data(as_text=True)
    assert "la connexion par images y est proposée" in page
    logout(computer)
    assert "picture-choice" in computer.get("/images").get_data(as_text=True)


def test_a_revoked_computer_no_longer_offers_the_pictures(app, make):
    computer, _code, _profile, _user, _ref = _world(make, app)
    login(computer, "claire")
    computer_id = make.run(lambda: db.session.scalar(select(SharedComputer.id)))
    assert (
        computer.post(f"/structure/postes-partages/{computer_id}/retirer").status_code
        == 302
    )
    logout(computer)
    assert "picture-choice" not in computer.get("/images").get_data(as_text=True)


def test_reprinting_or_revoking_the_card_ends_the_picture_sign_in(app, make):
    computer, code, profile_id, _user, _ref = _world(make, app)
    referent = app.test_client()
    login(referent, "claire")
    referent.post(f"/apprenants/{profile_id}/carte")  # reprint
    assert _tap(computer, "casque", code).status_code == 302  # its picture is gone
    assert "picture-choice" not in computer.get("/images").get_data(as_text=True)
    # A new code, then the referent removes it.
    code = _give_code(referent, profile_id, "lit")
    referent.post(f"/apprenants/{profile_id}/images/retirer")
    assert _tap(computer, "lit", code).status_code == 302
    rows = make.run(lambda: db.session.scalars(select(PictureSignin)).all())
    assert all(row.revoked_at is not None for row in rows)


def test_never_for_staff(app, make):
    computer, code, _profile, user_id, _ref = _world(make, app)

    def make_tutor() -> None:
        db.session.get(User, user_id).add_role(Role.TUTOR)

    make.run(make_tutor)
    assert "picture-choice" not in computer.get("/images").get_data(as_text=True)
    assert _tap(computer, "casque", code).status_code == 302
    assert computer.get("/pratique/").status_code == 302


def test_a_picture_is_one_learners_in_the_structure(app, make):
    computer, _code, _profile, _user, referent = _world(make, app)
    other_profile, _other_user = make.learner(referent, first_name="Bilal")
    login(computer, "claire")
    page = computer.get(f"/apprenants/{other_profile}/images").get_data(as_text=True)
    assert 'value="casque"' not in page  # Amina's
    refused = computer.post(
        f"/apprenants/{other_profile}/images", data={"picture": "casque"}
    )
    assert refused.status_code == 400
    assert (
        computer.post(
            f"/apprenants/{other_profile}/images", data={"picture": "soleil"}
        ).status_code
        == 400
    )  # a code picture is nobody's own picture


def test_another_structures_referent_gets_404(app, make):
    _computer, _code, profile_id, _user, _ref = _world(make, app)
    make.user("autre", Role.REFERENT, structure="Autre structure")
    other = app.test_client()
    login(other, "autre")
    assert other.get(f"/apprenants/{profile_id}/images").status_code == 404
    assert other.post(f"/apprenants/{profile_id}/images/retirer").status_code == 404
    assert (
        other.post(
            f"/apprenants/{profile_id}/images", data={"picture": "lit"}
        ).status_code
        == 404
    )
