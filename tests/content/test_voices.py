"""Volunteers' recorded voices: checked on upload, approved by a referent, then played
instead of the synthetic audio."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests.conftest import login
from tutoring.accounts.models import Role, User
from tutoring.core.extensions import db


def _listening_item(bank, make):
    from tutoring.content.models import ItemVersion

    def find():
        for version_id in bank.values():
            version = db.session.get(ItemVersion, version_id)
            if version.payload.get("audio"):
                return version_id, version.item_id
        raise AssertionError("no listening item in the test bank")

    return make.run(find)


def test_a_volunteer_voice_replaces_the_synthetic_one_once_approved(app, make, pair, bank):
    from tutoring.content.models import VoiceRecording, VoiceStatus

    version_id, item_id = _listening_item(bank, make)
    url = f"/banque/exercice/{version_id}/voix"
    wrong = pair["client"].post(url, data={"voice": (io.BytesIO(b"not audio"), "a.ogg", "audio/ogg")},
                                content_type="multipart/form-data")  # fmt: skip
    assert wrong.status_code == 302
    assert "pas un enregistrement accepté" in pair["client"].get(wrong.location).get_data(as_text=True)
    def too_heavy():
        from tutoring.content import voices
        from tutoring.content.bank import ContentError

        with pytest.raises(ContentError) as refused:
            voices.record(db.session.get(User, pair["tutor"]), item_id,
                          b"OggS" + b"\0" * (5 * 1024 * 1024 + 10), "audio/ogg")  # fmt: skip
        db.session.rollback()
        return refused.value.code

    assert make.run(too_heavy) == "audio_size"
    assert make.run(lambda: db.session.scalars(select(VoiceRecording)).all()) == []
    ok = pair["client"].post(url, data={"voice": (io.BytesIO(b"OggS" + b"\1" * 200), "a.ogg", "audio/ogg")},
                             content_type="multipart/form-data")  # fmt: skip
    assert ok.status_code == 302
    [recording] = make.run(lambda: db.session.scalars(select(VoiceRecording)).all())
    assert recording.item_id == item_id
    assert app.test_client().get(f"/banque/audio/{recording.file_name}").status_code == 404  # not yet
    with pair["client"].get(f"/banque/voix/{recording.id}/ecouter") as listened:
        assert listened.status_code == 200

    referent = app.test_client()
    login(referent, "claire")
    assert item_id in referent.get("/banque/voix").get_data(as_text=True)
    assert referent.post(f"/banque/voix/{recording.id}", data={"answer": "approve"}).status_code == 302
    assert make.run(lambda: db.session.get(VoiceRecording, recording.id).status) == VoiceStatus.APPROVED
    with app.test_client().get(f"/banque/audio/{recording.file_name}") as played:
        assert (played.status_code, played.mimetype) == (200, "audio/ogg")
    preview = referent.get(f"/banque/exercice/{version_id}").get_data(as_text=True)
    assert f"/banque/audio/{recording.file_name}" in preview
    # another tutor cannot listen to someone else's pending recording
    make.user("lena", Role.TUTOR)
    other = app.test_client()
    login(other, "lena")
    second = pair["client"].post(url, data={"voice": (io.BytesIO(b"OggS" + b"\2" * 50), "b.ogg", "audio/ogg")},
                                 content_type="multipart/form-data")  # fmt: skip
    assert second.status_code == 302
    pending = make.run(lambda: db.session.scalar(select(VoiceRecording.id).where(
        VoiceRecording.status == VoiceStatus.PENDING)))  # fmt: skip
    assert other.get(f"/banque/voix/{pending}/ecouter").status_code == 404
