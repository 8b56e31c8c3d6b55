"""Spell-check French text with Debian's hunspell-fr (used by the content tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def unknown_words(text: str, allowed: set[str], tmp_path: Path) -> set[str]:
    """Return the words of `text` that neither hunspell-fr nor `allowed` know.

    Skips the test when hunspell-fr is missing, except under CI where it must be.
    """
    hunspell = shutil.which("hunspell")
    if not hunspell or not Path("/usr/share/hunspell/fr.dic").exists():
        message = "spell check skipped: apt-get install hunspell hunspell-fr"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    personal = tmp_path / "allow.dic"
    personal.write_text("\n".join(sorted(allowed)) + "\n", encoding="utf-8")
    out = subprocess.run(
        [hunspell, "-d", "fr", "-p", str(personal), "-l"],
        input=text, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return {w.strip('.,;:!?«»()"') for w in out} - allowed - {""}


def allow_list(paths: list[Path]) -> set[str]:
    words: set[str] = set()
    for path in paths:
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            words |= {w.strip() for w in lines if w.strip()}
    return words
