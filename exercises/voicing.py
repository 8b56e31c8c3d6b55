"""How an item's audio is spoken: which espeak-ng voice says which line, how fast.

A transcript that is a conversation (lines starting with a dash, or with « Name : »,
see exercises/dialogue.py) is spoken with one voice per speaker, in order of first
appearance: SPEAKER_VOICES[0] for the first, SPEAKER_VOICES[1] for the second… (the
names before « : » are not spoken). Any other transcript is one voice, NARRATOR.
Beginners hear slower speech: A1.1 slowest with long gaps between words, A1 a little
slower than A2 and above. The audio file's name hashes this plan with SCHEME, so that
changing a voice, a rate or the scheme renames, and `flask exercises audio` remakes,
exactly the clips concerned.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from exercises.dialogue import speaker_turns

SCHEME = 2  # 1: one voice for every item (before issue #16); 2: one voice per speaker
NARRATOR = "fr-fr"
SPEAKER_VOICES = ("fr-fr+m3", "fr-fr+f2", "fr-fr+m1", "fr-fr+f4")
# words per minute, gap between words (in 10 ms units), pause between turns (ms)
PACE = {"A1.1": (110, 10, 900), "A1": (122, 6, 700)}
DEFAULT_PACE = (135, 4, 500)


@dataclass(frozen=True)
class Line:
    """One call to espeak-ng."""

    voice: str
    speed: int  # words per minute (-s)
    gap: int  # pause between words, in units of 10 ms (-g)
    text: str

    def arguments(self) -> list[str]:
        return ["-v", self.voice, "-s", str(self.speed), "-g", str(self.gap)]


@dataclass(frozen=True)
class Plan:
    lines: tuple[Line, ...]
    pause_ms: int  # silence between two lines

    @property
    def voices(self) -> list[str]:
        return sorted({line.voice for line in self.lines})

    def signature(self) -> str:
        data = {"scheme": SCHEME, "pause": self.pause_ms,
                "lines": [asdict(line) for line in self.lines]}  # fmt: skip
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


def plan(transcript: str, level: str) -> Plan:
    """Who says what, at which pace, for an item of `level`."""
    speed, gap, pause = PACE.get(level, DEFAULT_PACE)
    turns = speaker_turns(transcript.strip().splitlines())
    if turns is None:
        return Plan((Line(NARRATOR, speed, gap, transcript.strip()),), pause)
    return Plan(
        tuple(
            Line(SPEAKER_VOICES[t.voice % len(SPEAKER_VOICES)], speed, gap, t.text)
            for t in turns
        ),
        pause,
    )


def audio_name(item_id: str, transcript: str, level: str) -> str:
    """The file name of an item's audio; it changes with the transcript and with the
    way it is spoken (voices, pace, SCHEME)."""
    spoken = f"{transcript.strip()}\n{plan(transcript, level).signature()}"
    digest = hashlib.sha1(spoken.encode("utf-8"), usedforsecurity=False)
    return f"{item_id}-{digest.hexdigest()[:8]}.opus"
