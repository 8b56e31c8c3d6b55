"""Volunteers' voices: a tutor records the audio of a listening item; once a referent
of the same structure approves it, that structure's learners hear it instead of the
synthetic voice. A rejected or replaced recording's file is deleted."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tutoring.accounts import audit
from tutoring.accounts.models import User
from tutoring.content.bank import ContentError
from tutoring.content.models import VoiceRecording, VoiceStatus
from tutoring.content.recordings import audio_path, store_audio
from tutoring.core.database import utcnow
from tutoring.core.extensions import db

MIME_BY_EXTENSION = {
    "webm": "audio/webm", "ogg": "audio/ogg", "m4a": "audio/mp4", "aac": "audio/aac",
    "mp3": "audio/mpeg", "wav": "audio/wav", "3gp": "audio/3gpp", "amr": "audio/amr",
}  # fmt: skip


def structure_of(user: User) -> int | None:
    """The structure whose voices this person records or hears: a volunteer's (set on
    approval), else the account's."""
    profile = user.tutor_profile
    return (profile.structure_id if profile else None) or user.structure_id


def record(user: User, item_id: str, data: bytes, mime: str) -> VoiceRecording:
    """Check and store a recording (ContentError on a wrong type or size)."""
    name = store_audio(data, mime)
    recording = VoiceRecording(
        item_id=item_id, file_name=name, recorded_by_id=user.id,
        structure_id=structure_of(user),
    )  # fmt: skip
    db.session.add(recording)
    db.session.flush()
    return recording


def moderated_by(referent: User, recording_id: int) -> VoiceRecording | None:
    """A recording of the referent's structure, else None (another structure's)."""
    recording = db.session.get(VoiceRecording, recording_id)
    if (
        recording is None
        or recording.structure_id is None
        or recording.structure_id != referent.structure_id
    ):
        return None
    return recording


def decide(recording: VoiceRecording, referent: User, *, approve: bool) -> None:
    """Approve (it replaces the structure's earlier approved voice of the item) or
    reject. A rejected or replaced recording's file is deleted from the disk."""
    if recording.structure_id != referent.structure_id:
        raise ContentError("not_moderator")
    if approve:
        for older in db.session.scalars(
            select(VoiceRecording).where(
                VoiceRecording.item_id == recording.item_id,
                VoiceRecording.structure_id == recording.structure_id,
                VoiceRecording.status == VoiceStatus.APPROVED,
                VoiceRecording.id != recording.id,
            )
        ):
            _reject(older)
    if approve:
        recording.status = VoiceStatus.APPROVED
    else:
        _reject(recording)
    recording.decided_by_id = referent.id
    recording.decided_at = utcnow()
    if approve:
        audit.record("voice_approved", actor=referent, item=recording.item_id)


def _reject(recording: VoiceRecording) -> None:
    recording.status = VoiceStatus.REJECTED
    audio_path(recording.file_name).unlink(missing_ok=True)


def pending(referent: User) -> list[VoiceRecording]:
    """The recordings of the referent's structure waiting for a decision."""
    return list(
        db.session.scalars(
            select(VoiceRecording)
            .where(
                VoiceRecording.status == VoiceStatus.PENDING,
                VoiceRecording.structure_id == referent.structure_id,
                VoiceRecording.structure_id.is_not(None),
            )
            .order_by(VoiceRecording.created_at)
        )
    )


def approved_for(item_id: str, structure_id: int | None) -> VoiceRecording | None:
    """The voice a structure's learners hear for an item (none without a structure)."""
    if structure_id is None:
        return None
    return db.session.scalar(
        select(VoiceRecording).where(
            VoiceRecording.item_id == item_id,
            VoiceRecording.structure_id == structure_id,
            VoiceRecording.status == VoiceStatus.APPROVED,
        )
    )


def approved_named(file_name: str) -> VoiceRecording | None:
    """An approved recording by its random file name (the public address of it)."""
    return db.session.scalar(
        select(VoiceRecording).where(
            VoiceRecording.file_name == file_name,
            VoiceRecording.status == VoiceStatus.APPROVED,
        )
    )


def file_of(recording: VoiceRecording) -> tuple[Path, str]:
    path = audio_path(recording.file_name)
    extension = path.suffix.lstrip(".")
    return path, MIME_BY_EXTENSION.get(extension, "application/octet-stream")
