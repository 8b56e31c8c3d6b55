"""Practice without a connection: packs of items to download, and the answers given
offline, synchronised later.

A **pack** is the auto-gradable items of the learner's practice level (« Mon niveau »)
or of one theme at that level. Its version is a hash of its item ids and versions,
so a change in the bank gives a new version (the packs page offers « Mettre à
jour »). Downloading a pack creates a practice set of mode `offline` that owns the
pack's item versions: its id is the pack's id, and every answer given offline
points at it (position = the item's place in the pack), so the answers keep the
version the learner saw even when the bank changes or retires the item.

Answers come back in batches (`sync_answers`): each is graded again here with the
real scoring code (the browser's grade is only immediate feedback), stored once
(the attempt's client id is unique), in the order they were given, and refused
alone when it breaks a rule (`REFUSALS`). Mock exams never go in a pack: only bank
items of the types below, never a civic question or an exam page.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import url_for
from sqlalchemy import select

from exercises.model import Item
from exercises.scoring import InvalidResponse, grade
from exercises.selection import KEYBOARD_FREE_TYPES
from exercises.voicing import audio_name
from tutoring.accounts.profiles import LearnerProfile
from tutoring.content.audio import AUDIO, audio_url, instruction_audio_url
from tutoring.content.bank import ContentError, active_items, item_of
from tutoring.content.models import ItemVersion
from tutoring.content.recordings import store_audio
from tutoring.core.config import PROJECT_ROOT
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.learning.forms import RESPONSE_FIELDS
from tutoring.learning.models import Attempt, PracticeSet, SetMode, Submission
from tutoring.learning.practice import record_answer, too_short
from tutoring.learning.progress import after_attempt, skill_estimate

# Graded in the browser as exercises/scoring.py grades them (static/js/offline-sync.js),
# and recordings, kept in the browser and sent later for a tutor; dictation and
# writing stay online.
OFFLINE_TYPES = frozenset(
    {
        "single_choice",
        "multiple_choice",
        "true_false",
        "gap_typed",
        "gap_list",
        "matching",
        "ordering",
        "image_choice",
        "form_filling",
        "oral_production",  # recorded offline, sent later (sync_recording), for a tutor
    }
)
# The key of each type's response, as the page posts it (learning.forms.RESPONSE_FIELDS):
# only that key is graded and stored.
RESPONSE_KEYS = {kind: RESPONSE_FIELDS[kind][0] for kind in OFFLINE_TYPES}
# An answer to an ordinary set, kept by the service worker when the network failed
# (static/js/sw.js): the posted form as {name: [values]}; these names hold one value.
SET_KEYS = {
    kind: RESPONSE_FIELDS[kind][0]
    for kind in OFFLINE_TYPES | {"dictation", "short_writing"}
}
SINGLE_VALUES = frozenset({"choice", "answer", "text", "seconds"})
SET_MODES = (SetMode.LEVEL, SetMode.THEME, SetMode.HOMEWORK)
LEVEL_PACK = "niveau"
MAX_BATCH = 50  # answers per synchronisation request
MAX_AGE = timedelta(days=30)  # an answer older than this is refused
MAX_SKEW = timedelta(minutes=5)  # an answer "from the future" beyond this is refused
STATIC = PROJECT_ROOT / "static"

# Why an answer is refused: the view turns the code into a sentence.
REFUSALS = (
    "malformed",
    "stale_position",
    "time_over",
    "audio_missing",
    "audio_type",
    "audio_empty",
    "audio_size",
    "too_short",
    "unknown_pack",
    "wrong_item",
    "too_old",
    "in_future",
    "invalid_response",
    "not_yours",
)


class OfflineError(ContentError):
    """A pack request that breaks a rule; `code` says which."""


@dataclass(frozen=True)
class PackInfo:
    """A pack the learner may download: its key ("niveau" or a theme), level, number
    of items, version and download size in bytes."""

    key: str
    level: str
    theme: str | None
    count: int
    version: str
    size: int


def _pack_items(
    profile: LearnerProfile, level: str, theme: str | None
) -> list[tuple[int, Item]]:
    types = (
        OFFLINE_TYPES & KEYBOARD_FREE_TYPES if profile.cannot_type else OFFLINE_TYPES
    )
    return [
        (version_id, item)
        for version_id, item in active_items(level, theme).values()
        if item.type in types
    ]


def pack_version(items: Sequence[Item]) -> str:
    """A short hash of the items' ids and versions, in a stable order."""
    text = "\n".join(sorted(f"{i.id}:{i.version}" for i in items))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def grading_key(item: Item) -> dict[str, Any]:
    """What the browser needs to grade an answer as exercises/scoring.py does: the
    indexes of the right choices as the page posts them, the accepted texts."""
    data, kind = item.data, item.type
    if kind == "single_choice":
        return {"answer": data["choices"].index(data["answer"])}
    if kind == "multiple_choice":
        return {
            "answers": [
                i for i, c in enumerate(data["choices"]) if c in data["answers"]
            ]
        }
    if kind == "true_false":
        return {"answer": bool(data["answer"])}
    if kind == "gap_typed":
        return {"accepted": [list(a) for a in data["answers"]]}
    if kind == "gap_list":
        return {"options": list(data["options"]), "answers": list(data["answers"])}
    if kind == "matching":
        return {"count": len(data["pairs"])}
    if kind == "ordering":
        return {"count": len(data["sequence"])}
    if kind == "image_choice":
        return {"keys": [c["image"] for c in data["choices"]], "answer": data["answer"]}
    if kind == "form_filling":
        return {"accepted": [list(f["answers"]) for f in data["fields"]]}
    if kind == "oral_production":  # no key: a tutor listens
        return {"min_seconds": data.get("min_seconds", 0)}
    raise OfflineError("type")


def _files(item: Item) -> list[Path]:
    """The audio and pictures an item's page loads (for the size shown before download)."""
    files: list[Path] = []
    if item.audio:
        recorded = AUDIO / "recorded" / f"{item.id}.opus"
        files.append(
            recorded
            if recorded.exists()
            else AUDIO / "items" / audio_name(item.id, item.audio, item.level)
        )
    files.append(AUDIO / "instructions" / f"{item.instruction}.opus")
    if item.type == "image_choice":
        files += [
            STATIC / "exercises" / "img" / f"{c['image']}.svg"
            for c in item.data["choices"]
        ]
    return files


_SIZES: dict[tuple[str, str, str | None, bool], int] = {}


def _size(
    profile: LearnerProfile,
    level: str,
    theme: str | None,
    items: list[tuple[int, Item]],
) -> int:
    """Bytes to download: the pack's JSON, its audio and its pictures (kept per
    version: the bank changes only when it is reloaded)."""
    version = pack_version([item for _, item in items])
    key = (version, level, theme, profile.cannot_type)
    if key not in _SIZES:
        body = json.dumps(
            [_item_entry(0, i, vid, item) for i, (vid, item) in enumerate(items)]
        )
        files = {path for _, item in items for path in _files(item)}
        _SIZES[key] = len(body.encode()) + sum(
            p.stat().st_size for p in files if p.exists()
        )
    return _SIZES[key]


def available_packs(
    profile: LearnerProfile, level: str, themes: Sequence[str]
) -> list[PackInfo]:
    """The level pack then one pack per theme at `level`, leaving out empty ones."""
    packs = []
    for key, theme in [(LEVEL_PACK, None), *((t, t) for t in themes)]:
        items = _pack_items(profile, level, theme)
        if items:
            packs.append(
                PackInfo(
                    key=key, level=level, theme=theme, count=len(items),
                    version=pack_version([item for _, item in items]),
                    size=_size(profile, level, theme, items),
                )
            )  # fmt: skip
    return packs


def download_pack(
    profile: LearnerProfile, key: str, level: str, themes: Sequence[str]
) -> PracticeSet:
    """A new offline set owning the items of the pack `key` at `level`."""
    if key != LEVEL_PACK and key not in themes:
        raise OfflineError("pack")
    theme = None if key == LEVEL_PACK else key
    items = _pack_items(profile, level, theme)
    if not items:
        raise OfflineError("no_items")
    practice = PracticeSet(
        learner_id=profile.id,
        mode=SetMode.OFFLINE,
        level=level,
        theme=theme,
        item_version_ids=[vid for vid, _ in items],
    )
    db.session.add(practice)
    db.session.flush()
    return practice


def own_pack(profile: LearnerProfile, set_id: int) -> PracticeSet | None:
    """The learner's offline set of this id, else None."""
    practice = db.session.get(PracticeSet, set_id)
    if (
        practice is None
        or practice.learner_id != profile.id
        or practice.mode != SetMode.OFFLINE
    ):
        return None
    return practice


def _item_entry(
    set_id: int, position: int, version_id: int, item: Item
) -> dict[str, Any]:
    return {
        "position": position,
        "item_id": item.id,
        "item_version": item.version,
        "version_id": version_id,
        "type": item.type,
        "skill": item.skill,
        "page": url_for("learning.offline_item", set_id=set_id, position=position)
        if set_id
        else "",
        "key": grading_key(item),
    }


def pack_content(profile: LearnerProfile, practice: PracticeSet) -> dict[str, Any]:
    """The pack as the browser keeps it: its items (pages to cache, grading keys)
    and the audio and pictures they use."""
    versions = {
        v.id: v
        for v in db.session.scalars(
            select(ItemVersion).where(ItemVersion.id.in_(practice.item_version_ids))
        )
    }
    items = [item_of(versions[vid]) for vid in practice.item_version_ids]
    resources: list[str] = []
    for item in items:
        if item.audio:
            resources.append(audio_url(item, profile.structure_id))
        instruction = instruction_audio_url(item.instruction)
        if instruction:
            resources.append(instruction)
        if item.type == "image_choice":
            resources += [
                url_for("static", filename=f"exercises/img/{c['image']}.svg")
                for c in item.data["choices"]
            ]
    return {
        "id": practice.id,
        "pack": practice.theme or LEVEL_PACK,
        "level": practice.level,
        "theme": practice.theme,
        "version": pack_version(items),
        "downloaded_at": practice.created_at.isoformat(),
        "items": [
            _item_entry(practice.id, i, vid, item)
            for i, (vid, item) in enumerate(
                zip(practice.item_version_ids, items, strict=True)
            )
        ],
        "resources": list(dict.fromkeys(resources)),
    }


def offline_item(
    practice: PracticeSet, position: int
) -> tuple[ItemVersion, Item] | None:
    """The item at `position` of an offline set, in the version the pack holds."""
    if not 0 <= position < len(practice.item_version_ids):
        return None
    version = db.session.get(ItemVersion, practice.item_version_ids[position])
    return (version, item_of(version)) if version is not None else None


@dataclass(frozen=True)
class Outcome:
    client_id: str
    status: str  # "stored", "duplicate" or "refused"
    reason: str | None = None  # one of REFUSALS when refused


@dataclass(frozen=True)
class _Answer:
    client_id: str
    practice: PracticeSet
    position: int
    version: ItemVersion
    item: Item
    answered_at: datetime
    time_ms: int | None
    response: dict[str, Any]
    audio: tuple[bytes, str] | None = None


def _out_of_time(answered_at: datetime, now: datetime) -> str | None:
    """Why an answer's time is refused (older than MAX_AGE, or later than the
    server's clock by more than MAX_SKEW), or None when it is accepted."""
    if answered_at < now - MAX_AGE:
        return "too_old"
    if answered_at > now + MAX_SKEW:
        return "in_future"
    return None


def _moment(value: object) -> datetime | None:
    """An ISO 8601 moment with its offset, or milliseconds since 1970, in UTC."""
    try:
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return datetime.fromtimestamp(value / 1000, UTC)
        if isinstance(value, str) and len(value) <= 40:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return moment.astimezone(UTC) if moment.tzinfo else None
    except (ValueError, OverflowError, OSError):
        return None
    return None


def _check(
    profile: LearnerProfile,
    raw: object,
    now: datetime,
    packs: dict[int, PracticeSet | None],
    audio: tuple[bytes, str] | None = None,
) -> _Answer | str:
    """The answer ready to store, or the code of its refusal."""
    if not isinstance(raw, dict):
        return "malformed"
    client_id, set_id, position = (
        raw.get("client_id"),
        raw.get("pack"),
        raw.get("position"),
    )
    response, time_ms = raw.get("response"), raw.get("time_ms")
    if (
        not isinstance(set_id, int) or isinstance(set_id, bool) or not 0 < set_id < 2**62
        or not isinstance(position, int) or isinstance(position, bool)
        or not isinstance(response, dict)
        or not isinstance(raw.get("item_version_id"), int)
    ):  # fmt: skip
        return "malformed"
    if set_id not in packs:
        packs[set_id] = own_pack(profile, set_id)
    practice = packs[set_id]
    if practice is None:
        return "unknown_pack"
    found = offline_item(practice, position)
    if found is None or found[0].id != raw["item_version_id"]:
        return "wrong_item"
    answered_at = _moment(raw.get("answered_at"))
    if answered_at is None:
        return "malformed"
    if (late := _out_of_time(answered_at, now)) is not None:
        return late
    name = RESPONSE_KEYS.get(found[1].type)
    if name is None or name not in response:
        return "invalid_response"
    response = {name: response[name]}
    if found[1].type == "oral_production":
        if audio is None:
            return "audio_missing"  # a recording travels alone (sync_recording)
        if too_short(found[1].data, response["seconds"]):
            return "too_short"
    try:
        grade(found[1], response)
    except (InvalidResponse, KeyError, IndexError, TypeError, ValueError):
        return "invalid_response"
    if (
        not isinstance(time_ms, int)
        or isinstance(time_ms, bool)
        or not 0 <= time_ms < 86_400_000
    ):
        time_ms = None
    return _Answer(
        str(client_id),
        practice,
        position,
        found[0],
        found[1],
        answered_at,
        time_ms,
        response,
        audio,
    )


@dataclass(frozen=True)
class _SetAnswer:
    """An answer to an ordinary practice set (not a pack), stored by record_answer."""

    client_id: str
    practice: PracticeSet
    position: int
    answered_at: datetime
    time_ms: int | None
    response: dict[str, Any]


def _check_set(
    profile: LearnerProfile, raw: dict[str, Any], now: datetime
) -> _SetAnswer | str:
    """An answer the service worker kept when posting it to a set failed: the set
    must be the learner's own practice (never a mock exam or the placement test)."""
    set_id, position, form = raw.get("set"), raw.get("position"), raw.get("form")
    if (
        not isinstance(set_id, int) or isinstance(set_id, bool) or not 0 < set_id < 2**62
        or not isinstance(position, int) or isinstance(position, bool)
        or not isinstance(form, dict)
    ):  # fmt: skip
        return "malformed"
    practice = db.session.get(PracticeSet, set_id)
    if (
        practice is None
        or practice.learner_id != profile.id
        or practice.mode not in SET_MODES
        or practice.exam_id is not None
    ):
        return "unknown_pack"
    if not 0 <= position < len(practice.item_version_ids):
        return "wrong_item"
    version = db.session.get(ItemVersion, practice.item_version_ids[position])
    if version is None:
        return "wrong_item"
    answered_at = _moment(raw.get("answered_at"))
    if answered_at is None:
        return "malformed"
    if (late := _out_of_time(answered_at, now)) is not None:
        return late
    name = SET_KEYS.get(version.type)
    values = form.get(name, [])
    if name is None or not isinstance(values, list):
        return "invalid_response"
    if not all(isinstance(v, str) for v in values):
        return "invalid_response"
    value: Any = values
    if name in SINGLE_VALUES:
        value = values[0] if values else ""
    if name == "seconds":
        return "audio_missing"  # a recording is not kept offline for a set
    shown = _moment(raw.get("shown_at"))
    time_ms = (
        int((answered_at - shown).total_seconds() * 1000) if shown is not None else None
    )
    return _SetAnswer(
        str(raw["client_id"]), practice, position, answered_at, time_ms, {name: value}
    )


def _client_id(raw: object) -> str | None:
    value = raw.get("client_id") if isinstance(raw, dict) else None
    if not isinstance(value, str) or len(value) > 36:
        return None
    try:
        return str(uuid.UUID(value)) if len(value) == 36 else None
    except ValueError:
        return None


def sync_answers(
    profile: LearnerProfile, answers: Sequence[object], now: datetime | None = None
) -> list[Outcome]:
    """Store the answers given offline, each once, in the order they were given;
    one outcome per answer, in the order received. A refused answer does not stop
    the others."""
    if len(answers) > MAX_BATCH:
        raise OfflineError("batch_size")
    now = now or utcnow()
    ids = [_client_id(raw) for raw in answers]
    known = {
        row.client_id: row.learner_id
        for row in db.session.execute(
            select(Attempt.client_id, Attempt.learner_id).where(
                Attempt.client_id.in_([i for i in ids if i])
            )
        )
    }
    packs: dict[int, PracticeSet | None] = {}
    outcomes: dict[int, Outcome] = {}
    ready: list[tuple[int, _Answer | _SetAnswer]] = []
    seen: set[str] = set()
    for index, (raw, client_id) in enumerate(zip(answers, ids, strict=True)):
        shown = (
            client_id or str(raw.get("client_id", ""))[:36]
            if isinstance(raw, dict)
            else ""
        )
        if client_id is None:
            outcomes[index] = Outcome(shown, "refused", "malformed")
        elif client_id in known:
            mine = known[client_id] == profile.id
            outcomes[index] = Outcome(
                client_id,
                "duplicate" if mine else "refused",
                None if mine else "not_yours",
            )
        elif client_id in seen:
            outcomes[index] = Outcome(client_id, "duplicate")
        elif isinstance(raw, dict) and "set" in raw and "pack" not in raw:
            kept = _check_set(profile, {**raw, "client_id": client_id}, now)
            if isinstance(kept, str):
                outcomes[index] = Outcome(client_id, "refused", kept)
            else:
                seen.add(client_id)
                ready.append((index, kept))
        else:
            checked = _check(profile, {**raw, "client_id": client_id}, now, packs)  # type: ignore[dict-item]
            if isinstance(checked, str):
                outcomes[index] = Outcome(client_id, "refused", checked)
            else:
                seen.add(client_id)
                ready.append((index, checked))
    for index, answer in sorted(ready, key=lambda pair: pair[1].answered_at):
        if isinstance(answer, _SetAnswer):
            outcomes[index] = _store_set_answer(profile, answer)
        else:
            _store(profile, answer)
            outcomes[index] = Outcome(answer.client_id, "stored")
    return [outcomes[i] for i in range(len(answers))]


def _store_set_answer(profile: LearnerProfile, answer: _SetAnswer) -> Outcome:
    """Record it as the set's page would have: the set's rules apply (the item must
    still be the one waiting, a timed set must not be over)."""
    try:
        record_answer(
            profile, answer.practice, position=answer.position,
            client_id=answer.client_id, response=answer.response,
            time_ms=answer.time_ms, answered_at=answer.answered_at,
        )  # fmt: skip
    except ContentError as exc:
        code = exc.code if exc.code in REFUSALS else "invalid_response"
        return Outcome(answer.client_id, "refused", code)
    return Outcome(answer.client_id, "stored")


def _store(profile: LearnerProfile, answer: _Answer) -> None:
    result = grade(answer.item, answer.response)
    attempt = Attempt(
        client_id=answer.client_id,
        learner_id=profile.id,
        set_id=answer.practice.id,
        position=answer.position,
        item_version_id=answer.version.id,
        response=answer.response,
        score=result.score,
        result={
            "parts": result.parts,
            "accents": result.accents,
            "checks": result.checks,
        },
        time_ms=answer.time_ms,
        created_at=answer.answered_at,
    )
    if answer.item.reviewed and answer.audio is not None:
        data, mime = answer.audio
        attempt.submission = Submission(
            audio_file=store_audio(data, mime), audio_mime=mime.split(";")[0]
        )
    db.session.add(attempt)
    db.session.flush()
    if result.score is not None:
        after_attempt(
            profile, attempt, skill_estimate(profile, answer.item.skill).value
        )
    db.session.flush()


def pack_answers(profile: LearnerProfile) -> dict[int, int]:
    """How many answers the server holds per offline set of the learner."""
    rows = db.session.execute(
        select(Attempt.set_id, db.func.count(Attempt.id))
        .join(PracticeSet, PracticeSet.id == Attempt.set_id)
        .where(
            PracticeSet.learner_id == profile.id, PracticeSet.mode == SetMode.OFFLINE
        )
        .group_by(Attempt.set_id)
    )
    return {set_id: count for set_id, count in rows}


def sync_recording(
    profile: LearnerProfile,
    raw: dict[str, Any],
    audio: tuple[bytes, str] | None,
    now: datetime | None = None,
) -> Outcome:
    """Store a recording made offline, once: the same checks as a batch's answer,
    then those of a recording sent online (type, size, length)."""
    now = now or utcnow()
    client_id = _client_id(raw)
    if client_id is None:
        return Outcome(str(raw.get("client_id", ""))[:36], "refused", "malformed")
    owner = db.session.scalar(
        select(Attempt.learner_id).where(Attempt.client_id == client_id)
    )
    if owner is not None:
        if owner != profile.id:
            return Outcome(client_id, "refused", "not_yours")
        return Outcome(client_id, "duplicate")
    checked = _check(profile, {**raw, "client_id": client_id}, now, {}, audio)
    if isinstance(checked, str):
        return Outcome(client_id, "refused", checked)
    if checked.item.type != "oral_production":
        return Outcome(client_id, "refused", "wrong_item")
    try:
        _store(profile, checked)
    except ContentError as exc:  # the recording's type, emptiness or size
        return Outcome(client_id, "refused", exc.code)
    return Outcome(client_id, "stored")
