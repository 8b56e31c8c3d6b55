"""Register every feature's command-line group on the application."""

from __future__ import annotations

from flask import Flask

from tutoring.accounts.cli import accounts_cli
from tutoring.content.cli import audio_cli, exercises_cli
from tutoring.core.cli import translate_cli
from tutoring.demo.cli import demo_cli
from tutoring.indicators.cli import indicators_cli
from tutoring.learning import cli as learning_cli  # noqa: F401 - adds `exercises analyse`
from tutoring.sessions.cli import reminders_cli


def register(app: Flask) -> None:
    """Add the groups: accounts, audio, demo, exercises, indicators, reminders, translate."""
    for group in (
        exercises_cli,
        audio_cli,
        accounts_cli,
        demo_cli,
        translate_cli,
        reminders_cli,
        indicators_cli,
    ):
        app.cli.add_command(group)
