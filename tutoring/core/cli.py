"""Command line of translations: extract, update, initialise and compile the catalogs."""

from __future__ import annotations

import subprocess  # noqa: S404 - runs pybabel, a fixed local tool  # nosec B404
import sys
from pathlib import Path

import click
from babel.messages.pofile import read_po, write_po
from flask.cli import AppGroup

from tutoring.core.config import PROJECT_ROOT

translate_cli = AppGroup("translate", help="Extract, update and compile translations.")


def _pybabel(*args: str) -> None:
    cmd = [sys.executable, "-m", "babel.messages.frontend", *args]
    subprocess.run(cmd, check=True, cwd=PROJECT_ROOT)  # noqa: S603 - fixed executable, argument list, no shell  # nosec B603


POT = "tutoring/translations/messages.pot"

# Arguments of `pybabel extract`: the mappings of pyproject.toml (code, templates,
# the exercise bank's YAML) and the marker functions besides gettext's defaults.
EXTRACT_ARGS = [
    "extract",
    "-F",
    "pyproject.toml",
    "-k",
    "_l",
    "-k",
    "deferred_gettext",  # messages kept as keys, rendered when read (core.messages)
    "-k",
    "deferred_ngettext:1,2",
    "--no-location",
]


@translate_cli.command("extract")
def translate_extract() -> None:
    """Extract messages from code and templates into messages.pot."""
    _pybabel(*EXTRACT_ARGS, "--sort-output", "-o", POT, ".")


@translate_cli.command("update")
def translate_update() -> None:
    """Extract, merge new messages into every catalog, and fill the French one."""
    assert translate_extract.callback is not None  # the function decorated below
    translate_extract.callback()
    _pybabel(
        "update",
        "-i",
        POT,
        "-d",
        "tutoring/translations",
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )
    fill_reference_catalog(
        PROJECT_ROOT / "tutoring/translations/fr/LC_MESSAGES/messages.po"
    )


@translate_cli.command("init")
@click.argument("locale")
def translate_init(locale: str) -> None:
    """Start the catalog of a new language: translate it, write its glossary.md beside
    it (the platform's key words), then add the code to SUPPORTED_LOCALES."""
    _pybabel("init", "-i", POT, "-d", "tutoring/translations", "-l", locale)
    click.echo(
        f"Translate tutoring/translations/{locale}/LC_MESSAGES/messages.po, write "
        f"tutoring/translations/{locale}/glossary.md, add {locale} to "
        "SUPPORTED_LOCALES, then run `flask translate compile`."
    )


def fill_reference_catalog(path: Path) -> None:
    """French is the source language: its catalog repeats each message as written."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id
            message.string = (singular, plural, plural)
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=88, omit_header=False, no_location=True)


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile the catalogs into .mo files."""
    _pybabel("compile", "-d", "tutoring/translations", "--statistics")
