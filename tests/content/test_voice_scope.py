"""Regression (issue #13, finding 11): a volunteer's voice belongs to their structure.
Only that structure's referents list, hear and decide it, and only its learners hear
it once approved; an approved voice is served under its random file name, never at a
counted id; a rejected or replaced recording's file is deleted."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import UPLOADS, login
from tutoring.accounts.models import Role
from tutoring.content.models import ItemVersion, VoiceRecording, VoiceStatus
from tutoring.core.extensions import db

A, B = "Association Myriade", "CCAS de Millau"


def _listening_version(make, bank) -> int:
    def find() -> int:
        for version_id in bank.values():
            if db.session.get(ItemVersion, version_id).payload.get("audio"):
                return version_id
        raise AssertionError("no listening item in the test bank")

    return make.run(find)


def _signed_in(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


@pytest.fixture
def world(app, make, bank):
    for name, structure in [
        ("ref-a", A), ("ref-b", B), ("tutor-a", A), ("tutor-b", B),
    ]:  # fmt: skip
        role = Role.REFERENT if name.startswith("ref") else Role.TUTOR
        make.user(name, role, structure=structure)
    clients = {name: _signed_in(app, name) for name in ("ref-a", "ref-b", "tutor-a", "tutor-b")}
    return clients, _listening_version(make, bank)


def _record(make, client, version_id: int, body: bytes) -> VoiceRecording:
    response = client.post(
        f"/banque/exercice/{version_id}/voix",
        data={"voice": (io.BytesIO(b"OggS" + body), "a.ogg", "audio/ogg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return make.run(
        lambda: db.session.scalars(
            select(VoiceRecording).order_by(VoiceRecording.id.desc())
        ).first()
    )


def _status(make, recording_id: int) -> VoiceStatus:
    return make.run(lambda: db.session.get(VoiceRecording, recording_id).status)


def _on_disk(recording: VoiceRecording) -> bool:
    return (Path(UPLOADS) / "audio" / recording.file_name).is_file()


def test_another_structures_referent_neither_lists_hears_nor_decides_a_voice(
    make, world
):
    clients, version_id = world
    voice = _record(make, clients["tutor-a"], version_id, b"\1" * 300)
    listen = f"/banque/voix/{voice.id}/ecouter"
    assert listen not in clients["ref-b"].get("/banque/voix").get_data(as_text=True)
    assert clients["ref-b"].get(listen).status_code == 404
    for answer in ("approve", "reject"):
        refused = clients["ref-b"].post(f"/banque/voix/{voice.id}", data={"answer": answer})
        assert refused.status_code == 404
    assert _status(make, voice.id) == VoiceStatus.PENDING
    assert _on_disk(voice)
    # its own structure's referent does all three
    assert listen in clients["ref-a"].get("/banque/voix").get_data(as_text=True)
    with clients["ref-a"].get(listen) as heard:
        assert heard.status_code == 200
    assert clients["ref-a"].post(f"/banque/voix/{voice.id}", data={"answer": "approve"}).status_code == 302
    assert _status(make, voice.id) == VoiceStatus.APPROVED


def _audio_src(client, version_id: int) -> str:
    page = client.get(f"/banque/exercice/{version_id}").get_data(as_text=True)
    found = re.search(r'<audio[^>]*src="([^"]+)"|<source[^>]*src="([^"]+)"', page)
    assert found, "no audio on the preview"
    return found.group(1) or found.group(2)


def test_an_approved_voice_is_served_under_its_random_name_to_its_structure_only(
    app, make, world
):
    clients, version_id = world
    voice = _record(make, clients["tutor-a"], version_id, b"\2" * 300)
    clients["ref-a"].post(f"/banque/voix/{voice.id}", data={"answer": "approve"})
    anonymous = app.test_client()
    assert anonymous.get(f"/banque/audio/{voice.id}").status_code == 404
    src = _audio_src(clients["tutor-a"], version_id)
    assert src == f"/banque/audio/{voice.file_name}"
    assert re.fullmatch(r"/banque/audio/[0-9a-f]{32}\.ogg", src)
    with anonymous.get(src) as played:
        assert (played.status_code, played.mimetype) == (200, "audio/ogg")
    # the other structure still hears the synthetic voice
    assert "/banque/audio/" not in _audio_src(clients["ref-b"], version_id)


def test_a_rejected_or_replaced_recording_is_deleted_from_the_disk(make, world):
    clients, version_id = world
    first = _record(make, clients["tutor-a"], version_id, b"\3" * 300)
    clients["ref-a"].post(f"/banque/voix/{first.id}", data={"answer": "approve"})
    rejected = _record(make, clients["tutor-a"], version_id, b"\4" * 300)
    assert _on_disk(rejected)
    clients["ref-a"].post(f"/banque/voix/{rejected.id}", data={"answer": "reject"})
    assert _status(make, rejected.id) == VoiceStatus.REJECTED
    assert not _on_disk(rejected)
    assert _on_disk(first)
    # another structure's approval leaves structure A's voice alone
    other = _record(make, clients["tutor-b"], version_id, b"\5" * 300)
    clients["ref-b"].post(f"/banque/voix/{other.id}", data={"answer": "approve"})
    assert _status(make, first.id) == VoiceStatus.APPROVED
    assert _on_disk(first)
    # a newer approved voice of the same structure replaces the first: its file goes
    newer = _record(make, clients["tutor-a"], version_id, b"\6" * 300)
    clients["ref-a"].post(f"/banque/voix/{newer.id}", data={"answer": "approve"})
    assert _status(make, first.id) == VoiceStatus.REJECTED
    assert not _on_disk(first)
    assert _on_disk(newer)
