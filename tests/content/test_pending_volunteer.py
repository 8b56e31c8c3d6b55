"""Regression (issue #13, finding 6): anyone can sign up at /devenir-benevole; until a
referent approves them, the bank (answer keys), the voices and the review queue stay
closed: 403, and nothing is stored."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import UPLOADS, login
from tutoring.accounts.models import Role, User
from tutoring.content.models import ItemVersion, VoiceRecording
from tutoring.core.extensions import db

SIGNUP = {"first_name": "Paul", "email": "paul@example.org", "charter": "y"}
OGG = b"OggS" + b"\1" * 4096


def _listening_version(make, bank) -> int:
    def find() -> int:
        for version_id in bank.values():
            if db.session.get(ItemVersion, version_id).payload.get("audio"):
                return version_id
        raise AssertionError("no listening item in the test bank")

    return make.run(find)


def _audio_files() -> set[str]:
    folder = Path(UPLOADS) / "audio"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


@pytest.fixture
def pending(app, make, bank, mailbox):
    """A volunteer who just signed up through the public form, signed in."""
    make.user("claire", Role.REFERENT)
    client = app.test_client()
    assert client.post("/devenir-benevole", data=SIGNUP).status_code == 302
    link = mailbox.link(SIGNUP["email"], "/devenir-benevole/")
    chosen = client.post(link, data={"password": "les cigales de Millau"})
    assert chosen.status_code == 302
    assert "attend la validation" in client.get("/").get_data(as_text=True)
    return client, _listening_version(make, bank)


@pytest.mark.parametrize(
    "path", ["/banque/", "/banque/exercice/{v}", "/corrections/", "/banque/voix/1/ecouter"]
)
def test_the_bank_and_the_review_queue_are_closed_until_approval(pending, path):
    client, version_id = pending
    response = client.get(path.format(v=version_id))
    assert response.status_code == 403
    assert "Réponse attendue" not in response.get_data(as_text=True)


def test_a_voice_is_refused_and_nothing_is_stored(make, pending):
    client, version_id = pending
    files = _audio_files()
    response = client.post(
        f"/banque/exercice/{version_id}/voix",
        data={"voice": (io.BytesIO(OGG), "a.ogg", "audio/ogg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    count = make.run(lambda: db.session.scalar(select(func.count(VoiceRecording.id))))
    assert count == 0
    assert _audio_files() == files


def test_homework_cannot_be_assigned_before_approval(pending):
    client, version_id = pending
    response = client.post("/banque/devoir", data={"item_version_ids": str(version_id)})
    assert response.status_code == 403


def test_once_approved_the_volunteer_opens_the_bank(app, make, pending):
    client, version_id = pending
    referent = app.test_client()
    login(referent, "claire")
    volunteer_id = make.run(
        lambda: db.session.scalar(select(User.id).where(User.email == "paul@example.org"))
    )
    assert referent.post(f"/benevoles/{volunteer_id}/valider").status_code == 302
    page = client.get(f"/banque/exercice/{version_id}")
    assert page.status_code == 200
    assert "Réponse attendue" in page.get_data(as_text=True)
    assert client.get("/corrections/").status_code == 200
