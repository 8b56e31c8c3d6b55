"""Audio of items and instructions: synthesised offline, replaceable by recordings."""

from __future__ import annotations

import shutil
import subprocess  # noqa: S404 - runs espeak-ng and opusenc, fixed local tools  # nosec B404
import uuid
from pathlib import Path

from flask import current_app, url_for

from exercises.loading import audio_name
from exercises.model import INSTRUCTIONS, Item
from tutoring.content.bank import ContentError
from tutoring.core.config import PROJECT_ROOT

AUDIO = PROJECT_ROOT / "static" / "audio"


VOICE = [
    "-v",
    "fr-fr",
    "-s",
    "135",
    "-g",
    "4",
]  # French voice, a little slow, clear gaps


def recorded_path(item_id: str) -> Path:
    """A human recording that replaces the synthesised audio of an item when present."""
    return AUDIO / "recorded" / f"{item_id}.opus"


def audio_url(item: Item) -> str:
    """A volunteer's approved recording, else a shipped one, else the synthetic voice."""
    from tutoring.content.voices import approved_for

    voice = approved_for(item.id)
    if voice is not None:
        return url_for("content.voice", recording_id=voice.id)
    recorded = recorded_path(item.id)
    if recorded.exists():
        return url_for("static", filename=f"audio/recorded/{recorded.name}")
    return url_for(
        "static", filename=f"audio/items/{audio_name(item.id, item.audio or '')}"
    )


def instruction_audio_url(key: str) -> str | None:
    path = AUDIO / "instructions" / f"{key}.opus"
    return (
        url_for("static", filename=f"audio/instructions/{key}.opus")
        if path.exists()
        else None
    )


def synthesise(text: str, target: Path) -> None:
    """Speak `text` in French into an Opus file (16 kb/s speech, fixed Ogg serial)."""
    espeak = shutil.which("espeak-ng")
    opusenc = shutil.which("opusenc")
    if not espeak or not opusenc:
        raise RuntimeError(
            "espeak-ng and opusenc are needed: apt-get install espeak-ng opus-tools"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    wav = subprocess.run(  # noqa: S603 - fixed executable, argument list, no shell  # nosec B603
        [espeak, *VOICE, "--stdout", text], check=True, capture_output=True
    ).stdout
    subprocess.run(  # noqa: S603 - fixed executable, argument list, no shell  # nosec B603
        [opusenc, "--quiet", "--bitrate", "16", "--speech", "--serial", "1",
         "--comment", "source=espeak-ng", "-", str(target)],
        input=wav, check=True,
    )  # fmt: skip


def generate(
    items: list[Item], *, force: bool = False, prune: bool = True
) -> tuple[int, int]:
    """Create missing audio for items and instructions; return (created, removed)."""
    created = 0
    wanted: set[Path] = set()
    for item in items:
        if not item.audio:
            continue
        target = AUDIO / "items" / audio_name(item.id, item.audio)
        wanted.add(target)
        if force or not target.exists():
            synthesise(item.audio, target)
            created += 1
    for key, text in INSTRUCTIONS.items():
        target = AUDIO / "instructions" / f"{key}.opus"
        wanted.add(target)
        if force or not target.exists():
            synthesise(text, target)
            created += 1
    removed = 0
    if prune:
        for folder in (AUDIO / "items", AUDIO / "instructions"):
            for path in folder.glob("*.opus") if folder.exists() else []:
                if path not in wanted:
                    path.unlink()
                    removed += 1
    return created, removed


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
