"""Messages to people: notices on their home page, e-mails and texts, in their own
language, queued in the outbox and sent by `flask reminders send`."""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from flask import current_app
from flask_babel import force_locale
from flask_babel import format_datetime as babel_datetime
from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    Text,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from tutoring.accounts.models import User
from tutoring.core.database import UTCDateTime, enum_column, utcnow
from tutoring.core.extensions import Model, db
from tutoring.core.i18n import supported_locales
from tutoring.core.mail import send_mail

if TYPE_CHECKING:
    from sqlalchemy import CursorResult


class Channel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"
    APP = "app"  # shown on the person's home page


class OutboxMessage(Model):
    """A message to send (e-mail, text) or to show on the home page. `key` makes each
    message unique, so that a reminder or a notice is never queued or sent twice."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "channel"))
    address: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))


MAX_FAILURES = 5


NOTICE_DAYS = 30


def log_sms(number: str, text: str) -> None:
    """Default text sender: writes the text to the log (plug a provider instead)."""
    current_app.logger.info("SMS (not sent, no provider) to=%s text=%s", number, text)


def sms_sender() -> Callable[[str, str], None]:
    module, _sep, name = current_app.config["SMS_SENDER"].partition(":")
    sender: Callable[[str, str], None] = getattr(importlib.import_module(module), name)
    return sender


def locale_of(user: User) -> str:
    return user.locale if user.locale in supported_locales() else "fr"


def when(user: User, moment: datetime) -> str:
    """A date and time in Millau, written in the person's language."""
    with force_locale(locale_of(user)):
        return str(babel_datetime(moment, "EEEE d MMMM, HH:mm"))


def queue(
    user: User,
    key: str,
    render: Callable[[], tuple[str, str]],
    *,
    notice: bool = True,
    remote: bool = True,
) -> int:
    """Queue a message rendered in the person's language: a notice on their home
    page and, when `remote`, an e-mail (or a text when they have no e-mail).

    `render` returns (subject, body) and runs with the person's locale, only when
    something is new. A key already used is skipped (the message exists). Returns
    how many messages were queued."""
    channels: list[tuple[Channel, str | None]] = []
    if notice:
        channels.append((Channel.APP, None))
    if remote and user.email:
        channels.append((Channel.EMAIL, user.email))
    elif remote and user.phone:
        channels.append((Channel.SMS, user.phone))
    keys = {c: f"{key}:{user.id}:{c.value}"[:160] for c, _address in channels}
    existing = set(
        db.session.scalars(
            select(OutboxMessage.key).where(OutboxMessage.key.in_(keys.values()))
        )
    )
    new = [(c, address) for c, address in channels if keys[c] not in existing]
    if not new:
        return 0
    with force_locale(locale_of(user)):
        subject, body = render()
    queued = 0
    for channel, address in new:
        savepoint = db.session.begin_nested()
        try:
            db.session.add(
                OutboxMessage(
                    key=keys[channel], user_id=user.id, channel=channel,
                    address=address, subject=subject[:200], body=body,
                )
            )  # fmt: skip
            savepoint.commit()
            queued += 1
        except IntegrityError:  # queued meanwhile by another process
            savepoint.rollback()
    return queued


def notices(user: User) -> list[OutboxMessage]:
    """Notices not yet dismissed, from the last 30 days, newest first."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.user_id == user.id,
                OutboxMessage.channel == Channel.APP,
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.created_at >= utcnow() - timedelta(days=NOTICE_DAYS),
            )
            .order_by(OutboxMessage.id.desc())
            .limit(5)
        )
    )


def dismiss(user: User, message_id: int) -> bool:
    """Mark a notice read (for notices, sent_at is when the person read it)."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.user_id == user.id,
            OutboxMessage.channel == Channel.APP,
        )
        .values(sent_at=utcnow())
    )
    return bool(cast("CursorResult[Any]", result).rowcount)  # an UPDATE


def send_pending(limit: int = 500) -> tuple[int, int]:
    """Send queued e-mails and texts; returns (sent, failed). A message is claimed
    (marked sent) before it goes and released when sending fails, so that two runs
    at once never send it twice."""
    ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.channel != Channel.APP,
            OutboxMessage.failures < MAX_FAILURES,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    for message_id in ids:
        claimed = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
            .values(sent_at=utcnow())
        )
        db.session.commit()
        if not cast("CursorResult[Any]", claimed).rowcount:  # an UPDATE
            continue  # another run took it
        message = db.session.get(OutboxMessage, message_id)
        assert message is not None
        assert message.address is not None
        try:
            if message.channel == Channel.EMAIL:
                send_mail(message.address, message.subject, message.body)
            else:
                sms_sender()(message.address, message.body)
        except Exception as exc:  # noqa: BLE001 - any transport error: retry later
            message.sent_at = None
            message.failures += 1
            message.last_error = str(exc)[:300]
            failed += 1
        else:
            sent += 1
        db.session.commit()
    return sent, failed
