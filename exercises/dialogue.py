"""The turns of a conversation written in the bank (a dialogue document, a listening
transcript): lines starting with a dash, or with « Name : ». Plain Python, shared by the
document rendering and the audio synthesis."""

from __future__ import annotations

import re
from dataclasses import dataclass

DASHES = "–—-"
BULLET = re.compile(r"^\s*[–—\-•]\s+(.*)$")
# « Label : value », French spacing before the colon; the label is short and is not a
# sentence (it starts with a letter and has no full stop, question or exclamation
# mark, except in « M. » or « Dr. »).
LABELLED = re.compile(
    r"^(?P<label>(?:(?:M|Mme|Mlle|Dr|Me|St)\.?\s)?[^\W\d_][^:.!?…]{0,39}?)\s*:\s*(?P<value>.*)$"
)
MAX_NAME_WORDS = 6


@dataclass(frozen=True)
class Turn:
    speaker: str | None  # the name written before « : »; None for a « – » turn
    text: str  # what is said
    voice: int  # 0, 1, 2…: one per speaker, in order of first appearance

    @property
    def side(self) -> int:
        """0 or 1: which side of a conversation (bubbles alternate)."""
        return self.voice % 2


def labelled(line: str) -> tuple[str, str] | None:
    """(label, value) for a « Label : value » line, else None."""
    if ":" not in line:
        return None
    match = LABELLED.match(line.strip())
    if not match or not match["label"].strip():
        return None
    return match["label"].strip(), match["value"].strip()


def speaker_turns(lines: list[str]) -> list[Turn] | None:
    """The turns of a conversation: every turn starts with a dash (two speakers who
    alternate) or with « Name : » (at least two names, the first line named); a line
    that starts neither way continues the turn before. None when it is no conversation."""
    text_lines = [line.strip() for line in lines if line.strip()]
    if not text_lines:
        return None
    if text_lines[0][0] in DASHES and BULLET.match(text_lines[0]):
        turns: list[Turn] = []
        for line in text_lines:
            match = BULLET.match(line)
            if match and line[0] in DASHES:
                turns.append(Turn(None, match.group(1), len(turns) % 2))
            else:
                last = turns[-1]
                turns[-1] = Turn(None, f"{last.text} {line}", last.voice)
        return turns if len(turns) >= 2 else None
    named: list[Turn] = []
    voices: dict[str, int] = {}
    for line in text_lines:
        pair = labelled(line)
        if pair is not None and pair[1] and len(pair[0].split()) <= MAX_NAME_WORDS:
            name = pair[0].split(",")[0].strip()  # « Mme Garcia, représentante… »
            voice = voices.setdefault(name, len(voices))
            named.append(Turn(pair[0], pair[1], voice))
        elif named:
            last = named[-1]
            named[-1] = Turn(last.speaker, f"{last.text} {line}", last.voice)
        else:
            return None
    return named if len(voices) >= 2 else None
