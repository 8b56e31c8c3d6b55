"""Accounts: users and their roles, structures, sign-in sessions, login cards."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tutoring.core.database import UTCDateTime, enum_column, utcnow
from tutoring.core.extensions import Model

if TYPE_CHECKING:
    from tutoring.accounts.profiles import LearnerProfile, TutorProfile


class Role(enum.StrEnum):
    LEARNER = "learner"
    TUTOR = "tutor"
    REFERENT = "referent"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class Structure(Model):
    """An organisation whose staff enrol and follow learners (the association, a partner)."""

    __tablename__ = "structures"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Picture sign-in on the structure's shared computers (off until a referent or
    # an admin turns it on).
    picture_signin: Mapped[bool] = mapped_column(Boolean, default=False)

    partners: Mapped[list[Partner]] = relationship(
        back_populates="structure", order_by="Partner.name"
    )


class Partner(Model):
    """A body that orients learners towards the structure (CCAS, France Travail, …)."""

    __tablename__ = "partners"
    __table_args__ = (UniqueConstraint("structure_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(ForeignKey("structures.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    structure: Mapped[Structure] = relationship(back_populates="partners")


class User(UserMixin, Model):
    """Anyone who signs in. Personal fields are kept to the minimum and can be erased."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(80), default="")
    last_name: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # The password was chosen in a session a login card opened (or replaced one that
    # was): revoking or reprinting the card removes it with the card.
    password_from_card: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(12), default="fr")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    structure_id: Mapped[int | None] = mapped_column(
        ForeignKey("structures.id"), index=True
    )
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The 30-second step of the last code accepted: a code at or before it is refused,
    # so that each code signs in once (ASVS 2.8.4).
    totp_last_step: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    inactivity_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The private calendar feed's secret, hashed (the URL is shown once).
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    structure: Mapped[Structure | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    learner_profile: Mapped[LearnerProfile | None] = relationship(
        back_populates="user", foreign_keys="LearnerProfile.user_id", uselist=False
    )
    tutor_profile: Mapped[TutorProfile | None] = relationship(
        back_populates="user",
        foreign_keys="TutorProfile.user_id",
        uselist=False,
        cascade="all, delete-orphan",
    )

    # The sign-in session's token, set per request by the user loader (not a column;
    # annotated for the type checker only, as the ORM would take it for a column).
    if TYPE_CHECKING:
        session_token: str | None
    session_token = None

    def get_id(self) -> str:  # used by Flask-Login: the cookie names the session
        return self.session_token or ""

    # Identity is the primary key. Flask-Login's UserMixin compares `get_id()`, the
    # session token here, so any two accounts loaded outside a request (both without
    # a token) would compare equal: `tutor in tutors` was always true.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, User):
            return NotImplemented
        if self.id is None or other.id is None:  # not saved yet: only itself
            return self is other
        return self.id == other.id

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        # A hash taken before the first flush would change with the id, so an
        # unsaved account is unhashable (as Django does), never silently lost in a set.
        if self.id is None:
            raise TypeError("an unsaved User has no identity yet: flush it first")
        return hash((User, self.id))

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def add_role(self, role: Role) -> None:
        if role not in self.roles:
            self.role_rows.append(UserRole(role=role))

    def remove_role(self, role: Role) -> None:
        self.role_rows = [r for r in self.role_rows if r.role != role]

    @property
    def is_active(self) -> bool:  # used by Flask-Login
        return self.active and self.erased_at is None

    @property
    def display_name(self) -> str:
        return (
            " ".join(p for p in (self.first_name, self.last_name) if p) or self.username
        )

    @property
    def has_2fa(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_approved_tutor(self) -> bool:
        return (
            Role.TUTOR in self.roles
            and self.tutor_profile is not None
            and self.tutor_profile.approved_at is not None
        )


class UserRole(Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class UserSession(Model):
    """A signed-in browser. The cookie holds a random token; its hash is stored here,
    so that sign-out, expiry and revocation take effect on the server."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    shared_device: Mapped[bool] = mapped_column(Boolean, default=False)
    second_factor_done: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the owner needs to recognise the browser in their list of sessions, read
    # from its User-Agent, which is not kept: "phone", "tablet" or "computer", and
    # the browser's family ("Firefox", "Chrome"...).
    device_kind: Mapped[str | None] = mapped_column(String(10))
    browser: Mapped[str | None] = mapped_column(String(20))

    user: Mapped[User] = relationship()


class RecoveryCode(Model):
    """A single-use code that replaces the authenticator app once."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginCard(Model):
    """A printed card whose code (and QR code) signs a learner in. Only a hash is kept."""

    __tablename__ = "login_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class AuditEvent(Model):
    """Who did what to which account, for the admin. No personal data in `detail`."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(48))
    target_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    detail: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    target: Mapped[User | None] = relationship(foreign_keys=[target_user_id])


class PictureSignin(Model):
    """A learner's picture sign-in on their structure's shared computers: their own
    picture in the structure's list, then a short code of pictures. Only a hash of
    the code is kept; revoked with the card."""

    __tablename__ = "picture_signins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    structure_id: Mapped[int] = mapped_column(ForeignKey("structures.id"), index=True)
    picture: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(255))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SharedComputer(Model):
    """A browser a referent marked as one of the structure's shared computers (a
    random token in a cookie, its hash here). Every sign-in there is a shared-computer
    one (short idle timeout, nothing cached, no offline packs); picture sign-in works
    only there."""

    __tablename__ = "shared_computers"

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(ForeignKey("structures.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The name the referent gives it, to tell the computers apart: « MESA – poste 3 ».
    label: Mapped[str] = mapped_column(String(80), default="", server_default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # The last sign-in on it (or the referent's marking).
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    structure: Mapped[Structure] = relationship()
    added_by: Mapped[User | None] = relationship(foreign_keys=[added_by_id])


class HandoffToken(Model):
    """A single-use code a learner signed in on a shared computer shows as a QR code,
    to continue on their own phone. Only its hash is kept; it lasts two minutes."""

    __tablename__ = "handoff_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
