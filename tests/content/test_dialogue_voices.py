"""Listening dialogues are spoken with one voice per speaker, slower for beginners, in
one clip whose name follows the way it is spoken."""

from __future__ import annotations

import io
import wave
from types import SimpleNamespace

from exercises import voicing
from exercises.loading import BANK, load_bank
from exercises.model import Item
from exercises.voicing import audio_name, plan
from tutoring.content import audio

SHOP = (
    "– Bonjour madame, qu’est-ce que je vous sers ?\n"
    "– Une baguette, s’il vous plaît.\n"
    "– Voilà. Un euro vingt.\n"
)
DEBATE = (
    "Journaliste : Bonsoir à tous.\n"
    "Ilyes Benamar : Ce que je constate tous les jours, c’est un gâchis.\n"
    "Hélène Maurel : Je partage en partie ce constat.\n"
    "Ilyes Benamar : Justement !\n"
)
MESSAGE = (
    "Bonjour madame Rahimi, ici madame Lacan. Le docteur est absent demain : votre\n"
    "rendez-vous est annulé. Merci, au revoir.\n"
)


def test_a_dash_dialogue_alternates_two_voices():
    spoken = plan(SHOP, "A2")
    assert [line.text for line in spoken.lines] == [
        "Bonjour madame, qu’est-ce que je vous sers ?",
        "Une baguette, s’il vous plaît.",
        "Voilà. Un euro vingt.",
    ]
    voices = [line.voice for line in spoken.lines]
    assert voices[0] == voices[2] != voices[1]
    assert len(spoken.voices) == 2


def test_named_speakers_keep_their_voice_and_names_are_not_spoken():
    spoken = plan(DEBATE, "B2")
    voices = [line.voice for line in spoken.lines]
    assert len(set(voices)) == 3
    assert voices[1] == voices[3]
    assert all(":" not in line.text for line in spoken.lines)
    assert spoken.lines[0].text == "Bonsoir à tous."


def test_a_message_is_one_voice_even_with_a_colon_inside():
    spoken = plan(MESSAGE, "A2")
    assert len(spoken.lines) == 1
    assert spoken.lines[0].voice == voicing.NARRATOR


def test_beginners_hear_the_dialogue_slower():
    pace = {
        level: plan(SHOP, level).lines[0].speed for level in ("A1.1", "A1", "A2", "B2")
    }
    assert pace["A1.1"] < pace["A1"] < pace["A2"] == pace["B2"]
    assert plan(SHOP, "A1.1").pause_ms > plan(SHOP, "A2").pause_ms


def test_the_clip_name_changes_with_the_voice_scheme(monkeypatch):
    before = audio_name("a1-x-01", SHOP, "A1")
    assert before == audio_name("a1-x-01", SHOP + "\n", "A1")  # stable
    assert before != audio_name("a1-x-01", SHOP, "A2")  # another pace
    monkeypatch.setattr(voicing, "SCHEME", voicing.SCHEME + 1)
    assert audio_name("a1-x-01", SHOP, "A1") != before
    monkeypatch.undo()
    monkeypatch.setattr(voicing, "SPEAKER_VOICES", ("fr-fr+m4", "fr-fr+f3"))
    assert audio_name("a1-x-01", SHOP, "A1") != before


def _wav(frames: bytes) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(22050)
        clip.writeframes(frames)
    return out.getvalue()


def test_a_dialogue_is_one_clip_made_with_two_voices(monkeypatch, tmp_path):
    calls: list[list[str]] = []
    encoded: dict[str, bytes] = {}

    def run(args, **kwargs):
        args = [str(a) for a in args]
        calls.append(args)
        if args[0].endswith("opusenc"):
            encoded[args[-1].rsplit("/", 1)[-1]] = kwargs["input"]
            return SimpleNamespace(stdout=b"")
        return SimpleNamespace(stdout=_wav(b"\1\0" * 100))

    monkeypatch.setattr(audio, "AUDIO", tmp_path)
    monkeypatch.setattr(audio.shutil, "which", lambda name: f"/bin/{name}")
    monkeypatch.setattr(audio.subprocess, "run", run)
    item = Item(
        id="a1-x-01", version=1, unit="u", level="A1", theme="courses", skill="CO",
        type="true_false", instruction="listen_true_false", explanation="E.",
        can_do="Je peux.", unit_title="U", audio=SHOP, prompt="P.",
    )  # fmt: skip
    audio.generate([item], prune=False)
    lines = {line.text for line in plan(SHOP, "A1").lines}
    speech = [c for c in calls if c[0] == "/bin/espeak-ng" and c[-1] in lines]
    assert len(speech) == 3
    assert len({c[c.index("-v") + 1] for c in speech}) == 2
    [wav] = [data for name, data in encoded.items() if name.startswith("a1-x-01-")]
    with wave.open(io.BytesIO(wav)) as clip:
        pause = 22050 * plan(SHOP, "A1").pause_ms // 1000
        assert clip.getnframes() == 3 * 100 + 2 * pause


def test_the_bank_dialogues_get_several_voices():
    items, _ = load_bank(BANK, None, check_audio=False)
    dialogues = [i for i in items if i.audio and len(plan(i.audio, i.level).voices) > 1]
    assert len(dialogues) >= 20
    ids = {i.id for i in dialogues}
    assert {
        "a1-courses-boulangerie-04",
        "b2-travail-reconnaissance-competences-01",
    } <= ids
