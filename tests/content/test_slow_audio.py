"""A1.1 audio is synthesised slowest, with longer gaps between words; A1 a little
slower than A2 and above."""

from __future__ import annotations

from types import SimpleNamespace

from exercises.model import Item
from tutoring.content import audio


def _item(item_id: str, level: str, text: str) -> Item:
    return Item(
        id=item_id, version=1, unit="u", level=level, theme="sante", skill="CO",
        type="dictation", instruction="dictation", explanation="E.", can_do="Je peux.",
        unit_title="U", audio=text,
    )  # fmt: skip


def test_beginners_hear_a_slower_voice(monkeypatch, tmp_path):
    calls: list[list[str]] = []

    def run(args, **_kwargs):
        calls.append([str(a) for a in args])
        return SimpleNamespace(stdout=b"")

    monkeypatch.setattr(audio, "AUDIO", tmp_path)
    monkeypatch.setattr(audio.shutil, "which", lambda name: f"/bin/{name}")
    monkeypatch.setattr(audio.subprocess, "run", run)
    items = [
        _item("a1-1-x-01", "A1.1", "La table."),
        _item("a1-x-01", "A1", "Le bus."),
        _item("a2-x-01", "A2", "La gare."),
    ]
    audio.generate(items, prune=False)
    speech = {c[-1]: c for c in calls if c[0] == "/bin/espeak-ng"}

    def option(text: str, flag: str) -> int:
        args = speech[text]
        return int(args[args.index(flag) + 1])

    assert option("La table.", "-s") < option("Le bus.", "-s")
    assert option("La table.", "-s") <= 120  # words per minute
    assert option("La table.", "-g") > option("La gare.", "-g")
    assert option("La table.", "-s") < option("Le bus.", "-s") < option("La gare.", "-s")
    assert option("La gare.", "-s") == 135  # A2 and above: the ordinary pace
