"""Command line of reminders: queue tomorrow's reminders and send queued messages."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask.cli import AppGroup

from tutoring.accounts.outbox import send_pending
from tutoring.sessions.reminders import queue_reminders

reminders_cli = AppGroup("reminders", help="Session reminders and queued messages.")

# Other features' reminders, queued by the same run (each returns how many it
# queued, once each): e.g. results that stop counting soon (indicators).
QUEUERS: list[Callable[[], int]] = []


@reminders_cli.command("send")
def reminders_send() -> None:
    """Queue tomorrow's session reminders (and the other features' reminders, such
    as results that stop counting within three months), then send queued e-mails
    and texts.

    Run it from cron (e.g. every hour): a reminder is queued once per session and
    time, and a message is never sent twice, even when two runs overlap.
    """

    queued = queue_reminders() + sum(queuer() for queuer in QUEUERS)
    sent, failed = send_pending()
    click.echo(f"{queued} reminders queued, {sent} messages sent, {failed} failed.")
