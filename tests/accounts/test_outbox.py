"""The outbox of notices: the default text sender, and a failing sender retried without
sending twice."""

from __future__ import annotations

from sqlalchemy import select

from tutoring.accounts import outbox as notify
from tutoring.accounts.models import User
from tutoring.accounts.outbox import OutboxMessage
from tutoring.core.extensions import db


def test_the_default_text_sender_writes_to_the_log(app, monkeypatch):
    logged = []
    monkeypatch.setattr(app.logger, "info", lambda *args: logged.append(args[0] % args[1:]))
    with app.app_context():
        notify.sms_sender()("0600000000", "Bonjour")
    assert logged == ["SMS (not sent, no provider) to=0600000000 text=Bonjour"]


def test_a_failing_sender_is_retried_later_and_never_sends_twice(app, make, pair):
    calls = []

    def flaky(number, text):
        calls.append(number)
        if len(calls) == 1:
            raise OSError("provider down")

    def queue_text():
        user = db.session.get(User, pair["learner_user"])
        user.phone = "0600000000"
        notify.queue(user, "test:1", lambda: ("Objet", "Texte"), notice=False)
        db.session.commit()

    make.run(queue_text)
    app.config["SMS_SENDER"] = f"{__name__}:_FLAKY"
    globals()["_FLAKY"] = flaky
    try:
        assert make.run(notify.send_pending) == (0, 1)
        assert make.run(notify.send_pending) == (1, 0)
        assert make.run(notify.send_pending) == (0, 0)
    finally:
        app.config["SMS_SENDER"] = "tutoring.accounts.outbox:log_sms"
    assert calls == ["0600000000", "0600000000"]
    message = make.run(lambda: db.session.scalar(select(OutboxMessage)))
    assert (message.failures, message.last_error) == (1, "provider down")
