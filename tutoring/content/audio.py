"""Audio of items and instructions: synthesised offline, replaceable by recordings."""

from __future__ import annotations

import shutil
import subprocess  # noqa: S404 - runs espeak-ng and opusenc, fixed local tools  # nosec B404
from pathlib import Path

from flask import url_for

from exercises.loading import audio_name
from exercises.model import INSTRUCTIONS, Item
from tutoring.content.voices import approved_for
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
# Beginners who read little (A1.1) hear slower speech with longer gaps between words.
SLOW_VOICE = ["-v", "fr-fr", "-s", "110", "-g", "10"]
SLOW_LEVELS = frozenset({"A1.1"})


def recorded_path(item_id: str) -> Path:
    """A human recording that replaces the synthesised audio of an item when present."""
    return AUDIO / "recorded" / f"{item_id}.opus"


def audio_url(item: Item, structure_id: int | None) -> str:
    """The structure's approved recording by a volunteer (under its random name), else
    a shipped one, else the synthetic voice."""
    voice = approved_for(item.id, structure_id)
    if voice is not None:
        return url_for("content.voice", name=voice.file_name)
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


def tools() -> tuple[str, str]:
    """The paths of espeak-ng and opusenc."""
    espeak = shutil.which("espeak-ng")
    opusenc = shutil.which("opusenc")
    if not espeak or not opusenc:
        raise RuntimeError(
            "espeak-ng and opusenc are needed: apt-get install espeak-ng opus-tools"
        )
    return espeak, opusenc


def synthesise(text: str, target: Path, *, slow: bool = False) -> None:
    """Speak `text` in French into an Opus file (16 kb/s speech, fixed Ogg serial);
    `slow` for beginners."""
    espeak, opusenc = tools()
    target.parent.mkdir(parents=True, exist_ok=True)
    wav = subprocess.run(  # noqa: S603 - fixed executable, argument list, no shell  # nosec B603
        [espeak, *(SLOW_VOICE if slow else VOICE), "--stdout", text],
        check=True,
        capture_output=True,
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
            synthesise(item.audio, target, slow=item.level in SLOW_LEVELS)
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








