"""The volunteer's profile and home, the referent's « Jumelages » and places, as a
newcomer meets them."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from tests.conftest import login
from tutoring.accounts.models import Role, User
from tutoring.core.extensions import db
from tutoring.pairing import pairings
from tutoring.pairing.models import Pairing, PairingStatus, Place


def test_profile_shows_every_error_at_once_and_keeps_a_long_bio(client, signed_in):
    signed_in(Role.TUTOR)
    bio = "Je suis retraité et j’aime les langues. " * 20  # about 800 characters
    response = client.post(
        "/tuteur/profil",
        data={
            "max_learners": "40",
            "away_from": "2026-12-20",
            "away_until": "",
            "bio": bio,
        },
    )
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert "Choisissez entre 1 et 6 apprenants." in page
    assert "Indiquez les deux dates de l’absence" in page
    assert "La présentation est trop longue (500 caractères au plus)." in page
    assert bio.strip() in page  # nothing cut silently: the text comes back whole
    assert 'maxlength="500"' not in page
    assert "500 caractères au plus." in page
    assert 'data-count-of="bio"' in page  # the live count (static/js/page.js)


def test_languages_besides_french_do_not_offer_french(client, signed_in):
    signed_in(Role.TUTOR)
    page = client.get("/tuteur/profil").get_data(as_text=True)
    languages = page.split("en plus du français")[1].split("</fieldset>")[0]
    assert 'value="ar"' in languages
    assert 'value="fr"' not in languages


def test_each_availability_cell_is_the_label_of_its_box(client, signed_in):
    signed_in(Role.TUTOR)
    page = client.get("/tuteur/profil").get_data(as_text=True)
    cells = re.findall(r"<td>(.*?)</td>", page.split('class="slots"')[1], re.S)
    assert len(cells) >= 21
    for cell in cells[:21]:
        assert cell.startswith('<label class="slot"><input type="checkbox"'), cell
        assert '<span class="visually-hidden">' in cell  # the day and half-day, read


def test_volunteer_home_follows_the_pairings(app, make):
    referent = make.user("claire", Role.REFERENT)
    tutor = make.user("marc", Role.TUTOR)
    profiles = [make.learner(referent, first_name=n)[0] for n in ("Amina", "Oleg")]

    def propose():
        claire, marc = db.session.get(User, referent), db.session.get(User, tutor)
        for profile_id in profiles:
            from tutoring.accounts.profiles import LearnerProfile

            pairings.propose(claire, db.session.get(LearnerProfile, profile_id), marc)
        db.session.commit()

    make.run(propose)
    client = app.test_client()
    login(client, "marc")
    home = unescape(client.get("/").get_data(as_text=True))
    assert "Personnes qui vous sont proposées : 2." in home
    assert "vous proposera une personne" not in home

    def accept():
        marc = db.session.get(User, tutor)
        for pairing in db.session.scalars(select(Pairing)):
            pairings.respond(marc, pairing, accept=True)
        db.session.commit()

    make.run(accept)
    home = unescape(client.get("/").get_data(as_text=True))
    assert "Personnes que vous accompagnez : 2." in home
    assert "vous proposera une personne" not in home


def test_jumelages_lists_proposed_and_active_pairs_with_their_state(app, make):
    referent = make.user("claire", Role.REFERENT)
    tutor = make.user("marc", Role.TUTOR)
    amina, _u = make.learner(referent, first_name="Amina")
    oleg, _v = make.learner(referent, first_name="Oleg")

    def pair_them():
        from tutoring.accounts.profiles import LearnerProfile

        claire, marc = db.session.get(User, referent), db.session.get(User, tutor)
        first = pairings.propose(claire, db.session.get(LearnerProfile, amina), marc)
        pairings.respond(marc, first, accept=True)
        pairings.propose(claire, db.session.get(LearnerProfile, oleg), marc)
        db.session.commit()

    make.run(pair_them)
    client = app.test_client()
    login(client, "claire")
    page = unescape(client.get("/apprenants/jumelages").get_data(as_text=True))
    current = page.split("Jumelages en cours")[1]
    rows = re.findall(r"<li>(.*?)</li>", current, re.S)
    proposed = next(r for r in rows if "Oleg" in r)
    active = next(r for r in rows if "Amina" in r)
    assert "proposé" in proposed
    assert "en attente de la réponse du bénévole" in proposed
    assert "actif" in active
    assert current.index("Oleg") < current.index("Amina")  # waiting ones first
    statuses = make.run(
        lambda: sorted(p.status for p in db.session.scalars(select(Pairing)))
    )
    assert statuses == sorted([PairingStatus.ACTIVE, PairingStatus.PROPOSED])


def test_a_place_has_opening_days_and_hours(client, make, signed_in):
    signed_in(Role.REFERENT)
    response = client.post(
        "/apprenants/lieux",
        data={"name": "Médiathèque", "capacity": "4", "open_days": ["1", "2"],
              "opens_at": "10:00", "closes_at": "18:00"},
    )  # fmt: skip
    assert response.status_code == 302
    place = make.run(lambda: db.session.scalar(select(Place)))
    assert (place.open_days, str(place.opens_at), str(place.closes_at)) == (
        "12", "10:00:00", "18:00:00"
    )  # fmt: skip
    bad = client.post(
        f"/apprenants/lieux/{place.id}",
        data={"name": "Médiathèque", "capacity": "4", "opens_at": "18:00",
              "closes_at": "10:00"},
    )  # fmt: skip
    assert bad.status_code == 400
    assert "la fermeture après l’ouverture" in unescape(bad.get_data(as_text=True))
    forged = client.post(
        f"/apprenants/lieux/{place.id}",
        data={"name": "Médiathèque", "capacity": "4", "open_days": ["9"]},
    )
    assert forged.status_code == 400
