"""Messages to people: notices on their home page, e-mails and texts, in their own
language, queued in the outbox and sent by `flask reminders send`.

A message is kept as catalog keys and values (`tutoring.core.messages`): a notice is
shown in the reader's current language, an e-mail or a text is written in the
recipient's language when it is sent. The text rendered when queued stays beside it,
as a record (and for the rows queued before keys were kept)."""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from flask import current_app
from flask_babel import force_locale, get_locale
from markupsafe import Markup
from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    Select,
    String,
    Text,
    bindparam,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from tutoring.accounts.models import User
from tutoring.core.database import UTCDateTime, built_once, enum_column, utcnow
from tutoring.core.extensions import Model, db
from tutoring.core.i18n import (
    format_moment,
    lang_tag,
    supported_locales,
    text_direction,
)
from tutoring.core.mail import send_mail
from tutoring.core.messages import Message, verbatim

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
    # {"subject": message, "body": [message, ...]}: rendered when read or sent
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    locale: Mapped[str | None] = mapped_column(String(12))  # of subject and body
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))

    def rendered(self, *, html: bool = False) -> tuple[str, str]:
        """Subject and body in the current locale (Markup when `html`); a message
        queued before keys were kept is its stored text."""
        if not self.content:
            if html:
                return Markup.escape(self.subject), Markup.escape(self.body)
            return self.subject, self.body
        subject = Message.from_json(self.content["subject"]).render(html=html)
        parts = [Message.from_json(p).render(html=html) for p in self.content["body"]]
        joiner = Markup("<br>") if html else "\n"
        return subject, joiner.join(parts)

    @property
    def shown_subject(self) -> str:
        return self.rendered(html=True)[0]

    @property
    def shown_body(self) -> str:
        return self.rendered(html=True)[1]

    @property
    def shown_lang(self) -> str:
        """The `lang` of the shown text: the reader's for a message kept as keys
        (French while the reader's catalog lacks it), the stored text's otherwise."""
        return lang_tag(self._shown_locale())

    @property
    def shown_dir(self) -> str:
        return text_direction(self._shown_locale())

    def _shown_locale(self) -> str:
        if not self.content:
            return self.locale or "fr"
        subject = Message.from_json(self.content["subject"])
        return str(get_locale()) if subject.translated() else "fr"


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
        return format_moment(moment)


def queue(
    user: User,
    key: str,
    render: Callable[[], tuple[Message | str, Message | str | list[Message]]],
    *,
    notice: bool = True,
    remote: bool = True,
) -> int:
    """Queue a message rendered in the person's language: a notice on their home
    page and, when `remote`, an e-mail (or a text when they have no e-mail).

    `render` returns (subject, body) as messages kept with their keys and values
    (`deferred_gettext`); it runs only when something is new. A key already used is skipped (the message exists). Returns
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
    subject_message, body_message = render()
    if isinstance(subject_message, str):  # text never translated
        subject_message = verbatim(subject_message)
    if isinstance(body_message, str):
        body_message = verbatim(body_message)
    body_parts = body_message if isinstance(body_message, list) else [body_message]
    content = {
        "subject": subject_message.to_json(),
        "body": [part.to_json() for part in body_parts],
    }
    with force_locale(locale_of(user)):
        subject = subject_message.render()
        body = "\n".join(part.render() for part in body_parts)
    queued = 0
    for channel, address in new:
        savepoint = db.session.begin_nested()
        try:
            db.session.add(
                OutboxMessage(
                    key=keys[channel], user_id=user.id, channel=channel,
                    address=address, subject=subject[:200], body=body,
                    content=content, locale=locale_of(user),
                )
            )  # fmt: skip
            savepoint.commit()
            queued += 1
        except IntegrityError:  # queued meanwhile by another process
            savepoint.rollback()
    return queued


def notices(user: User) -> list[OutboxMessage]:
    """Notices not yet dismissed, from the last 30 days, newest first."""
    since = utcnow() - timedelta(days=NOTICE_DAYS)
    return list(db.session.scalars(_notices(), {"user_id": user.id, "since": since}))


@built_once
def _notices() -> Select[OutboxMessage]:
    return (
        select(OutboxMessage)
        .where(
            OutboxMessage.user_id == bindparam("user_id"),
            OutboxMessage.channel == Channel.APP,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.created_at >= bindparam("since"),
        )
        .order_by(OutboxMessage.id.desc())
        .limit(5)
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
        recipient = db.session.get(User, message.user_id) if message.user_id else None
        # written in the recipient's language of today, not of the queuing day
        with force_locale(
            locale_of(recipient) if recipient else message.locale or "fr"
        ):
            subject, body = message.rendered()
        try:
            if message.channel == Channel.EMAIL:
                send_mail(message.address, subject, body)
            else:
                sms_sender()(message.address, body)
        except Exception as exc:  # noqa: BLE001 - any transport error: retry later
            message.sent_at = None
            message.failures += 1
            message.last_error = str(exc)[:300]
            failed += 1
        else:
            sent += 1
        db.session.commit()
    return sent, failed
