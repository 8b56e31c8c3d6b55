"""The exercise bank in the database: sync from `exercises/` (versioned, never edited in
place), parsed items, the active versions."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select

from exercises.model import Item
from tutoring.content.models import ItemVersion
from tutoring.core.database import kept_by_row
from tutoring.core.extensions import db


class ContentError(ValueError):
    """A request that breaks a rule of the bank or of practice; `code` says which."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


def content_hash(item: Item) -> str:
    payload = item.payload()
    payload.pop("version")
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class SyncReport:
    added: int = 0
    unchanged: int = 0
    retired: int = 0
    reactivated: int = 0


def sync_bank(items: Iterable[Item]) -> SyncReport:
    """Make the database hold exactly the bank's items, idempotently (a track item's
    `track` is part of its content: moving it in or out of a track is an edit).

    A new (id, version) is added; an edited item must carry a new version, else
    ContentError("version_not_bumped") lists it and nothing changes. Items no
    longer in the bank are retired (kept for the attempts that point at them).
    """
    report = SyncReport()
    existing = {
        (v.item_id, v.version): v for v in db.session.scalars(select(ItemVersion))
    }
    in_bank: set[tuple[str, int]] = set()
    not_bumped = []
    new_rows = []
    for item in items:
        key = (item.id, item.version)
        in_bank.add(key)
        digest = content_hash(item)
        row = existing.get(key)
        if row is None:
            new_rows.append(
                ItemVersion(
                    item_id=item.id, version=item.version, unit=item.unit, level=item.level,
                    skill=item.skill, theme=item.theme, track=item.track, type=item.type,
                    content_hash=digest, payload=item.payload(), active=True,
                )
            )  # fmt: skip
        elif row.content_hash != digest:
            not_bumped.append(item.id)
        elif not row.active:
            row.active = True
            report.reactivated += 1
        else:
            report.unchanged += 1
    if not_bumped:
        raise ContentError("version_not_bumped", ", ".join(sorted(not_bumped)))
    for key, row in existing.items():
        # an item gone from the bank, or the older version of an edited one
        if row.active and key not in in_bank:
            row.active = False
            report.retired += 1
    db.session.add_all(new_rows)
    report.added = len(new_rows)
    db.session.flush()
    return report


def bank_page(filters: Mapping[str, str], page: int, size: int) -> list[ItemVersion]:
    """Page `page` (from 1) of the active items matching the filters (level, skill,
    theme, type), by level and unit: `size` rows and one more when a next page exists."""
    stmt = select(ItemVersion).where(ItemVersion.active)
    for key, value in filters.items():
        stmt = stmt.where(getattr(ItemVersion, key) == value)
    return list(
        db.session.scalars(
            stmt.order_by(ItemVersion.level, ItemVersion.unit, ItemVersion.item_id)
            .limit(size + 1)
            .offset((page - 1) * size)
        )
    )


# Parsed items by (version id, content hash): a version never changes once loaded
# (an edited item gets a new version), so a process can keep them. Parsing every
# payload of the bank on each new set was the practice flow's main cost.
_PARSED: dict[tuple[int, str], Item] = {}


def item_of(version: ItemVersion) -> Item:
    """The version's item, parsed once per process (items are frozen)."""
    if version.id is None:  # not stored yet: nothing to key it by
        return Item.from_payload(version.payload)
    key = (version.id, version.content_hash)
    item = _PARSED.get(key)
    if item is None:
        item = _PARSED[key] = Item.from_payload(version.payload)
    return item


def item_by_version(version_id: int) -> Item | None:
    """The item of a stored version, from its id alone (None when there is no such
    version). A version's content never changes (an edited item gets a new
    version), so the application keeps the items it has read by version id: a
    practice page or a correction does not read the version row again."""
    known: dict[int, Item] = kept_by_row("items_by_version")
    item = known.get(version_id)
    if item is None:
        version = db.session.get(ItemVersion, version_id)
        if version is None:
            return None
        item = known[version_id] = item_of(version)
    return item


def active_items(
    level: str | None = None, theme: str | None = None, track: str | None = None
) -> dict[str, tuple[int, Item]]:
    """Return item id -> (version id, parsed item) for the active versions: of the
    ordinary bank, or of `track` (track items are never mixed with the others)."""
    stmt = select(ItemVersion.id, ItemVersion.item_id, ItemVersion.content_hash).where(
        ItemVersion.active, _of_track(track)
    )
    if level:
        stmt = stmt.where(ItemVersion.level == level)
    if theme:
        stmt = stmt.where(ItemVersion.theme == theme)
    rows = db.session.execute(stmt.order_by(ItemVersion.item_id)).all()
    missing = [r.id for r in rows if (r.id, r.content_hash) not in _PARSED]
    for start in range(0, len(missing), 500):
        for vid, digest, payload in db.session.execute(
            select(ItemVersion.id, ItemVersion.content_hash, ItemVersion.payload).where(
                ItemVersion.id.in_(missing[start : start + 500])
            )
        ):
            _PARSED[(vid, digest)] = Item.from_payload(payload)
    return {r.item_id: (r.id, _PARSED[(r.id, r.content_hash)]) for r in rows}


def _of_track(track: str | None) -> ColumnElement[bool]:
    return ItemVersion.track.is_(None) if track is None else ItemVersion.track == track


def active_versions(
    level: str | None = None, theme: str | None = None, track: str | None = None
) -> list[ItemVersion]:
    """The active versions of the ordinary bank, or of `track`."""
    stmt = select(ItemVersion).where(ItemVersion.active, _of_track(track))
    if level:
        stmt = stmt.where(ItemVersion.level == level)
    if theme:
        stmt = stmt.where(ItemVersion.theme == theme)
    return list(db.session.scalars(stmt.order_by(ItemVersion.item_id)))
