"""Accounts: usernames, tutors' sign-up and approval, staff accounts, passwords."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, or_, select

from tutoring.accounts import audit
from tutoring.accounts.cards import card_code_matches
from tutoring.accounts.errors import AccountError as AccountError  # re-exported
from tutoring.accounts.models import Role, Structure, User, UserSession
from tutoring.accounts.passwords import hash_password, needs_rehash, verify_password
from tutoring.accounts.profiles import TutorProfile, TutorStatus
from tutoring.accounts.signin import revoke_all_sessions
from tutoring.core.database import added_once, utcnow
from tutoring.core.extensions import db
from tutoring.core.mail import send_mail

CHARTER_VERSION = "2026-11"


PASSWORD_LINK_MAX_AGE = 72 * 3600
SIGNUP_LINK_MAX_AGE = 72 * 3600


def slugify(text: str) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:20]


def new_username(first_name: str, fallback: str = "apprenant") -> str:
    """Return a free username from a first name: 'amina-4821' (or 'apprenant-4821')."""
    stem = slugify(first_name) or fallback
    for _attempt in range(50):
        candidate = f"{stem}-{secrets.randbelow(9000) + 1000}"
        if not username_taken(candidate):
            return candidate
    raise AccountError("username_exhausted")  # pragma: no cover - 9,000 tries per stem


def username_taken(username: str) -> bool:
    return (
        db.session.scalar(select(User.id).where(User.username == username.lower()))
        is not None
    )


def email_taken(email: str) -> bool:
    return (
        db.session.scalar(
            select(User.id).where(func.lower(User.email) == email.lower())
        )
        is not None
    )


def find_by_login(login: str) -> User | None:
    """Return the account whose username or e-mail is `login` (any case)."""
    login = login.strip().lower()
    if not login:
        return None
    return db.session.scalar(
        select(User).where(or_(User.username == login, func.lower(User.email) == login))
    )


def authenticate(login: str, password: str) -> User | None:
    """Return the active account matching these credentials, upgrading its hash."""
    user = find_by_login(login)
    if user is None or not user.is_active:
        verify_password(None, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    assert user.password_hash is not None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


@dataclass(frozen=True)
class SignupRequest:
    """A volunteer's sign-up waiting for its e-mailed link to be opened."""

    email: str
    first_name: str
    locale: str


def start_tutor_signup(
    request: SignupRequest, *, finish_link: Callable[[str], str], forgot_link: str
) -> None:
    """Go on by e-mail, whether or not the address has an account, so that the page
    answers the same either way: a new address gets a link to finish the sign-up
    (`finish_link` makes its address from the token); an address that has an account
    is told that someone tried, and where to get a new password (`forgot_link`)."""
    if email_taken(request.email):
        send_mail(
            request.email,
            _("Vous avez déjà un compte"),
            _(
                "Bonjour,\n\nQuelqu’un a voulu devenir bénévole avec cette adresse "
                "e-mail. Mais vous avez déjà un compte avec cette adresse : connectez-"
                "vous avec elle.\n\nSi vous avez oublié votre mot de passe, demandez-en "
                "un nouveau ici :\n%(link)s\n\nSi ce n’est pas vous, ignorez ce "
                "message : rien n’a changé sur votre compte.",
                link=forgot_link,
            ),
        )
        return
    token = _signup_serializer().dumps(
        {"e": request.email, "n": request.first_name, "l": request.locale}
    )
    send_mail(
        request.email,
        _("Finir votre inscription de bénévole"),
        _(
            "Bonjour %(name)s,\n\nPour finir votre inscription de bénévole, ouvrez ce "
            "lien (valable 3 jours) et choisissez votre mot de passe :\n%(link)s\n\n"
            "Si vous n’avez rien demandé, ignorez ce message.",
            name=request.first_name,
            link=finish_link(token),
        ),
    )


def _signup_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="tutor-signup")


def signup_from_token(token: str) -> SignupRequest | None:
    """The sign-up behind an e-mailed link: None when the link is forged, older than
    3 days, or already used (its address has an account now)."""
    try:
        data = _signup_serializer().loads(token, max_age=SIGNUP_LINK_MAX_AGE)
    except BadData:
        return None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(key), str) for key in ("e", "n", "l")
    ):
        return None
    if email_taken(data["e"]):
        return None
    return SignupRequest(email=data["e"], first_name=data["n"], locale=data["l"])


def register_tutor(request: SignupRequest, password: str) -> User:
    """Create a volunteer's account, pending a referent's approval, once the e-mailed
    link is opened. The username is made from the first name ('marc-4821'), so that
    sign-up never says which usernames are taken; the e-mail signs in too."""
    if email_taken(request.email):
        raise AccountError("email_taken", "email")
    user = User(
        username=new_username(request.first_name, fallback="benevole"),
        email=request.email.strip().lower(),
        first_name=request.first_name.strip(),
        password_hash=hash_password(password),
        locale=request.locale,
    )
    user.add_role(Role.TUTOR)
    if not added_once(user):
        # The form sent twice at once (a double tap while the password is hashed):
        # the other request made the account; this one finds the link used.
        raise AccountError("email_taken", "email")
    db.session.add(
        TutorProfile(
            user_id=user.id, charter_version=CHARTER_VERSION, status=TutorStatus.PENDING
        )
    )
    audit.record("account_created", user, user, role=Role.TUTOR.value)
    db.session.flush()
    return user


def add_approved_volunteer(user: User, approver: User, **profile: Any) -> TutorProfile:
    """Give `user` a volunteer's profile approved by `approver`, in the user's structure
    (the one way an approved volunteer is created without a sign-up to decide)."""
    row = TutorProfile(
        user_id=user.id,
        charter_version=CHARTER_VERSION,
        status=TutorStatus.APPROVED,
        approved_at=utcnow(),
        decided_by_id=approver.id,
        structure_id=user.structure_id,
        **profile,
    )
    db.session.add(row)
    return row


def decide_tutor(tutor: User, referent: User, *, approve: bool) -> None:
    """Approve or decline a volunteer; an approved tutor joins the referent's structure."""
    profile = tutor.tutor_profile
    if profile is None:
        raise AccountError("not_a_tutor")
    profile.decided_by_id = referent.id
    if approve:
        profile.status = TutorStatus.APPROVED
        profile.approved_at = utcnow()
        profile.structure_id = referent.structure_id
        audit.record("tutor_approved", referent, tutor)
    else:
        profile.status = TutorStatus.DECLINED
        profile.approved_at = None
        audit.record("tutor_declined", referent, tutor)


def create_staff(
    *,
    actor: User,
    username: str,
    email: str | None,
    first_name: str,
    last_name: str | None,
    roles: Iterable[Role],
    structure: Structure | None,
) -> User:
    """Create a staff account (referent, coordinator, admin); it gets a password link."""
    roles = set(roles)
    if username_taken(username):
        raise AccountError("username_taken", "username")
    if email and email_taken(email):
        raise AccountError("email_taken", "email")
    if Role.REFERENT in roles and structure is None:
        raise AccountError("structure_required", "structure_id")
    user = User(
        username=username.lower(),
        email=email.strip().lower() if email else None,
        first_name=first_name.strip(),
        last_name=(last_name or "").strip() or None,
        structure_id=structure.id if structure else None,
    )
    for role in sorted(roles):
        user.add_role(role)
    if not added_once(user):  # made at the same moment (a double tap, two admins)
        field = "username" if username_taken(username) else "email"
        raise AccountError(f"{field}_taken", field)
    if Role.TUTOR in roles:
        add_approved_volunteer(user, actor)
    audit.record(
        "account_created", actor, user, roles=",".join(sorted(r.value for r in roles))
    )
    return user


def set_roles(user: User, roles: Iterable[Role], actor: User) -> None:
    """Replace the roles of `user`; an admin cannot take away their own admin role."""
    wanted = set(roles)
    if user.id == actor.id and Role.ADMIN not in wanted:
        raise AccountError("cannot_drop_own_admin", "roles")
    if Role.REFERENT in wanted and user.structure_id is None:
        raise AccountError("structure_required", "structure_id")
    before = user.roles
    for role in before - wanted:
        user.remove_role(role)
    for role in wanted - before:
        user.add_role(role)
    if Role.TUTOR in wanted and user.tutor_profile is None:
        add_approved_volunteer(user, actor)
    if before != wanted:
        audit.record(
            "roles_changed",
            actor,
            user,
            before=",".join(sorted(r.value for r in before)),
            after=",".join(sorted(r.value for r in wanted)),
        )


def set_access(
    user: User, roles: Iterable[Role], structure_id: int | None, actor: User
) -> None:
    """Move `user` to another structure (or none), then replace their roles."""
    if structure_id != user.structure_id:
        user.structure_id = structure_id
        audit.record("structure_changed", actor, user, structure=str(structure_id))
    set_roles(user, roles, actor)


def set_active(user: User, active: bool, actor: User) -> None:
    if user.id == actor.id and not active:
        raise AccountError("cannot_disable_self")
    if user.active == active:
        return
    user.active = active
    if not active:
        revoke_all_sessions(user)
    audit.record("account_enabled" if active else "account_disabled", actor, user)


def set_password(user: User, password: str, *, from_card: bool = False) -> None:
    """Set a new password (`from_card`: chosen in a session a login card opened)."""
    user.password_hash = hash_password(password)
    user.password_from_card = from_card
    audit.record("password_changed", user, user)


def signed_in_recently(row: UserSession | None) -> bool:
    """Was this session opened (by a card, a password or a code) a few minutes ago?"""
    minutes = current_app.config["RECENT_SIGNIN_MINUTES"]
    return row is not None and utcnow() - row.created_at <= timedelta(minutes=minutes)


def change_password(
    user: User, current: str, new: str, keep: UserSession | None, card_code: str = ""
) -> None:
    """Set a new password once the current one is checked; every other session of
    the account ends. An account signed in by card has no password to check: the
    card's code typed again, or a sign-in of the last few minutes, stands for it,
    and the password goes with the card when the referent revokes or reprints it."""
    if user.password_hash:
        if not verify_password(user.password_hash, current):
            raise AccountError("wrong_password", "current_password")
        from_card = user.password_from_card
    else:
        if card_code.strip():
            if not card_code_matches(user, card_code):
                raise AccountError("wrong_card_code", "card_code")
        elif not signed_in_recently(keep):
            raise AccountError("card_code_needed", "card_code")
        from_card = True
    set_password(user, new, from_card=from_card)
    revoke_all_sessions(user, keep=keep)


def mail_password_changed(user: User) -> None:
    """Warn the account's owner, in case someone else changed the password."""
    if user.email:
        send_mail(
            user.email,
            _("Votre mot de passe a été modifié"),
            _(
                "Bonjour,\n\nLe mot de passe de votre compte vient d’être modifié. "
                "Si ce n’est pas vous, prévenez tout de suite l’association."
            ),
        )


def mail_password_link(login: str, link: Callable[[str], str]) -> None:
    """Mail a link to choose a new password (`link` makes its address from the
    token) when `login` is an active account with an e-mail; else nothing, so that
    nobody learns which addresses have an account."""
    user = find_by_login(login)
    if user is None or not user.is_active or not user.email:
        return
    send_mail(
        user.email,
        _("Choisir un nouveau mot de passe"),
        _(
            "Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien "
            "(valable 3 jours) :\n%(link)s\n\nSi vous n’avez rien demandé, "
            "ignorez ce message.",
            link=link(password_link_token(user)),
        ),
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt="password-link"
    )


def password_link_token(user: User) -> str:
    """Return a token to choose a password; it dies once a password is set."""
    fingerprint = (user.password_hash or "none")[-16:]
    return _serializer().dumps({"u": user.id, "f": fingerprint})


def user_from_password_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=PASSWORD_LINK_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.is_active:
        return None
    if (user.password_hash or "none")[-16:] != data.get("f"):
        return None
    return user
