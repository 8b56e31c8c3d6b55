"""The audit log as an administrator reads it: failed sign-ins, pairings decided and
exports are recorded, details are in words, filters by kind, person and date; a new
API token can be copied."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

from sqlalchemy import select

from tests.conftest import login
from tutoring.accounts.models import AuditEvent, Role, User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db
from tutoring.pairing import pairings


def _actions(make) -> list[str]:
    return make.run(lambda: list(db.session.scalars(select(AuditEvent.action))))


def test_failed_sign_ins_pairings_and_exports_are_recorded(app, make):
    app.config["REQUIRE_2FA_ROLES"] = []
    referent = make.user("claire", Role.REFERENT)
    tutor = make.user("marc", Role.TUTOR)
    make.user("julien", Role.COORDINATOR)
    profile_id, _user = make.learner(referent, first_name="Amina")
    stranger = app.test_client()
    assert login(stranger, "marc", "pas le bon mot de passe").status_code == 401
    assert login(stranger, "personne-inconnue", "x" * 12).status_code == 401
    assert stranger.post("/carte", data={"code": "AAAA-BBBB-CCCC"}).status_code == 401

    def decide():
        claire, marc = db.session.get(User, referent), db.session.get(User, tutor)
        pairing = pairings.propose(
            claire, db.session.get(LearnerProfile, profile_id), marc
        )
        pairings.respond(marc, pairing, accept=False, reason="trop loin")
        db.session.commit()

    make.run(decide)
    coordinator = app.test_client()
    login(coordinator, "julien")
    assert coordinator.get("/coordination/export.csv").status_code == 200
    failed = make.run(
        lambda: [
            (e.target.username if e.target else None, e.detail["method"])
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "sign_in_failed")
            )
        ]
    )
    assert failed == [("marc", "password"), (None, "password"), (None, "card")]
    actions = _actions(make)
    assert "pairing_proposed" in actions
    assert "pairing_declined" in actions
    assert "indicators_exported" in actions
    assert not [
        d for d in make.run(lambda: list(db.session.scalars(select(AuditEvent.detail))))
        if "personne-inconnue" in str(d) or "pas le bon" in str(d)
    ]  # fmt: skip


def test_the_journal_reads_in_words_and_filters_by_kind_person_and_date(
    app, client, make, signed_in
):
    app.config["REQUIRE_2FA_ROLES"] = []
    signed_in(Role.ADMIN, username="sam")
    client.post(
        "/admin/jetons",
        data={"name": "Tableau", "access": "some", "groups": ["trend", "exams"]},
    )
    make.user("marc", Role.TUTOR)
    login(app.test_client(), "marc", "mauvais mot de passe")
    page = unescape(client.get("/admin/journal").get_data(as_text=True))
    assert "Indicateurs lisibles : Examens blancs, Séries mensuelles" in page
    assert "scope=exams" not in page
    assert "exams,trend" not in page
    assert "connexion refusée" in page
    assert "Moyen de connexion : mot de passe" in page

    only_failures = unescape(
        client.get("/admin/journal?action=sign_in_failed").get_data(as_text=True)
    )
    assert "connexion refusée" in only_failures
    assert "jeton d’API créé" not in only_failures.split("<table")[1]
    by_person = unescape(
        client.get("/admin/journal?person=MARC").get_data(as_text=True)
    )
    table = by_person.split("<table")[1]
    assert "connexion refusée" in table
    assert "jeton d’API créé" not in table
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    later = client.get(f"/admin/journal?since={tomorrow}").get_data(as_text=True)
    assert "Aucun événement ne correspond." in unescape(later)
    bad = client.get("/admin/journal?since=demain&action=inconnu")
    assert bad.status_code == 400
    assert "Le formulaire contient des erreurs" in unescape(bad.get_data(as_text=True))
    backwards = client.get(
        f"/admin/journal?since={tomorrow}&until={date.today().isoformat()}"
    )
    assert backwards.status_code == 400


def test_journal_and_token_tables_are_cards_on_a_phone_and_keyboard_reachable(
    app, client, make, signed_in
):
    app.config["REQUIRE_2FA_ROLES"] = []
    signed_in(Role.ADMIN)
    response = client.post("/admin/jetons", data={"name": "Tableau", "access": "all"})
    page = response.get_data(as_text=True)
    token = re.search(r'id="nouveau-jeton"[^>]*value="(ctai_[^"]+)"', page)
    assert token is not None  # in a field: selectable without JavaScript
    assert 'data-copy="nouveau-jeton"' in page  # the copy button (static/js/page.js)
    assert 'id="nouveau-jeton-statut" role="status"' in page
    for html in (page, client.get("/admin/journal").get_data(as_text=True)):
        assert re.search(r'<table class="responsive" tabindex="0"', html)
        assert 'data-label="' in html
