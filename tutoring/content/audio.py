"""Audio of items and instructions: synthesised offline, replaceable by recordings."""

from __future__ import annotations

import io
import shutil
import subprocess  # noqa: S404 - runs espeak-ng and opusenc, fixed local tools  # nosec B404
import wave
from pathlib import Path

from flask import url_for

from exercises.model import INSTRUCTIONS, Item
from exercises.voicing import DEFAULT_PACE, NARRATOR, Line, Plan, audio_name, plan
from tutoring.content.voices import approved_for
from tutoring.core.config import PROJECT_ROOT

AUDIO = PROJECT_ROOT / "static" / "audio"


# Instructions are read by the narrator at the ordinary pace; items follow their
# plan (exercises/voicing.py: one voice per speaker in a dialogue, slower at A1.1 and A1).
VOICE = Line(NARRATOR, *DEFAULT_PACE[:2], "").arguments()


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
        "static",
        filename=f"audio/items/{audio_name(item.id, item.audio or '', item.level)}",
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


def _speak(espeak: str, arguments: list[str], text: str) -> bytes:
    return subprocess.run(  # noqa: S603 - fixed executable, argument list, no shell  # nosec B603
        [espeak, *arguments, "--stdout", text], check=True, capture_output=True
    ).stdout


def join_wav(parts: list[bytes], pause_ms: int) -> bytes:
    """One WAV from several (same format), with `pause_ms` of silence between them.
    espeak-ng streams its WAV with an unknown length: read the frames up to the end."""
    frames: list[bytes] = []
    params = None
    for part in parts:
        with wave.open(io.BytesIO(part)) as clip:
            if params is None:
                params = clip.getparams()
            elif clip.getparams()[:3] != params[:3]:
                raise RuntimeError("espeak-ng voices gave different audio formats")
            frames.append(clip.readframes(clip.getnframes()))
    if params is None:
        raise ValueError("nothing to join")
    silence = b"\0" * (
        params.sampwidth * params.nchannels * params.framerate * pause_ms // 1000
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as joined:
        joined.setnchannels(params.nchannels)
        joined.setsampwidth(params.sampwidth)
        joined.setframerate(params.framerate)
        joined.writeframes(silence.join(frames))
    return out.getvalue()


def _encode(opusenc: str, wav: bytes, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 - fixed executable, argument list, no shell  # nosec B603
        [opusenc, "--quiet", "--bitrate", "16", "--speech", "--serial", "1",
         "--comment", "source=espeak-ng", "-", str(target)],
        input=wav, check=True,
    )  # fmt: skip


def synthesise(text: str, target: Path) -> None:
    """Speak `text` in French with the narrator's voice into an Opus file (16 kb/s
    speech, fixed Ogg serial)."""
    espeak, opusenc = tools()
    _encode(opusenc, _speak(espeak, VOICE, text), target)


def synthesise_plan(spoken: Plan, target: Path) -> None:
    """Speak each line of the plan with its voice and pace, then one Opus clip: a
    dialogue is one file with a voice per speaker and a pause between turns."""
    espeak, opusenc = tools()
    parts = [_speak(espeak, line.arguments(), line.text) for line in spoken.lines]
    wav = parts[0] if len(parts) == 1 else join_wav(parts, spoken.pause_ms)
    _encode(opusenc, wav, target)


def generate(
    items: list[Item], *, force: bool = False, prune: bool = True
) -> tuple[int, int]:
    """Create missing audio for items and instructions; return (created, removed)."""
    created = 0
    wanted: set[Path] = set()
    for item in items:
        if not item.audio:
            continue
        target = AUDIO / "items" / audio_name(item.id, item.audio, item.level)
        wanted.add(target)
        if force or not target.exists():
            synthesise_plan(plan(item.audio, item.level), target)
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
