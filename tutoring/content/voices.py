"""Volunteers' voices: a tutor records the audio of a listening item; once a referent
approves it, learners hear it instead of the synthetic voice."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tutoring.accounts import audit
from tutoring.accounts.models import User
from tutoring.content.models import VoiceRecording, VoiceStatus
from tutoring.content.recordings import audio_path, store_audio
from tutoring.core.database import utcnow
from tutoring.core.extensions import db

MIME_BY_EXTENSION = {
    "webm": "audio/webm", "ogg": "audio/ogg", "m4a": "audio/mp4", "aac": "audio/aac",
    "mp3": "audio/mpeg", "wav": "audio/wav", "3gp": "audio/3gpp", "amr": "audio/amr",
}  # fmt: skip


def record(user: User, item_id: str, data: bytes, mime: str) -> VoiceRecording:
    """Check and store a recording (ContentError on a wrong type or size)."""
    name = store_audio(data, mime)
    recording = VoiceRecording(item_id=item_id, file_name=name, recorded_by_id=user.id)
    db.session.add(recording)
    db.session.flush()
    return recording


def decide(recording: VoiceRecording, referent: User, *, approve: bool) -> None:
    """Approve (it replaces the item's earlier approved voice) or reject."""
    if approve:
        for older in db.session.scalars(
            select(VoiceRecording).where(
                VoiceRecording.item_id == recording.item_id,
                VoiceRecording.status == VoiceStatus.APPROVED,
                VoiceRecording.id != recording.id,
            )
        ):
            older.status = VoiceStatus.REJECTED
    recording.status = VoiceStatus.APPROVED if approve else VoiceStatus.REJECTED
    recording.decided_by_id = referent.id
    recording.decided_at = utcnow()
    if approve:
        audit.record("voice_approved", actor=referent, item=recording.item_id)


def pending() -> list[VoiceRecording]:
    return list(
        db.session.scalars(
            select(VoiceRecording)
            .where(VoiceRecording.status == VoiceStatus.PENDING)
            .order_by(VoiceRecording.created_at)
        )
    )


def approved_for(item_id: str) -> VoiceRecording | None:
    return db.session.scalar(
        select(VoiceRecording).where(
            VoiceRecording.item_id == item_id,
            VoiceRecording.status == VoiceStatus.APPROVED,
        )
    )


def file_of(recording: VoiceRecording) -> tuple[Path, str]:
    path = audio_path(recording.file_name)
    extension = path.suffix.lstrip(".")
    return path, MIME_BY_EXTENSION.get(extension, "application/octet-stream")
