"""Who may open what: a role x route matrix generated from app.url_map, and IDOR.

A new route without an entry here fails the suite, and so does a route whose
declared rule differs from the matrix. `T` is an approved volunteer; `P` is a volunteer
awaiting approval, who holds the tutor role only on the routes that name `P` too.
"""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import PASSWORD, login
from tutoring.accounts.access import (
    ACCESS_ATTR,
    API_TOKEN,
    PENDING_VOLUNTEERS_ATTR,
    PUBLIC,
    SIGNED_IN,
)
from tutoring.accounts.models import Partner, Role, Structure
from tutoring.core.extensions import db
from tutoring.indicators.models import ApiToken

L, T, R, C, A = Role.LEARNER, Role.TUTOR, Role.REFERENT, Role.COORDINATOR, Role.ADMIN
P = "pending-volunteer"  # a volunteer who signed up and waits for a referent's approval

MATRIX: dict[str, object] = {
    "home.home": PUBLIC,
    "home.set_language": PUBLIC,
    "home.accessibility": PUBLIC,
    "home.privacy": PUBLIC,
    "home.charter": PUBLIC,
    "home.health": PUBLIC,
    "accounts.login": PUBLIC,
    "accounts.second_factor": PUBLIC,
    "accounts.card_login": PUBLIC,
    "accounts.card_link": PUBLIC,
    "accounts.picture_login": PUBLIC,
    "accounts.picture_code": PUBLIC,
    "accounts.tutor_signup": PUBLIC,
    "accounts.finish_signup": PUBLIC,
    "accounts.forgot_password": PUBLIC,
    "accounts.choose_password": PUBLIC,
    "accounts.logout": SIGNED_IN,
    "accounts.overview": SIGNED_IN,
    "accounts.end_session": SIGNED_IN,
    "accounts.end_other_sessions": SIGNED_IN,
    "accounts.change_password": SIGNED_IN,
    "accounts.two_factor_setup": SIGNED_IN,
    "accounts.two_factor_disable": SIGNED_IN,
    "accounts.recovery_codes": SIGNED_IN,
    "accounts.my_data": SIGNED_IN,
    "accounts.my_data_json": SIGNED_IN,
    "accounts.erasure": {L},
    "home.attestation": {L},
    "home.check_attestation": PUBLIC,
    "home.learners": {R},
    "accounts.enrol": {R},
    "home.learner": {R},
    "accounts.edit_learner": {R},
    "accounts.print_card": {R},
    "accounts.revoke_card": {R},
    "accounts.remove_sign_in": {R},
    "accounts.set_keyboard": {R},
    "accounts.picture_settings": {R, A},
    "accounts.toggle_pictures": {R, A},
    "accounts.shared_computers": {R, A},
    "accounts.revoke_shared_computer": {R, A},
    "accounts.still_here": SIGNED_IN,
    "accounts.handoff_start": {L},
    "accounts.handoff": PUBLIC,
    "accounts.handoff_link": PUBLIC,
    "accounts.learner_pictures": {R},
    "accounts.revoke_pictures": {R},
    "accounts.learner_data": {R},
    "accounts.learner_data_json": {R},
    "accounts.erase_learner": {R},
    "accounts.partners": {R},
    "accounts.toggle_partner": {R},
    "learning.external_level": {R},
    "learning.item_analysis": {R, A},
    "home.my_parcours": {L},
    "home.parcours_override": {R},
    "indicators.outcome": {R},
    "pairing.propose_pairing": {R},
    "pairing.end_pairing": {R},
    "pairing.pairings": {R},
    "home.volunteer": {T},
    "pairing.respond": {T},
    "home.volunteer_learner": {T},
    "pairing.profile": {T, P},
    "reviews.index": {R, T},
    "sessions.book": {T},
    "sessions.report": {T},
    "sessions.workshop": {T},
    "sessions.reschedule": {T},
    "sessions.confirm": {L},
    "sessions.ask_change": {L},
    "sessions.feed": PUBLIC,
    "sessions.calendar_feed": SIGNED_IN,
    "home.dismiss_notice": SIGNED_IN,
    "pairing.places": {R},
    "pairing.edit_place": {R},
    "pairing.needs": {R},
    "sessions.book_session": {R},
    "content.record_voice": {R, T},
    "content.voices_index": {R},
    "content.decide_voice": {R},
    "content.pending_voice": {R, T},
    "content.voice": PUBLIC,
    "sessions.index": {L},
    "sessions.cancel": {L, T, R},
    "sessions.calendar": {L, T, R},
    "reviews.review": {R, T},
    "reviews.recording": {R, T},
    "accounts.volunteers": {R},
    "accounts.approve_volunteer": {R},
    "accounts.decline_volunteer": {R},
    "learning.index": {L},
    "learning.set_level": {L},
    "learning.new_set": {L},
    "learning.homework": {L},
    "learning.review": {L},
    "learning.placement": {L},
    "learning.set_target": {L},
    "learning.play": {L},
    "learning.feedback": {L},
    "learning.summary": {L},
    "learning.track": {L},
    "learning.track_start": {L},

    "learning.service_worker": PUBLIC,
    "learning.precache": PUBLIC,
    "learning.manifest": PUBLIC,
    "learning.offline_page": PUBLIC,
    "learning.packs": {L},
    "learning.download": {L},
    "learning.pack": {L},
    "learning.offline_item": {L},
    "learning.sync_token": {L},
    "learning.sync": {L},
    "learning.sync_recording": {L},
    "exams.index": {L},
    "exams.start_civic": {L},
    "exams.civic": {L},
    "exams.civic_result": {L},
    "exams.start_language": {L},
    "exams.language": {L},
    "exams.language_section": {L},
    "exams.language_result": {L},
    "exams.language_speaking": {L},
    "exams.mock_audio": {L},
    "reviews.live_speaking": {R, T},
    "learning.bank": {R, T},
    "content.preview": {R, T},
    "learning.assign": {R, T},
    "indicators.dashboard": {C},
    "indicators.definitions": {C},
    "indicators.export_csv": {C},
    "indicators.export_xlsx": {C},
    "indicators.annual_report": {C},
    "indicators.annual_report_pdf": {C},
    "admin.index": {A},
    "admin.accounts": {A},
    "admin.new_account": {A},
    "admin.account": {A},
    "admin.toggle_active": {A},
    "admin.password_link": {A},
    "admin.structures": {A},
    "admin.api_tokens": {A},
    "admin.revoke_api_token": {A},
    "admin.audit_log": {A},
    "indicators.api_enrolments": API_TOKEN,
    "indicators.api_indicators": API_TOKEN,
    "indicators.api_indicator": API_TOKEN,
    "indicators.api_openapi": PUBLIC,
}
ROLES = [L, T, P, R, C, A]
SKIP_BEHAVIOUR = {"accounts.logout"}  # signs the client out; covered in test_auth


def _declared(app: Flask, endpoint: str) -> object:
    view = app.view_functions[endpoint]
    rule = getattr(view, ACCESS_ATTR, None)
    if not isinstance(rule, frozenset):
        return rule
    pending = T in rule and getattr(view, PENDING_VOLUNTEERS_ATTR, False)
    return set(rule) | ({P} if pending else set())


def test_every_route_has_a_matrix_entry(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint != "static"}
    assert endpoints - MATRIX.keys() == set(), "add the new routes to MATRIX"
    assert MATRIX.keys() - endpoints == set(), (
        "MATRIX names routes that no longer exist"
    )


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_each_view_declares_the_rule_of_the_matrix(app, endpoint):
    assert _declared(app, endpoint) == MATRIX[endpoint]


def test_a_route_that_names_no_role_answers_403(app_with):
    app = app_with()
    app.add_url_rule("/oubli", "forgotten", lambda: "secret")
    assert app.test_client().get("/oubli").status_code == 403


@pytest.fixture
def world(make, app, bank):
    """Objects every route can be called with, all in the referent's structure."""
    app.config["REQUIRE_2FA_ROLES"] = []
    referent_id = make.user("role-referent", R)
    profile_id, learner_id = make.learner(referent_id)
    pending_tutor = make.user("tutor-pending", T, approved=False, structure=None)
    spare = make.user("spare-account", T)

    def setup():
        structure = db.session.scalar(db.select(Structure))
        partner = Partner(structure_id=structure.id, name="CCAS de Millau")
        token = ApiToken(name="ctai", prefix="ctai_xxxx", token_hash="0" * 64)
        db.session.add_all([partner, token])
        db.session.flush()
        return partner.id, token.id

    partner_id, token_id = make.run(setup)
    set_id, assignment_id = make.run(lambda: _practice(profile_id, referent_id, bank))
    exam_id = make.run(lambda: _civic_exam(profile_id))
    ids = {
        "set_id": set_id,
        "assignment_id": assignment_id,
        "position": 0,
        "exam_id": exam_id,
        "pairing_id": 999999,
        "session_id": 999999,
        "user_session_id": 999999,
        "submission_id": 999999,
        "version_id": bank["a2-sante-test-01"],
        "profile_id": profile_id,
        "partner_id": partner_id,
        "user_id": spare,
        "token_id": token_id,
        "place_id": 999999,
        "computer_id": 999999,
        "message_id": 999999,
        "recording_id": 999999,
        "code": "AAAA-BBBB-CCCC",
        "picture": "casque",
        "token": "invalid",
        "name": "beneficiaries.active",
        "unit": "a2-numerique-ecran-test",
    }
    accounts = {
        L: ("learner", learner_id),
        R: ("role-referent", referent_id),
        P: ("tutor-pending", pending_tutor),
    }
    for role in (T, C, A):
        username = f"role-{role.value}"
        accounts[role] = (username, make.user(username, role))
    # the learner needs a password to sign in like the others
    from tutoring.accounts.models import User
    from tutoring.accounts.passwords import hash_password

    def learner_password():
        user = db.session.get(User, learner_id)
        user.username = "learner"
        user.password_hash = hash_password(PASSWORD)

    make.run(learner_password)
    ids["tutor_pending"] = pending_tutor
    return ids, accounts


def _practice(profile_id: int, referent_id: int, bank: dict) -> tuple[int, int]:
    """A finished one-item set and an open homework for the learner of the world."""
    import uuid
    from datetime import date, timedelta

    from tutoring.accounts.models import User
    from tutoring.accounts.profiles import LearnerProfile
    from tutoring.learning import practice

    profile = db.session.get(LearnerProfile, profile_id)
    done = practice.start_set(profile, level="A2")
    done.item_version_ids = [bank["a2-sante-test-01"]]
    practice.record_answer(
        profile, done, position=0, client_id=str(uuid.uuid4()), response={"choice": "0"},
        time_ms=1000,
    )  # fmt: skip
    homework = practice.assign_homework(
        db.session.get(User, referent_id), profile, title="Devoir",
        item_version_ids=[bank["a2-sante-test-01"]], due_on=date.today() + timedelta(days=3),
    )  # fmt: skip
    return done.id, homework.id


def _civic_exam(profile_id: int) -> int:
    from tutoring.accounts.profiles import LearnerProfile
    from tutoring.exams.civic import start_civic_exam

    return start_civic_exam(db.session.get(LearnerProfile, profile_id), "csp").id


def _url(app: Flask, endpoint: str, ids: dict) -> tuple[str, list[str]]:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {arg: ids[arg] for arg in rule.arguments}
    if endpoint.startswith("tutors.") and "user_id" in values:
        values["user_id"] = ids["tutor_pending"]
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values), sorted(rule.methods - {"HEAD", "OPTIONS"})


def _call(client, url: str, methods: list[str]):
    return client.get(url) if "GET" in methods else client.post(url, data={})


@pytest.mark.parametrize(
    "role", [None, *ROLES], ids=lambda r: str(r) if r else "anonymous"
)
def test_role_route_matrix(app, world, role):
    ids, accounts = world
    client = app.test_client()
    if role is not None:
        assert login(client, accounts[role][0]).status_code == 302
    failures = []
    for endpoint, rule in sorted(MATRIX.items()):
        if endpoint in SKIP_BEHAVIOUR:
            continue
        url, methods = _url(app, endpoint, ids)
        response = _call(client, url, methods)
        status = response.status_code
        if rule == API_TOKEN:
            allowed = False
        elif rule == PUBLIC:
            allowed = True
        elif rule == SIGNED_IN:
            allowed = role is not None
        else:
            allowed = role in rule
        if allowed and status in (401, 403):
            failures.append(f"{endpoint}: {status}, expected access")
        if not allowed:
            if role is None or rule == API_TOKEN:
                ok = status == 401 or (
                    status == 302 and "/connexion" in response.headers["Location"]
                )
            else:
                ok = status == 403
            if not ok:
                failures.append(f"{endpoint}: {status}, expected refusal")
        assert status != 500, endpoint
    assert failures == []


def test_unapproved_tutor_sees_no_learner(client, make, signed_in):
    make.learner()
    signed_in(T, approved=False, structure=None)
    assert client.get("/apprenants/").status_code == 403
    assert "attend la validation" in client.get("/").get_data(as_text=True)


class TestOtherStructureIsInvisible:
    """A referent of another structure cannot reach a learner by changing an id."""

    @pytest.fixture
    def setup(self, make, client):
        ref_a = make.user("ref-a", R, structure="Association Myriade")
        profile_id, _ = make.learner(ref_a)
        partner_id = make.run(lambda: _add_partner("Association Myriade"))
        make.user("ref-b", R, structure="CCAS de Millau")
        login(client, "ref-b")
        return profile_id, partner_id

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("get", "/apprenants/{p}"),
            ("get", "/apprenants/{p}/modifier"),
            ("post", "/apprenants/{p}/modifier"),
            ("post", "/apprenants/{p}/carte"),
            ("post", "/apprenants/{p}/carte/revoquer"),
            ("get", "/apprenants/{p}/donnees"),
            ("get", "/apprenants/{p}/donnees.json"),
            ("get", "/apprenants/{p}/effacer"),
            ("post", "/apprenants/{p}/effacer"),
            ("post", "/apprenants/partenaires/{q}/basculer"),
            ("post", "/apprenants/{p}/niveau-externe"),
            ("post", "/apprenants/{p}/resultat"),
            ("post", "/apprenants/{p}/jumelage"),
        ],
    )
    def test_answers_404(self, client, setup, method, path):
        profile_id, partner_id = setup
        url = path.format(p=profile_id, q=partner_id)
        response = getattr(client, method)(url, data={"confirm": "y"})
        assert response.status_code == 404

    def test_list_shows_only_own_structure(self, client, setup):
        assert "Amina" not in client.get("/apprenants/").get_data(as_text=True)


def _add_partner(structure_name: str) -> int:
    structure = db.session.scalar(
        db.select(Structure).where(Structure.name == structure_name)
    )
    partner = Partner(structure_id=structure.id, name="France Travail")
    db.session.add(partner)
    db.session.flush()
    return partner.id


def test_approved_tutor_of_another_structure_cannot_be_decided(client, make):
    ref_a = make.user("ref-a", R, structure="Association Myriade")
    tutor = make.user("marc", T, structure="Association Myriade")
    make.user("ref-b", R, structure="CCAS de Millau")
    login(client, "ref-b")
    assert client.post(f"/benevoles/{tutor}/refuser").status_code == 404
    assert ref_a


def test_live_speaking_page_only_for_the_paired_tutor_or_a_referent(app, make, pair):
    """The live speaking part of a mock exam: the learner's active paired tutor
    (approved) and the referents of the learner's structure; nobody else."""
    from datetime import timedelta

    from exercises.loading import BANK, load_bank
    from tutoring.accounts.profiles import LearnerProfile
    from tutoring.content.bank import sync_bank
    from tutoring.core.database import utcnow
    from tutoring.exams import language
    from tutoring.learning.models import PracticeSet
    from tutoring.pairing.models import Pairing, PairingStatus

    items, _problems = load_bank(BANK, check_audio=False)

    def live_exam() -> int:
        sync_bank(items)
        profile = db.session.get(LearnerProfile, pair["profile"])
        exam = language.start_language_exam(profile)
        for _n in range(3):
            practice = language.start_section(profile, exam)
            practice.deadline = utcnow() - timedelta(seconds=1)
            db.session.flush()
            assert isinstance(practice, PracticeSet)
        language.choose_speaking(exam, live=True)
        return exam.id

    exam_id = make.run(live_exam)
    url = f"/corrections/examen-oral/{exam_id}"
    make.user("other-tutor", T)  # approved, not paired with the learner
    make.user("waiting-tutor", T, approved=False, structure=None)
    make.user("ref-elsewhere", R, structure="Autre association")
    make.user("ref-same", R)
    for username, expected in (
        ("marc", 200), ("ref-same", 200), ("other-tutor", 404),
        ("ref-elsewhere", 404), ("waiting-tutor", 403),
    ):  # fmt: skip
        client = app.test_client()
        assert login(client, username).status_code == 302
        assert client.get(url).status_code == expected, username
        assert client.get(f"/corrections/examen-oral/{2**40}").status_code == 404

    def end_pairing() -> None:
        row = db.session.get(Pairing, pair["pairing"])
        row.status = PairingStatus.ENDED

    make.run(end_pairing)
    assert pair["client"].get(url).status_code == 404  # no longer paired
