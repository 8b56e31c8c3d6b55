"""Practice without a connection: packs, their pages, the service worker's files, and
the synchronisation of answers given offline (stored once, in order, refused alone)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess  # noqa: S404 - runs node on the project's own script
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from exercises.loading import load_bank
from exercises.scoring import grade
from tests.conftest import FIXTURE_BANK, csrf_from
from tests.learning.test_state import _consistent
from tutoring.accounts.models import Role, UserSession
from tutoring.content.bank import sync_bank
from tutoring.content.models import ItemVersion
from tutoring.core.extensions import db
from tutoring.learning.forms import RESPONSE_FIELDS
from tutoring.learning.models import Attempt, PracticeSet, SetMode, Submission
from tutoring.learning.offline import (
    MAX_BATCH,
    OFFLINE_TYPES,
    RESPONSE_KEYS,
    grading_key,
)

ROOT = Path(__file__).resolve().parents[2]


def _download(client: Any, pack: str = "niveau") -> dict[str, Any]:
    response = client.post("/pratique/hors-connexion/telecharger", data={"pack": pack})
    assert response.status_code == 201, response.data[:300]
    return response.get_json()


def _answer(
    pack: dict[str, Any], position: int, response: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    entry = pack["items"][position]
    return {
        "client_id": str(uuid.uuid4()),
        "pack": pack["id"],
        "position": position,
        "item_version_id": entry["version_id"],
        "answered_at": datetime.now(UTC).isoformat(),
        "time_ms": 12_000,
        "response": response,
        **extra,
    }


def _right(pack: dict[str, Any], position: int) -> dict[str, Any]:
    """The right response to an item of the pack, as the page posts it."""
    entry = pack["items"][position]
    key, kind = entry["key"], entry["type"]
    if kind == "single_choice":
        return {"choice": str(key["answer"])}
    if kind == "multiple_choice":
        return {"choices": [str(i) for i in key["answers"]]}
    if kind == "true_false":
        return {"answer": "true" if key["answer"] else "false"}
    if kind in ("matching", "ordering"):
        return {
            "pairs" if kind == "matching" else "order": [
                str(i) for i in range(key["count"])
            ]
        }
    if kind == "image_choice":
        return {"choice": key["answer"]}
    if kind == "gap_list":
        return {"gaps": [str(key["options"].index(a)) for a in key["answers"]]}
    if kind == "gap_typed":
        return {"gaps": [a[0] for a in key["accepted"]]}
    return {"fields": [a[0] for a in key["accepted"]]}


def _sync(client: Any, answers: list[Any]) -> Any:
    return client.post("/pratique/synchroniser", json={"answers": answers})


def _attempts(make: Any, profile_id: int) -> list[tuple[str, int, int | None]]:
    return make.run(
        lambda: [
            (a.client_id, a.item_version_id, a.position)
            for a in db.session.scalars(
                select(Attempt)
                .where(Attempt.learner_id == profile_id)
                .order_by(Attempt.id)
            )
        ]
    )


def test_packs_page_lists_the_level_and_themes_with_count_and_size(learner):
    page = learner.get("/pratique/hors-connexion/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Mon niveau (A2)" in html
    assert "Santé" in html
    # the test bank's A2 health unit: 9 auto-graded items and a recording among its 12
    assert re.search(r"10 exercices · Taille : [\d,]+\xa0(ko|Mo)", html), html
    assert 'data-pack="niveau"' in html
    assert 'data-pack="sante"' in html


def test_a_pack_holds_only_auto_graded_bank_items_never_an_exam(learner, make):
    pack = _download(learner)
    assert pack["items"], pack
    assert {e["type"] for e in pack["items"]} <= OFFLINE_TYPES
    text = json.dumps(pack)
    assert "/examens" not in text
    assert "civi" not in text
    assert all(url.startswith("/") for url in pack["resources"])
    # every pack has a set of its own, of the offline mode, owning those versions
    practice = make.run(lambda: db.session.get(PracticeSet, pack["id"]))
    assert practice.mode == SetMode.OFFLINE
    assert practice.item_version_ids == [e["version_id"] for e in pack["items"]]
    # dictation and writing stay online
    assert "short_writing" not in text
    assert "dictation" not in text


def test_pack_json_and_pages_belong_to_their_learner(learner, app, make, bank):
    pack = _download(learner)
    assert (
        learner.get(f"/pratique/hors-connexion/paquet/{pack['id']}").get_json() == pack
    )
    page = learner.get(pack["items"][0]["page"])
    assert page.status_code == 200
    assert b"data-offline-answer" in page.data
    assert (
        learner.get(
            f"/pratique/hors-connexion/{pack['id']}/{len(pack['items'])}"
        ).status_code
        == 404
    )
    other_id, other_user = make.learner(first_name="Boris")
    other = app.test_client()
    from tests.conftest import card_login

    card_login(other, make.card(other_user, make.user("ref-x", Role.REFERENT)))
    assert other.get(pack["items"][0]["page"]).status_code == 404
    assert other.get(f"/pratique/hors-connexion/paquet/{pack['id']}").status_code == 404


def test_an_unknown_pack_is_refused_with_a_message(learner):
    response = learner.post(
        "/pratique/hors-connexion/telecharger", data={"pack": "examen"}
    )
    assert response.status_code == 400
    assert "message" in response.get_json()


def test_answers_are_stored_once_even_when_the_batch_is_replayed(learner, make):
    pack = _download(learner)
    batch = [_answer(pack, i, _right(pack, i)) for i in range(3)]
    first = _sync(learner, batch)
    assert first.status_code == 200
    assert [r["status"] for r in first.get_json()["results"]] == ["stored"] * 3
    for _ in range(3):
        again = _sync(learner, batch).get_json()["results"]
        assert [r["status"] for r in again] == ["duplicate"] * 3
    rows = _attempts(make, learner.profile_id)
    assert sorted(r[0] for r in rows) == sorted(a["client_id"] for a in batch)
    scores = make.run(lambda: [a.score for a in db.session.scalars(select(Attempt))])
    assert scores == [1.0, 1.0, 1.0]  # graded again on the server
    _consistent(make, learner.profile_id)


def test_the_server_grades_not_the_client(learner, make):
    pack = _download(learner)
    answer = _answer(pack, 0, _right(pack, 0), score=0.0)
    wrong = dict(_right(pack, 0))
    if pack["items"][0]["type"] == "single_choice":
        wrong = {"choice": str((pack["items"][0]["key"]["answer"] + 1) % 2)}
    answer2 = _answer(pack, 0, wrong, score=1.0)
    _sync(learner, [answer, answer2])
    scores = make.run(
        lambda: {a.client_id: a.score for a in db.session.scalars(select(Attempt))}
    )
    assert scores[answer["client_id"]] == 1.0
    assert scores[answer2["client_id"]] < 1.0 or wrong == _right(pack, 0)


def test_a_bad_answer_is_refused_alone_and_the_batch_goes_on(learner, make):
    pack = _download(learner)
    now = datetime.now(UTC)
    good = _answer(pack, 0, _right(pack, 0))
    old = _answer(
        pack, 1, _right(pack, 1), answered_at=(now - timedelta(days=31)).isoformat()
    )
    future = _answer(
        pack, 1, _right(pack, 1), answered_at=(now + timedelta(minutes=10)).isoformat()
    )
    skewed = _answer(
        pack, 1, _right(pack, 1), answered_at=(now + timedelta(minutes=3)).isoformat()
    )
    malformed = _answer(
        pack, 2, {"choice": "9999", "gaps": 3, "pairs": "x", "order": None}
    )
    not_uuid = {**_answer(pack, 0, _right(pack, 0)), "client_id": "pas-un-uuid"}
    wrong_item = _answer(
        pack, 0, _right(pack, 0), item_version_id=pack["items"][1]["version_id"]
    )
    outside = {**_answer(pack, 0, _right(pack, 0)), "position": 999}
    results = _sync(
        learner,
        [
            good,
            old,
            future,
            skewed,
            malformed,
            not_uuid,
            wrong_item,
            outside,
            "x",
            None,
        ],
    ).get_json()["results"]
    statuses = [r["status"] for r in results]
    assert statuses == ["stored", "refused", "refused", "stored", "refused", "refused",
                        "refused", "refused", "refused", "refused"]  # fmt: skip
    assert "30 jours" in results[1]["reason"]
    assert "futur" in results[2]["reason"]
    assert all(r["reason"] for r in results if r["status"] == "refused")
    stored = {r[0] for r in _attempts(make, learner.profile_id)}
    assert stored == {good["client_id"], skewed["client_id"]}


def test_answers_are_applied_in_the_order_they_were_given(learner, make):
    pack = _download(learner)
    now = datetime.now(UTC)
    later = _answer(
        pack, 0, _right(pack, 0), answered_at=(now - timedelta(hours=1)).isoformat()
    )
    earlier = _answer(
        pack, 1, _right(pack, 1), answered_at=(now - timedelta(days=2)).isoformat()
    )
    _sync(learner, [later, earlier])
    rows = make.run(
        lambda: [
            (a.client_id, a.created_at)
            for a in db.session.scalars(select(Attempt).order_by(Attempt.id))
        ]
    )
    assert [r[0] for r in rows] == [earlier["client_id"], later["client_id"]]
    assert abs(rows[0][1] - (now - timedelta(days=2))) < timedelta(seconds=1)
    _consistent(make, learner.profile_id)


def test_a_batch_over_the_limit_or_unreadable_is_refused_in_json(learner, make):
    pack = _download(learner)
    too_many = [_answer(pack, 0, _right(pack, 0)) for _ in range(MAX_BATCH + 1)]
    response = _sync(learner, too_many)
    assert response.status_code == 413
    assert "50" in response.get_json()["message"]
    for body in ({"answers": "x"}, [], {"réponses": []}):
        bad = learner.post("/pratique/synchroniser", json=body)
        assert bad.status_code == 400
        assert bad.get_json()["message"]
    garbage = learner.post(
        "/pratique/synchroniser", data="{pas du json", content_type="application/json"
    )
    assert garbage.status_code == 400
    assert _attempts(make, learner.profile_id) == []


def test_an_item_changed_in_the_bank_keeps_the_version_answered(learner, make, app):
    pack = _download(learner, "sante")
    entry = pack["items"][0]
    items, _problems = load_bank(FIXTURE_BANK, check_audio=False)
    changed = [
        i for i in items if i.id != entry["item_id"]
    ]  # the item leaves the bank: retired

    def reload() -> None:
        sync_bank(changed)

    make.run(reload)
    assert not make.run(lambda: db.session.get(ItemVersion, entry["version_id"]).active)
    result = _sync(learner, [_answer(pack, 0, _right(pack, 0))]).get_json()["results"]
    assert result[0]["status"] == "stored"
    assert [r[1] for r in _attempts(make, learner.profile_id)] == [entry["version_id"]]


def test_another_learners_pack_or_answer_is_refused(learner, app, make):
    pack = _download(learner)
    answer = _answer(pack, 0, _right(pack, 0))
    _sync(learner, [answer])
    _other_id, other_user = make.learner(first_name="Boris")
    other = app.test_client()
    from tests.conftest import card_login

    card_login(other, make.card(other_user, make.user("ref-y", Role.REFERENT)))
    results = _sync(other, [answer, _answer(pack, 1, _right(pack, 1))]).get_json()[
        "results"
    ]
    assert [r["status"] for r in results] == ["refused", "refused"]
    assert len(_attempts(make, learner.profile_id)) == 1


def test_sync_needs_the_form_token(learner, app, make):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        pack = learner.get("/pratique/hors-connexion/paquet/1")
        assert pack.status_code == 404
        refused = _sync(learner, [])
        assert refused.status_code == 400
        assert "formulaire" in refused.get_json()["message"]
        token = learner.get("/pratique/synchroniser").get_json()["csrf_token"]
        ok = learner.post(
            "/pratique/synchroniser",
            json={"answers": []},
            headers={"X-CSRFToken": token},
        )
        assert ok.status_code == 200
        assert ok.get_json() == {"results": []}
        html = learner.get("/pratique/hors-connexion/").get_data(as_text=True)
        assert csrf_from(html)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_service_worker_manifest_and_offline_page(client):
    sw = client.get("/sw.js")
    assert sw.status_code == 200
    assert sw.mimetype == "text/javascript"
    assert sw.headers["Cache-Control"] == "no-cache"
    version = re.match(r'var VERSION = "([0-9a-f]{12})";', sw.get_data(as_text=True))
    assert version
    files = client.get("/hors-connexion/fichiers.json").get_json()
    assert files["version"] == version.group(1)
    assert "/hors-connexion" in files["urls"]
    assert any(
        re.fullmatch(r"/static/css/app(\.\w{12})?\.css", u) for u in files["urls"]
    )
    assert not any("/examens" in u or "/pratique" in u for u in files["urls"])
    for url in files["urls"]:
        with client.get(url) as response:
            assert response.status_code == 200, url
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    body = manifest.get_json(force=True)
    assert body["start_url"] == "/"
    assert body["display"] == "standalone"
    sizes = {(i["sizes"], i["purpose"]) for i in body["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in body["icons"]:
        with client.get(icon["src"]) as response:
            assert response.status_code == 200
    page = client.get("/hors-connexion")
    assert page.status_code == 200
    assert "Vous êtes hors connexion" in page.get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert 'rel="manifest"' in home
    assert "data-offline-banner" in home


def test_the_offline_page_is_translated(client):
    page = client.get("/hors-connexion", headers={"Accept-Language": "uk"})
    html = page.get_data(as_text=True)
    assert "Ви без інтернету" in html
    assert "Vous êtes hors connexion" not in html


def test_a_shared_computer_gets_no_pack_download(learner, app):
    """The hook of the shared-computer feature: `shared_computer` in the templates'
    context hides the packs and marks the page for offline-register.js."""

    def shared() -> dict[str, bool]:
        return {"shared_computer": True}

    processors = app.template_context_processors[None]
    processors.append(shared)
    try:
        html = learner.get("/pratique/hors-connexion/").get_data(as_text=True)
        assert "data-pack-download" not in html
        assert 'data-shared="1"' in html
    finally:
        processors.remove(shared)
    html = learner.get("/pratique/hors-connexion/").get_data(as_text=True)
    assert "data-pack-download" in html
    assert 'data-shared="1"' not in html


def test_a_shared_session_cannot_download_a_pack(learner, app):
    """The server refuses too, not only the page: a learner who ticked « ordinateur
    partagé » (or a marked computer) gets no pack, and no set is created."""
    with app.app_context():
        for row in db.session.scalars(select(UserSession)):
            row.shared_device = True
        db.session.commit()
    response = learner.post(
        "/pratique/hors-connexion/telecharger", data={"pack": "niveau"}
    )
    assert response.status_code == 403
    assert "ordinateur partagé" in response.get_json()["message"]
    with app.app_context():
        assert not db.session.scalars(
            select(PracticeSet).where(PracticeSet.mode == SetMode.OFFLINE)
        ).all()


CASES: list[tuple[str, dict[str, Any]]] = [
    ("a2-sante-test-01", {"choice": "1"}),
    ("a2-sante-test-01", {"choice": "0"}),
    ("a2-sante-test-02", {"choices": ["0", "1", "3"]}),
    ("a2-sante-test-02", {"choices": ["0", "2"]}),
    ("a2-sante-test-02", {"choices": ["2"]}),
    ("a2-sante-test-03", {"answer": "false"}),
    ("a2-sante-test-03", {"answer": "true"}),
    ("a2-sante-test-04", {"gaps": ["suis"]}),
    ("a2-sante-test-04", {"gaps": ["Suis."]}),
    ("a2-sante-test-04", {"gaps": ["  suis "]}),
    ("a2-sante-test-04", {"gaps": ["sui"]}),
    ("a2-sante-test-05", {"gaps": ["0"]}),
    ("a2-sante-test-05", {"gaps": ["1"]}),
    ("a2-sante-test-05", {"gaps": [""]}),
    ("a2-sante-test-06", {"pairs": ["0", "1", "2"]}),
    ("a2-sante-test-06", {"pairs": ["1", "0", ""]}),
    ("a2-sante-test-07", {"order": ["0", "2", "1"]}),
    ("a2-sante-test-08", {"choice": "pharmacie"}),
    ("a2-sante-test-08", {"choice": "bus"}),
]


@pytest.mark.skipif(
    shutil.which("node") is None and not os.environ.get("CI"),
    reason="node is not installed (CI installs it: there, this runs)",
)
def test_the_browser_grades_as_the_server(app):
    """static/js/offline-sync.js gives the score exercises/scoring.py gives."""
    items, _problems = load_bank(FIXTURE_BANK, check_audio=False)
    by_id = {i.id: i for i in items}
    accented = [i for i in items if i.type in ("gap_typed", "form_filling")]
    cases = list(CASES)
    for item in accented:  # accents and capitals: half marks, like the server
        answers = (
            item.data["answers"]
            if item.type == "gap_typed"
            else [f["answers"] for f in item.data["fields"]]
        )
        name = "gaps" if item.type == "gap_typed" else "fields"
        cases.append((item.id, {name: [a[0].upper() for a in answers]}))
        cases.append(
            (
                item.id,
                {name: [a[0].replace("é", "e").replace("è", "e") for a in answers]},
            )
        )
    payload = [
        {"type": by_id[i].type, "key": grading_key(by_id[i]), "response": r}
        for i, r in cases
    ]
    script = (
        "const vm=require('vm'),fs=require('fs');const ctx={};ctx.self=ctx;"
        "vm.createContext(ctx);vm.runInContext(fs.readFileSync(process.argv[1],'utf8'),ctx);"
        "const cases=JSON.parse(fs.readFileSync(0,'utf8'));"
        "process.stdout.write(JSON.stringify(cases.map(c=>ctx.OfflineStore.grade(c.type,c.key,c.response))));"
    )
    out = subprocess.run(  # noqa: S603 - fixed arguments
        [shutil.which("node") or "node", "-e", script, str(ROOT / "static/js/offline-sync.js")],
        input=json.dumps(payload), capture_output=True, text=True, check=True,
    )  # fmt: skip
    browser = json.loads(out.stdout)
    for (item_id, response), js in zip(cases, browser, strict=True):
        server = grade(by_id[item_id], response)
        assert js["score"] == pytest.approx(server.score), (item_id, response)
        assert bool(js.get("accents")) == server.accents, (item_id, response)


def test_every_offline_type_has_a_grading_key(app):
    items, _problems = load_bank(FIXTURE_BANK, check_audio=False)
    offline_items = [i for i in items if i.type in OFFLINE_TYPES]
    assert {i.type for i in offline_items} == OFFLINE_TYPES
    assert all(grading_key(i) for i in offline_items)
    # the keys the synchronisation reads are the fields the pages post
    assert {kind: RESPONSE_FIELDS[kind][0] for kind in OFFLINE_TYPES} == RESPONSE_KEYS


def test_only_the_answer_itself_is_stored(learner, make):
    pack = _download(learner)
    answer = _answer(pack, 0, {**_right(pack, 0), "bourrage": "x" * 4000})
    assert _sync(learner, [answer]).get_json()["results"][0]["status"] == "stored"
    stored = make.run(lambda: db.session.scalar(select(Attempt.response)))
    assert stored == _right(pack, 0)


WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 400


def _recording(
    client: Any,
    pack: dict[str, Any],
    *,
    data: bytes | None = WEBM,
    mime: str = "audio/webm",
    seconds: str = "7.5",
    **extra: Any,
) -> Any:
    position = next(
        e["position"] for e in pack["items"] if e["type"] == "oral_production"
    )
    fields = _answer(pack, position, {"seconds": float(seconds)})
    form: dict[str, Any] = {k: str(v) for k, v in fields.items() if k != "response"}
    form.update(seconds=seconds, **extra)
    if data is not None:
        form["audio"] = (io.BytesIO(data), "enregistrement.webm", mime)
    return client.post(
        "/pratique/synchroniser/enregistrement", data=form,
        content_type="multipart/form-data",
    )  # fmt: skip


def _submissions(make: Any) -> int:
    return make.run(lambda: db.session.scalar(select(func.count(Submission.id))))


def test_a_recording_made_offline_is_stored_once(learner, make):
    pack = _download(learner)
    position = next(
        e["position"] for e in pack["items"] if e["type"] == "oral_production"
    )
    fields = _answer(pack, position, {"seconds": 7.5})
    form = {k: str(v) for k, v in fields.items() if k != "response"} | {
        "seconds": "7.5"
    }
    for _ in range(4):
        response = learner.post(
            "/pratique/synchroniser/enregistrement",
            data={
                **form,
                "audio": (io.BytesIO(WEBM), "enregistrement.webm", "audio/webm"),
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 200
    assert response.get_json()["results"][0]["status"] == "duplicate"
    assert _submissions(make) == 1
    assert len(_attempts(make, learner.profile_id)) == 1
    # a tutor marks it, as a recording sent online
    assert make.run(lambda: db.session.scalar(select(Attempt.score))) is None


def test_a_recording_sent_twice_at_once_is_stored_once(learner, make, monkeypatch):
    """The offline queue retried while the first send was still on its way: the
    second send's insert collides with the first's (a unique violation). The send
    that lost the race answers « duplicate » with the file it already read; it used
    to read the upload a second time, closed by then, and answer 500."""
    from sqlalchemy.exc import IntegrityError

    from tutoring.learning import offline as service

    real = service._store

    def crossing(profile, checked):
        real(profile, checked)  # the other request's recording, committed first
        db.session.commit()
        raise IntegrityError("INSERT INTO attempts", {}, Exception("unique"))

    monkeypatch.setattr(service, "_store", crossing)
    pack = _download(learner)
    response = _recording(learner, pack)
    assert response.status_code == 200
    assert response.get_json()["results"][0]["status"] == "duplicate"
    assert _submissions(make) == 1
    assert len(_attempts(make, learner.profile_id)) == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"seconds": "2"}, "trop court"),
        ({"mime": "text/plain"}, "pas un enregistrement"),
        ({"data": b"<html>"}, "pas un enregistrement"),
        ({"data": b""}, "vide"),
        ({"data": None}, "Enregistrez"),
        ({"answered_at": "2020-01-01T00:00:00+00:00"}, "30 jours"),
        ({"client_id": "pas-un-uuid"}, "illisible"),
    ],
)
def test_a_bad_recording_is_refused_with_its_reason(learner, make, change, reason):
    pack = _download(learner)
    response = _recording(learner, pack, **change)
    assert response.status_code == 200
    result = response.get_json()["results"][0]
    assert result["status"] == "refused"
    assert reason in result["reason"]
    assert _submissions(make) == 0


def test_a_recording_never_travels_in_a_batch(learner, make):
    pack = _download(learner)
    position = next(
        e["position"] for e in pack["items"] if e["type"] == "oral_production"
    )
    result = _sync(learner, [_answer(pack, position, {"seconds": 8.0})]).get_json()
    assert result["results"][0]["status"] == "refused"
    assert _attempts(make, learner.profile_id) == []


def test_a_recording_over_the_size_limit_is_refused(learner, make, monkeypatch):
    """The limit of a recording sent online (5 MB, made small here)."""
    from tutoring.content import forms as content_forms
    from tutoring.content import recordings

    monkeypatch.setattr(recordings, "MAX_AUDIO_BYTES", 1000)
    monkeypatch.setattr(content_forms, "MAX_AUDIO_BYTES", 1000)
    pack = _download(learner)
    result = _recording(learner, pack, data=WEBM * 5).get_json()["results"][0]
    assert result["status"] == "refused"
    assert "5 Mo" in result["reason"]
    assert _submissions(make) == 0


def _set_of(make: Any, profile_id: int, versions: list[int], **extra: Any) -> int:
    from tutoring.accounts.profiles import LearnerProfile
    from tutoring.learning import practice

    def run() -> int:
        current = practice.start_set(
            db.session.get(LearnerProfile, profile_id), level="A2"
        )
        current.item_version_ids = versions
        for name, value in extra.items():
            setattr(current, name, value)
        return current.id

    return make.run(run)


def _kept(set_id: int, position: int, form: dict[str, list[str]], **extra: Any) -> dict:
    """An answer to a set as the service worker keeps it when posting fails."""
    return {
        "client_id": str(uuid.uuid4()), "set": set_id, "position": position,
        "form": form, "answered_at": datetime.now(UTC).isoformat(), **extra,
    }  # fmt: skip


def test_an_answer_kept_for_a_set_is_stored_once_under_the_sets_rules(
    learner, make, bank
):
    set_id = _set_of(
        make, learner.profile_id, [bank["a2-sante-test-01"], bank["a2-sante-test-03"]]
    )
    when = datetime.now(UTC) - timedelta(hours=2)
    first = _kept(set_id, 0, {"choice": ["1"]}, answered_at=when.isoformat())
    for _ in range(3):
        results = _sync(learner, [first]).get_json()["results"]
    assert results[0]["status"] == "duplicate"
    # the item already answered cannot get a second answer; the next one can
    again = _kept(set_id, 0, {"choice": ["0"]})
    second = _kept(set_id, 1, {"answer": ["false"]})
    results = _sync(learner, [again, second]).get_json()["results"]
    assert [r["status"] for r in results] == ["refused", "stored"]
    assert "déjà reçu une réponse" in results[0]["reason"]
    rows = make.run(
        lambda: [
            (a.position, a.score, a.created_at)
            for a in db.session.scalars(select(Attempt).order_by(Attempt.id))
        ]
    )
    assert [(r[0], r[1]) for r in rows] == [(0, 1.0), (1, 1.0)]
    assert abs(rows[0][2] - when) < timedelta(seconds=1)
    assert make.run(lambda: db.session.get(PracticeSet, set_id).finished_at) is not None
    _consistent(make, learner.profile_id)


def test_no_answer_kept_offline_reaches_a_mock_exam(learner, make, bank):
    set_id = _set_of(
        make, learner.profile_id, [bank["a2-sante-test-01"]], mode=SetMode.MOCK
    )
    results = _sync(learner, [_kept(set_id, 0, {"choice": ["1"]})]).get_json()
    assert results["results"][0]["status"] == "refused"
    assert _attempts(make, learner.profile_id) == []
