"""Learners' and volunteers' recordings on disk: accepted types, size limit, storage."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import current_app

from tutoring.content.bank import ContentError

AUDIO_TYPES = {  # accepted recordings: MIME type -> (extension, magic bytes at offset)
    "audio/webm": ("webm", [(0, b"\x1a\x45\xdf\xa3")]),
    "video/webm": ("webm", [(0, b"\x1a\x45\xdf\xa3")]),
    "audio/ogg": ("ogg", [(0, b"OggS")]),
    "audio/mp4": ("m4a", [(4, b"ftyp")]),
    "audio/x-m4a": ("m4a", [(4, b"ftyp")]),
    "audio/aac": ("aac", [(0, b"\xff\xf1"), (0, b"\xff\xf9")]),
    "audio/mpeg": ("mp3", [(0, b"ID3"), (0, b"\xff\xfb"), (0, b"\xff\xf3")]),
    "audio/wav": ("wav", [(0, b"RIFF")]),
    "audio/x-wav": ("wav", [(0, b"RIFF")]),
    "audio/3gpp": ("3gp", [(4, b"ftyp")]),
    "audio/amr": ("amr", [(0, b"#!AMR")]),
}


MAX_AUDIO_BYTES = 5 * 1024 * 1024


def store_audio(data: bytes, mime: str) -> str:
    """Check a recording (type, size, magic bytes) and store it; return its file name."""
    mime = mime.split(";")[0].strip().lower()
    if mime not in AUDIO_TYPES:
        raise ContentError("audio_type")
    if not data:
        raise ContentError("audio_empty")
    if len(data) > MAX_AUDIO_BYTES:
        raise ContentError("audio_size")
    extension, signatures = AUDIO_TYPES[mime]
    if not any(
        data[offset : offset + len(magic)] == magic for offset, magic in signatures
    ):
        raise ContentError("audio_type")
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "audio"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.{extension}"
    (folder / name).write_bytes(data)
    return name


def audio_path(name: str) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "audio" / Path(name).name
