"""Structures (the organisations whose staff use the platform) and the partners that
refer learners to one of them."""

from __future__ import annotations

from sqlalchemy import select

from tutoring.accounts.models import Partner, Structure
from tutoring.accounts.users import AccountError
from tutoring.core.database import added_once
from tutoring.core.extensions import db


def all_structures() -> list[Structure]:
    return list(db.session.scalars(select(Structure).order_by(Structure.name)))


def add_structure(name: str) -> Structure:
    """A new structure; none may share its name, whatever the case."""
    if any(s.name.lower() == name.lower() for s in all_structures()):
        raise AccountError("structure_exists", "name")
    structure = Structure(name=name)
    if not added_once(structure):  # added at the same moment by another request
        raise AccountError("structure_exists", "name")
    return structure


def partners_of(
    structure_id: int | None, *, active_only: bool = False
) -> list[Partner]:
    """The partners of a structure by name, or only those still referring learners."""
    stmt = select(Partner).where(Partner.structure_id == structure_id)
    if active_only:
        stmt = stmt.where(Partner.active)
    return list(db.session.scalars(stmt.order_by(Partner.name)))


def add_partner(structure_id: int | None, name: str) -> Partner:
    """A new partner of the structure; none of its partners may share its name."""
    if any(p.name.lower() == name.lower() for p in partners_of(structure_id)):
        raise AccountError("partner_exists", "name")
    partner = Partner(structure_id=structure_id, name=name)
    if not added_once(partner):  # added at the same moment by another request
        raise AccountError("partner_exists", "name")
    return partner


def partner_of(structure_id: int | None, partner_id: int) -> Partner | None:
    """One of the structure's partners, None when it is another structure's."""
    partner = db.session.get(Partner, partner_id)
    if partner is None or partner.structure_id != structure_id:
        return None
    return partner


def toggle_partner(partner: Partner) -> None:
    """A partner stops referring learners, or starts again."""
    partner.active = not partner.active
