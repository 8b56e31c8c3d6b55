"""Check a learner's answer against an item's key. Pure functions, no I/O.

A response is a plain dict built by the page (see `tutoring/practice/forms`):
indexes into the choices as shown, never the answer itself, so the key never
needs to reach the page before the answer is sent.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from exercises.model import GAP, Item

MAX_TEXT = 5000  # characters accepted in any typed answer


class InvalidResponse(ValueError):  # noqa: N818 - the name reads as the domain says it
    """The response does not have the shape the item expects."""


@dataclass(frozen=True)
class Result:
    """The outcome of one answer.

    `score` is between 0 and 1, or None when a tutor will mark it. `parts` gives one
    verdict per gap, pair, field or position (True, False, or "accents").
    """

    score: float | None
    parts: list[bool | str] = field(default_factory=list)
    accents: bool = False
    checks: dict[str, Any] = field(default_factory=dict)

    @property
    def correct(self) -> bool:
        return self.score is not None and self.score >= 0.999


def normalise(text: str) -> str:
    """Compare-ready form: NFC, one space, straight apostrophe, no final full stop."""
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(".").strip()


def fold(text: str) -> str:
    """Remove accents and case, to detect an answer that is right but for them."""
    decomposed = unicodedata.normalize("NFKD", normalise(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _typed(given: str, accepted: list[str]) -> bool | str:
    given_norm = normalise(given)
    if any(given_norm == normalise(a) for a in accepted):
        return True
    if any(given_norm.casefold() == normalise(a).casefold() for a in accepted):
        return "accents" if fold(given) != given_norm.casefold() else "case"
    if any(fold(given) == fold(a) for a in accepted):
        return "accents"
    return False


def _share(parts: list[bool | str]) -> float:
    if not parts:
        return 0.0
    value = sum(
        1.0 if p is True else 0.5 if p in ("accents", "case") else 0.0 for p in parts
    )
    return round(value / len(parts), 4)


def _text(response: dict[str, Any], key: str) -> str:
    value = response.get(key, "")
    if not isinstance(value, str):
        raise InvalidResponse(key)
    if len(value) > MAX_TEXT:
        raise InvalidResponse(key)
    return value


def _list(response: dict[str, Any], key: str, length: int | None = None) -> list[str]:
    value = response.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidResponse(key)
    if length is not None and len(value) != length:
        raise InvalidResponse(key)
    if any(len(v) > MAX_TEXT for v in value):
        raise InvalidResponse(key)
    return value


def _index(value: str, size: int) -> int:
    if not value.isdigit() or int(value) >= size:
        raise InvalidResponse(value[:20])
    return int(value)


def grade(item: Item, response: dict[str, Any]) -> Result:
    """Score `response` for `item`; raise InvalidResponse when it is malformed."""
    grader = _GRADERS.get(item.type)
    if grader is None:
        raise InvalidResponse(item.type)
    return grader(item, response)


def _single(item: Item, response: dict[str, Any]) -> Result:
    choices = item.data["choices"]
    chosen = _index(_text(response, "choice"), len(choices))
    ok = choices[chosen] == item.data["answer"]
    return Result(1.0 if ok else 0.0, [ok])


def _multiple(item: Item, response: dict[str, Any]) -> Result:
    choices = item.data["choices"]
    chosen = {_index(v, len(choices)) for v in _list(response, "choices")}
    right = {i for i, c in enumerate(choices) if c in item.data["answers"]}
    hits = len(chosen & right)
    wrong = len(chosen - right)
    score = max(0.0, (hits - wrong) / len(right))
    return Result(round(score, 4), [i in right for i in sorted(chosen)])


def _true_false(item: Item, response: dict[str, Any]) -> Result:
    value = _text(response, "answer")
    if value not in ("true", "false"):
        raise InvalidResponse("answer")
    ok = (value == "true") == item.data["answer"]
    return Result(1.0 if ok else 0.0, [ok])


def _gap_typed(item: Item, response: dict[str, Any]) -> Result:
    answers = item.data["answers"]
    given = _list(response, "gaps", len(answers))
    parts = [_typed(g, accepted) for g, accepted in zip(given, answers, strict=True)]
    return Result(_share(parts), parts, accents=any(p == "accents" for p in parts))


def _gap_list(item: Item, response: dict[str, Any]) -> Result:
    answers = item.data["answers"]
    options = item.data["options"]
    given = _list(response, "gaps", len(answers))
    parts: list[bool | str] = []
    for value, expected in zip(given, answers, strict=True):
        chosen = options[_index(value, len(options))] if value else None
        parts.append(chosen == expected)
    return Result(_share(parts), parts)


def _matching(item: Item, response: dict[str, Any]) -> Result:
    pairs = item.data["pairs"]
    given = _list(response, "pairs", len(pairs))
    parts: list[bool | str] = []
    for left_index, value in enumerate(given):
        parts.append(bool(value) and _index(value, len(pairs)) == left_index)
    return Result(_share(parts), parts)


def _ordering(item: Item, response: dict[str, Any]) -> Result:
    sequence = item.data["sequence"]
    given = _list(response, "order", len(sequence))
    parts: list[bool | str] = []
    for position, value in enumerate(given):
        parts.append(bool(value) and _index(value, len(sequence)) == position)
    return Result(_share(parts), parts)


def _image(item: Item, response: dict[str, Any]) -> Result:
    keys = [c["image"] for c in item.data["choices"]]
    chosen = _text(response, "choice")
    if chosen not in keys:
        raise InvalidResponse("choice")
    ok = chosen == item.data["answer"]
    return Result(1.0 if ok else 0.0, [ok])


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'-]+", normalise(text).casefold())


def _dictation(item: Item, response: dict[str, Any]) -> Result:
    expected = _words(item.audio or "")
    given = _words(_text(response, "text"))
    exact = difflib.SequenceMatcher(a=expected, b=given, autojunk=False)
    folded = difflib.SequenceMatcher(
        a=[fold(w) for w in expected], b=[fold(w) for w in given], autojunk=False
    )
    right = sum(b.size for b in exact.get_matching_blocks())
    near = sum(b.size for b in folded.get_matching_blocks())
    extra = max(0, len(given) - len(expected))
    value = (right + 0.5 * max(0, near - right) - 0.5 * extra) / max(1, len(expected))
    score = round(min(1.0, max(0.0, value)), 4)
    return Result(score, [], accents=near > right)


def _form(item: Item, response: dict[str, Any]) -> Result:
    fields = item.data["fields"]
    given = _list(response, "fields", len(fields))
    parts = [_typed(g, f["answers"]) for g, f in zip(given, fields, strict=True)]
    return Result(_share(parts), parts, accents=any(p == "accents" for p in parts))


def _pointer(item: Item, response: dict[str, Any]) -> Result:
    """`targets`: for a click, double click or scroll, the index of the chosen target
    (one value); for a drag, per thing in its order, the index of the box it was put
    in ("" when left out)."""
    if item.data["action"] == "drag":
        pairs = item.data["pairs"]
        given = _list(response, "targets", len(pairs))
        parts: list[bool | str] = [
            bool(value) and _index(value, len(pairs)) == thing
            for thing, value in enumerate(given)
        ]
        return Result(_share(parts), parts)
    targets = item.data["targets"]
    given = _list(response, "targets", 1)
    ok = targets[_index(given[0], len(targets))] == item.data["answer"]
    return Result(1.0 if ok else 0.0, [ok])


def _exact(text: str) -> str:
    """A copied text compared as typed: only the kind of apostrophe, a non-breaking
    space and spaces around or repeated do not count."""
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _typing(item: Item, response: dict[str, Any]) -> Result:
    """1 when copied exactly; 0.5 when only accents or capitals differ, else 0."""
    given, expected = _exact(_text(response, "text")), _exact(item.data["answer"])
    verdict: bool | str
    if given == expected:
        verdict = True
    elif given.casefold() == expected.casefold():
        verdict = "case"
    elif _unaccented(given).casefold() == _unaccented(expected).casefold():
        verdict = "accents"
    else:
        verdict = False
    # the feedback says « attention aux accents et aux majuscules » for either
    return Result(_share([verdict]), [verdict], accents=verdict in ("accents", "case"))


def _timed(item: Item, response: dict[str, Any]) -> Result:
    """A choice, or nothing when the time ran out (then 0)."""
    value = _text(response, "choice")
    if not value:
        return Result(0.0, [False], checks={"timed_out": True})
    choices = item.data["choices"]
    ok = choices[_index(value, len(choices))] == item.data["answer"]
    return Result(1.0 if ok else 0.0, [ok])


def _writing(item: Item, response: dict[str, Any]) -> Result:
    text = _text(response, "text")
    words = len(re.findall(r"\w+(?:['’-]\w+)*", text))
    folded = fold(text)
    found = {
        element["label"]: any(fold(option) in folded for option in element["any"])
        for element in item.data.get("required", [])
    }
    checks = {
        "words": words,
        "min_words": item.data["min_words"],
        "max_words": item.data["max_words"],
        "elements": found,
    }
    return Result(None, [], checks=checks)


def _oral(item: Item, response: dict[str, Any]) -> Result:
    seconds = response.get("seconds")
    if not isinstance(seconds, (int, float)) or seconds < 0:
        raise InvalidResponse("seconds")
    return Result(None, [], checks={"seconds": round(float(seconds), 1)})


_GRADERS = {
    "single_choice": _single,
    "multiple_choice": _multiple,
    "true_false": _true_false,
    "gap_typed": _gap_typed,
    "gap_list": _gap_list,
    "matching": _matching,
    "ordering": _ordering,
    "image_choice": _image,
    "dictation": _dictation,
    "form_filling": _form,
    "short_writing": _writing,
    "oral_production": _oral,
    "pointer": _pointer,
    "typing": _typing,
    "tab_form": _form,
    "timed_choice": _timed,
}


def gap_segments(text: str) -> list[str]:
    """Split a gap text into the pieces around its gaps (for display)."""
    return text.split(GAP)
