"""Picture sign-in for the structure's shared computers, for learners who read little.

A referent turns it on for the structure and marks the shared computers (see
accounts.shared: a random token in a long-lived cookie, its hash in
`shared_computers`). On such a computer the
learner touches their own picture in the structure's list (pictures only, never a
name), then a code of CODE_LENGTH pictures out of the CODE_PICTURES, in order
(12**4 = 20,736 codes). Failures count per account and per computer like the card's;
the code is kept as an argon2 hash; revoking or reprinting the card ends it; staff
accounts can never use it.
"""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from tutoring.accounts import audit
from tutoring.accounts.errors import AccountError
from tutoring.accounts.models import (
    PictureSignin,
    Role,
    SharedComputer,
    Structure,
    User,
)
from tutoring.accounts.passwords import hash_password, verify_password
from tutoring.accounts.shared import this_computer
from tutoring.accounts.signin import revoke_all_sessions
from tutoring.core.database import utcnow
from tutoring.core.extensions import db

CODE_LENGTH = 4

# The pictures of a code: easy to name, drawn for the exercise bank.
CODE_PICTURES = {
    "soleil": _l("le soleil"),
    "pomme": _l("la pomme"),
    "bus": _l("le bus"),
    "maison": _l("la maison"),
    "velo": _l("le vélo"),
    "cle": _l("la clé"),
    "lait": _l("le lait"),
    "livre": _l("le livre"),
    "pain": _l("le pain"),
    "telephone": _l("le téléphone"),
    "train": _l("le train"),
    "voiture": _l("la voiture"),
}

# The pictures a learner chooses as their own (none is also a code picture).
OWN_PICTURES = {
    "casque": _l("le casque"),
    "crayon": _l("le crayon"),
    "ecole": _l("l’école"),
    "enfant": _l("l’enfant"),
    "famille": _l("la famille"),
    "fromage": _l("le fromage"),
    "hopital": _l("l’hôpital"),
    "lettre": _l("la lettre"),
    "lit": _l("le lit"),
    "main": _l("la main"),
    "mairie": _l("la mairie"),
    "medecin": _l("le médecin"),
    "neige": _l("la neige"),
    "ordinateur": _l("l’ordinateur"),
    "pharmacie": _l("la pharmacie"),
    "pluie": _l("la pluie"),
    "restaurant": _l("le restaurant"),
    "bulle": _l("la bulle"),
    "dent": _l("la dent"),
    "ecoute": _l("l’oreille"),
}


def only_learner(user: User) -> bool:
    """Picture sign-in is for learners only: never an account with a staff role."""
    return user.roles == frozenset({Role.LEARNER})


# ---- Shared computers (see accounts.shared) ----------------------------------------


def structure_on(computer: SharedComputer | None) -> Structure | None:
    """The structure whose picture sign-in this computer offers, if it is on."""
    if computer is None or not computer.structure.picture_signin:
        return None
    return computer.structure


def set_structure_picture_signin(structure: Structure, on: bool, actor: User) -> None:
    """Turn the structure's picture sign-in on or off. The shared computers stay
    marked (they keep their shared-computer mode); each one, a lost one included,
    is revoked from the list of shared computers."""
    structure.picture_signin = on
    audit.record("picture_signin_on" if on else "picture_signin_off", actor, None)


# ---- A learner's pictures ------------------------------------------------------------


def active_for(learner: User) -> PictureSignin | None:
    return db.session.scalar(
        select(PictureSignin).where(
            PictureSignin.user_id == learner.id, PictureSignin.revoked_at.is_(None)
        )
    )


def _active_rows(structure_id: int) -> list[PictureSignin]:
    return list(
        db.session.scalars(
            select(PictureSignin).where(
                PictureSignin.structure_id == structure_id,
                PictureSignin.revoked_at.is_(None),
            )
        )
    )


def free_pictures(structure_id: int, learner: User | None = None) -> list[str]:
    """The own pictures nobody else of the structure uses (the learner's own too)."""
    own = learner.id if learner is not None else None
    taken = {row.picture for row in _active_rows(structure_id) if row.user_id != own}
    return [name for name in OWN_PICTURES if name not in taken]


def pictures_of(structure_id: int) -> list[str]:
    """The structure's list on the shared computer: pictures of its learners with
    picture sign-in, in a fixed order that says nothing of who enrolled when."""
    used = {
        row.picture
        for row in _active_rows(structure_id)
        if row.user.is_active and only_learner(row.user)
    }
    return [name for name in OWN_PICTURES if name in used]


def new_code() -> list[str]:
    names = list(CODE_PICTURES)
    return [secrets.choice(names) for _ in range(CODE_LENGTH)]


def issue(learner: User, referent: User, structure_id: int, picture: str) -> list[str]:
    """Give the learner their picture and a new code (returned once, to show)."""
    if not only_learner(learner) or not learner.is_active:
        raise AccountError("picture_staff", "picture")
    if picture not in free_pictures(structure_id, learner):
        raise AccountError("picture_taken", "picture")
    revoke(learner, referent, reason="reissued")
    code = new_code()
    db.session.add(
        PictureSignin(
            user_id=learner.id, structure_id=structure_id, picture=picture,
            code_hash=hash_password("-".join(code)), issued_by_id=referent.id,
        )
    )  # fmt: skip
    audit.record("picture_signin_issued", referent, learner)
    return code


def revoke(learner: User, actor: User | None, reason: str = "revoked") -> int:
    """End the learner's picture sign-in and the sessions it may have opened."""
    result = db.session.execute(
        update(PictureSignin)
        .where(PictureSignin.user_id == learner.id, PictureSignin.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        revoke_all_sessions(learner)
        audit.record("picture_signin_revoked", actor, learner, reason=reason)
    return count


def row_for(structure_id: int, picture: str) -> PictureSignin | None:
    """The active picture sign-in behind a picture of the structure's list."""
    return next(
        (row for row in _active_rows(structure_id) if row.picture == picture), None
    )


def user_for(structure_id: int, picture: str, code: list[str]) -> User | None:
    """The learner this picture and code open, or None (always one argon2 check,
    so that a picture nobody uses takes as long as a wrong code)."""
    row = row_for(structure_id, picture)
    typed = "-".join(code)
    if not verify_password(row.code_hash if row else None, typed) or row is None:
        return None
    user = row.user
    if not user.is_active or not only_learner(user):
        return None
    row.last_used_at = utcnow()
    return user


def structure_here() -> Structure | None:
    """The structure whose picture sign-in this browser offers (a shared computer of
    a structure that turned it on), else None."""
    return structure_on(this_computer())
