"""Forms of the content feature: a volunteer's voice for an item, a referent's decision
on it; and the reading of any uploaded recording."""

from __future__ import annotations

from typing import ClassVar

from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms.validators import AnyOf

from tutoring.content.recordings import MAX_AUDIO_BYTES
from tutoring.core.forms import InputForm, TextField


def recording(upload: FileStorage | None) -> tuple[bytes, str] | None:
    """An uploaded recording's bytes (one past the limit at most) and type."""
    if upload is None:
        return None
    try:
        return upload.read(MAX_AUDIO_BYTES + 1), upload.mimetype or ""
    finally:
        upload.close()


class VoiceForm(InputForm):
    """A recording of an item's audio; no file is the page's message."""

    voice = FileField()

    def recording(self) -> tuple[bytes, str] | None:
        return recording(self.voice.data)


class DecideVoiceForm(InputForm):
    forged: ClassVar[tuple[str, ...]] = ("answer",)
    answer = TextField(validators=[AnyOf(["approve", "reject"])])

    def approve(self) -> bool:
        return bool(self.answer.data == "approve")
