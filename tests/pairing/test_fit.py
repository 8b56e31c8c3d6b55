"""What pairing reads from needs and offers: places managed by referents, learners' needs
and volunteers' availability, places and absences, and the fit between them (worded
for one learner, and as the fast matrix of the proposal for everyone)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import login
from tests.sessions.test_sessions import _sessions
from tutoring.accounts.models import Role, User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db
from tutoring.pairing import fit
from tutoring.pairing.availability import save
from tutoring.pairing.models import Place


def test_places_are_managed_by_referents_with_clear_errors(app, make, pair):
    referent = app.test_client()
    login(referent, "claire")
    bad = referent.post("/apprenants/lieux", data={"name": "", "capacity": "4"})
    assert bad.status_code == 400
    assert "nom du lieu" in bad.get_data(as_text=True)
    assert referent.post("/apprenants/lieux", data={"name": "x", "capacity": "9999"}).status_code == 400
    ok = referent.post("/apprenants/lieux", data={"name": "Médiathèque", "capacity": "6",
                       "step_free": "1", "opening_hours": "mar.–sam. 10 h–18 h"})  # fmt: skip
    assert ok.status_code == 302
    places = make.run(lambda: db.session.scalars(select(Place).order_by(Place.id)).all())
    assert [(p.name, p.step_free) for p in places] == [
        ("Espace numérique MESA", False), ("Médiathèque", True)]  # fmt: skip
    make.user("ref-b", Role.REFERENT, structure="Autre")
    stranger = app.test_client()
    login(stranger, "ref-b")
    assert stranger.get(f"/apprenants/lieux/{places[0].id}").status_code == 404


def test_pairing_fit_reads_availability_places_reading_and_wishes(app, make):
    referent = make.user("claire", Role.REFERENT)
    profile_id, _u = make.learner(referent, first_name="Amina", languages=["ar"])
    near = make.user("marc", Role.TUTOR)
    far = make.user("lena", Role.TUTOR)

    def setup():
        structure_id = db.session.get(User, referent).structure_id
        room = Place(structure_id=structure_id, name="Locaux de Myriade", capacity=4)
        db.session.add(room)
        db.session.flush()
        profile = db.session.get(LearnerProfile, profile_id)
        profile.place_ids = [room.id]
        profile.reads_latin = False
        save(profile, {(1, "morning"), (3, "morning")})
        for tutor_id, slots, places, non_readers in (
            (near, {(1, "morning"), (3, "morning")}, [room.id], True),
            (far, {(5, "evening")}, [], False),
        ):
            tutor = db.session.get(User, tutor_id)
            tutor.tutor_profile.languages = ["ar"]
            tutor.tutor_profile.place_ids = places
            tutor.tutor_profile.non_readers = non_readers
            save(tutor, slots)
        db.session.commit()
        ranked = fit.suggestions(profile)
        return [(s.tutor.id, s.overlap_minutes, s.places, s.reading_fit) for s in ranked]

    ranked = make.run(setup)
    assert ranked[0] == (near, 360, ["Locaux de Myriade"], True)
    assert ranked[1] == (far, 0, [], False)
    referent_client = app.test_client()
    login(referent_client, "claire")
    page = referent_client.get(f"/apprenants/{profile_id}").get_data(as_text=True)
    assert "6 h en commun par semaine" in page or "6.0 h en commun par semaine" in page


def test_needs_form_saves_availability_and_refuses_forged_values(app, make):
    referent = make.user("claire", Role.REFERENT)
    profile_id, _u = make.learner(referent, first_name="Amina")
    client = app.test_client()
    login(client, "claire")
    forged = client.post(f"/apprenants/{profile_id}/besoins", data={"availability": "9:night"})
    assert forged.status_code == 400
    saved = client.post(f"/apprenants/{profile_id}/besoins",
                        data={"availability": ["0:morning", "4:evening"], "same_sex_tutor": "1"})  # fmt: skip
    assert saved.status_code == 302
    profile = make.run(lambda: db.session.get(LearnerProfile, profile_id))
    assert profile.same_sex_tutor is True
    page = client.get(f"/apprenants/{profile_id}/besoins").get_data(as_text=True)
    assert page.count("checked") >= 3


def test_tutor_profile_saves_availability_places_and_absence(app, make, pair):
    response = pair["client"].post(
        "/tuteur/profil",
        data={"max_learners": "3", "availability": ["2:afternoon"], "places": [str(pair["place"])],
              "video_ok": "1", "levels": ["A1", "A2"], "away_from": "2027-07-01",
              "away_until": "2027-06-01"},
    )  # fmt: skip
    assert response.status_code == 400  # the absence ends before it starts
    ok = pair["client"].post(
        "/tuteur/profil",
        data={"max_learners": "3", "availability": ["2:afternoon"], "places": [str(pair["place"])],
              "video_ok": "1", "levels": ["A1", "A2"], "away_from": "2027-07-01",
              "away_until": "2027-07-31"},
    )  # fmt: skip
    assert ok.status_code == 302
    tutor = make.run(lambda: db.session.get(User, pair["tutor"]).tutor_profile)
    assert (tutor.place_ids, tutor.video_ok, tutor.levels) == ([pair["place"]], True, ["A1", "A2"])
    away = pair["client"].post(
        f"/tuteur/apprenants/{pair['profile']}/seances",
        data={"day": "2027-07-14", "at": "10:00", "minutes": "60", "where": str(pair["place"])},
    )  # fmt: skip
    assert away.status_code == 302
    assert _sessions(make) == []


def test_the_fast_fit_matrix_scores_exactly_like_the_worded_fit(app, make):
    """The proposal for everyone uses numpy; it must weigh exactly what the referent
    reads in words for one learner."""
    import random

    import numpy as np

    from tutoring.accounts.profiles import Sex
    from tutoring.pairing.availability import PERIODS

    rng = random.Random(3)
    referent = make.user("claire", Role.REFERENT)
    learner_ids = [make.learner(referent, first_name=f"P{i}")[0] for i in range(12)]
    tutor_ids = [make.user(f"tuteur{i}", Role.TUTOR) for i in range(6)]
    half_days = [(d, p) for d in range(7) for p in PERIODS]

    def run():
        structure_id = db.session.get(User, referent).structure_id
        rooms = [Place(structure_id=structure_id, name=f"Salle {i}") for i in range(3)]
        db.session.add_all(rooms)
        db.session.flush()
        for pid in learner_ids:
            p = db.session.get(LearnerProfile, pid)
            p.languages = rng.sample(["ar", "uk", "ps", "fa", "fr"], 2)
            p.place_ids = [r.id for r in rng.sample(rooms, rng.randint(0, 2))]
            p.video_ok = rng.random() < 0.5
            p.reads_latin = rng.random() < 0.7
            p.same_sex_tutor = rng.random() < 0.3
            p.sex = rng.choice([None, Sex.FEMALE, Sex.MALE])
            p.practice_level = rng.choice([None, "A1.1", "A1", "A2", "B1"])
            save(p, set(rng.sample(half_days, rng.randint(0, 5))))
        for tid in tutor_ids:
            t = db.session.get(User, tid).tutor_profile
            t.languages = rng.sample(["ar", "uk", "ps", "fa"], 2)
            t.place_ids = [r.id for r in rng.sample(rooms, rng.randint(0, 2))]
            t.video_ok = rng.random() < 0.5
            t.non_readers = rng.random() < 0.5
            t.sex = rng.choice([None, Sex.FEMALE, Sex.MALE])
            t.levels = rng.sample(["A1.1", "A1", "A2", "B1"], rng.randint(0, 2))
            t.max_learners = rng.randint(1, 3)
            if rng.random() < 0.2:
                t.away_from, t.away_until = date.today(), date.today() + timedelta(days=9)
            save(db.session.get(User, tid), set(rng.sample(half_days, rng.randint(0, 5))))
        db.session.commit()
        profiles = [db.session.get(LearnerProfile, pid) for pid in learner_ids]
        needs = fit._needs(profiles)
        offers = fit._offers(structure_id)
        names = fit.place_names(structure_id)
        worded = np.array([[fit.fit(n, o, names, date.today()).score for o in offers]
                           for n in needs])  # fmt: skip
        return worded, fit.fit_matrix(needs, offers, date.today())

    worded, fast = make.run(run)
    assert worded.shape == (12, 6)
    assert np.allclose(worded, fast)
    assert len(set(worded.flatten().round(2))) > 10  # the scenario varies enough
