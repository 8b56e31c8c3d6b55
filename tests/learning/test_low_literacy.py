"""People who read little: speaker buttons with pre-generated clips, the same
pictogram for the same action, the placement's first question in the learner's
language with pictures and sound, practice without a keyboard."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from exercises.loading import load_bank
from exercises.placement import next_item
from exercises.selection import KEYBOARD_FREE_TYPES, adaptive_set, select_set
from tests.conftest import FIXTURE_BANK, login
from tutoring.accounts.models import Role
from tutoring.accounts.profiles import LearnerProfile
from tutoring.content import speech
from tutoring.content.models import ItemVersion
from tutoring.core.config import PROJECT_ROOT
from tutoring.core.extensions import db
from tutoring.learning.models import PracticeSet

CLIPS = re.compile(r'class="speaker" data-clips="([^"]*)" aria-label="([^"]*)"')


def _speakers(page: str) -> list[tuple[list[str], str]]:
    return [(clips.split(), label) for clips, label in CLIPS.findall(page)]


def _on_disk(url: str) -> bool:
    assert url.startswith("/static/audio/ui/"), url
    # the served name may carry the file's fingerprint: clip.<digest>.opus
    name = re.sub(r"\.[0-9a-f]{12}(\.opus)$", r"\1", url)
    return (PROJECT_ROOT / name.removeprefix("/")).is_file()


def _latest_set(make) -> PracticeSet:
    return make.run(
        lambda: db.session.scalar(select(PracticeSet).order_by(PracticeSet.id.desc()))
    )


def test_every_spoken_phrase_has_its_clip_in_each_language_with_a_voice(app):
    """The clips follow the catalogs: a new phrase or a changed translation fails
    here until `flask audio build` is run; no clip is left over."""
    with app.app_context():
        wanted = speech.wanted_clips()
        missing = [
            f"{path.parent.name}: {text}"
            for path, (_voice, text) in wanted.items()
            if not path.is_file()
        ]
        assert missing == [], "run `flask audio build`"
        for locale in speech.catalog_locales():
            if speech.voice_for(locale):
                assert set(speech.catalog_texts(locale)) == set(speech.PHRASES), locale
        stale = set(speech.UI_AUDIO.glob("*/*.opus")) - set(wanted)
        assert stale == set(), "run `flask audio build`"
    assert speech.voice_for("fa_AF") == "fa"
    assert speech.voice_for("ps") is None
    assert speech.voice_for("ti") is None


def test_every_speaker_in_the_templates_reads_a_known_phrase():
    literal = re.compile(r'speaker\(\s*"([^"]+)"')
    for template in (PROJECT_ROOT / "templates").rglob("*.html"):
        for msgid in literal.findall(template.read_text(encoding="utf-8")):
            assert msgid in speech.KNOWN, (template.name, msgid)


def test_the_practice_path_speaks_french_then_the_learners_language(learner, make):
    learner.post("/langue", data={"lang": "ar"})
    home = learner.get("/").get_data(as_text=True)
    today = _speakers(home)[0][0]
    # « À faire aujourd’hui », then each thing to do: each in French and Arabic.
    assert len(today) >= 4
    assert all(_on_disk(url) for url in today)
    assert [url.split("/")[4] for url in today] == ["fr", "ar"] * (len(today) // 2)

    learner.post("/pratique/nouvelle")
    practice = _latest_set(make)
    page = learner.get(f"/pratique/serie/{practice.id}").get_data(as_text=True)
    speakers = _speakers(page)
    assert len(speakers) >= 3  # the instruction, the answer button, stopping
    for clips, label in speakers:
        assert [url.split("/")[4] for url in clips] == ["fr", "ar"], label
        assert all(_on_disk(url) for url in clips)
        assert label.startswith("استمع")  # an accessible name in Arabic
    # An incomplete answer is refused with a message that can be heard.
    refused = learner.post(
        f"/pratique/serie/{practice.id}",
        data={"position": "0", "client_id": "x" * 36, "shown_at": "0"},
    )
    if refused.status_code == 400 and "notice error" in refused.get_data(as_text=True):
        assert 'role="alert"' in refused.get_data(as_text=True)


def test_speaker_reads_french_only_in_french(learner, make):
    learner.post("/pratique/nouvelle")
    practice = _latest_set(make)
    page = learner.get(f"/pratique/serie/{practice.id}").get_data(as_text=True)
    for clips, label in _speakers(page):
        assert len(clips) == 1, label
        assert "/ui/fr/" in clips[0], label
        assert label.startswith("Écouter\u00a0:") or label.startswith("Écouter :")
    assert re.search(r'src="/static/js/speaker(\.\w{12})?\.js"', page)


def _pictogram(page: str, action: str) -> str:
    match = re.search(
        rf'data-action="{action}"><svg[^>]*class="(icon[^"]*) lucide lucide-([a-z0-9-]+)"',
        page,
    )
    assert match, action
    return match.group(2)


def test_the_same_action_has_the_same_pictogram_everywhere(learner, make):
    home = learner.get("/").get_data(as_text=True)
    assert _pictogram(home, "signout") == "log-out"
    assert _pictogram(home, "home") == "house"
    assert _pictogram(home, "next") == "arrow-right"
    learner.post("/pratique/nouvelle")
    practice = _latest_set(make)
    page = learner.get(f"/pratique/serie/{practice.id}").get_data(as_text=True)
    assert _pictogram(page, "answer") == "check"
    assert _pictogram(page, "signout") == "log-out"
    assert 'aria-hidden="true"' in page.split('data-action="answer">')[1][:120]
    index = learner.get("/pratique/").get_data(as_text=True)
    assert _pictogram(index, "next") == "arrow-right"
    # Arrows turn round in right-to-left pages, pictures that mean no direction do not.
    assert 'class="icon mirror lucide lucide-arrow-right"' in index
    assert 'class="icon lucide lucide-check"' in page


def test_placement_first_question_in_the_learners_language_with_pictures(learner, app):
    learner.post("/langue", data={"lang": "ar"})
    page = learner.get("/pratique/positionnement").get_data(as_text=True)
    with app.test_request_context(), force_locale("ar"):
        question = gettext("Est-ce que vous lisez le français ?")
    assert question != "Est-ce que vous lisez le français ?"
    assert question in page.split("<legend")[1][:400]
    assert (
        '<p class="hint" lang="fr" dir="ltr">Est-ce que vous lisez le français ?</p>'
        in page
    )
    for picture in ("book-open-check", "book-open", "headphones"):
        assert f"lucide-{picture}" in page
    speakers = _speakers(page)
    assert len(speakers) == 5  # the question, three answers, start
    assert all(len(clips) == 2 for clips, _label in speakers)


def _keyboard_free(page: str) -> None:
    assert "seulement des exercices avec des images" in page


def test_referent_sets_cannot_type_and_practice_serves_no_typing(
    learner, make, app, client
):
    login(client, "claire")
    page = client.get(f"/apprenants/{learner.profile_id}").get_data(as_text=True)
    assert "Sait écrire au clavier" in page
    response = client.post(f"/apprenants/{learner.profile_id}/clavier")
    assert response.status_code == 302
    _keyboard_free(client.get(response.headers["Location"]).get_data(as_text=True))
    assert make.run(
        lambda: db.session.get(LearnerProfile, learner.profile_id).cannot_type
    )

    learner.post("/pratique/nouvelle")
    practice = _latest_set(make)
    types = make.run(
        lambda: [db.session.get(ItemVersion, i).type for i in practice.item_version_ids]
    )
    assert types
    assert set(types) <= KEYBOARD_FREE_TYPES
    assert "image_choice" in types
    assert "gap_typed" not in types

    learner.post("/pratique/nouvelle", data={"theme": "sante"})
    practice = _latest_set(make)
    types = make.run(
        lambda: [db.session.get(ItemVersion, i).type for i in practice.item_version_ids]
    )
    assert set(types) <= KEYBOARD_FREE_TYPES

    # And back: every type again.
    client.post(f"/apprenants/{learner.profile_id}/clavier")
    learner.post("/pratique/nouvelle")
    practice = _latest_set(make)
    assert len(practice.item_version_ids) == 10


def test_only_the_learners_referent_sets_cannot_type(learner, make, app):
    make.user("autre", Role.REFERENT, structure="Autre structure")
    other = app.test_client()
    login(other, "autre")
    assert other.post(f"/apprenants/{learner.profile_id}/clavier").status_code == 404
    assert other.post("/apprenants/99999999999/clavier").status_code == 404
    assert not make.run(
        lambda: db.session.get(LearnerProfile, learner.profile_id).cannot_type
    )


@pytest.mark.parametrize("seed", range(5))
def test_selection_without_typing_keeps_pictures_choices_and_recordings(seed):
    items, problems = load_bank(FIXTURE_BANK, check_audio=False)
    assert problems == []
    chosen = select_set(items, random.Random(seed), level="A2", typing=False)
    assert chosen
    assert {i.type for i in chosen} <= KEYBOARD_FREE_TYPES
    levels = dict.fromkeys(("CO", "CE", "EE", "EO"), "A2")
    adaptive = adaptive_set(
        items, random.Random(seed), levels=levels, weakest="EE",
        reviews=items, typing=False,
    )  # fmt: skip
    assert adaptive
    assert {i.type for i in adaptive} <= KEYBOARD_FREE_TYPES
    everything = select_set(items, random.Random(seed), level="A2")
    assert {i.type for i in everything} - KEYBOARD_FREE_TYPES


def test_clip_names_follow_the_text_so_a_new_translation_gets_a_new_clip():
    assert speech.clip_name("ar", "نعم") != speech.clip_name("ar", "نعم.")
    assert speech.clip_name("fr", "Oui").startswith("fr/")
    assert Path(speech.clip_name("uk", "Так")).suffix == ".opus"


def test_a_reading_learner_who_cannot_type_gets_a_placement_without_typing():
    items, _problems = load_bank(FIXTURE_BANK, check_audio=False)
    abilities = dict.fromkeys(("CO", "CE", "EE", "EO"), -1.1)
    seen: set[str] = set()
    for answered in range(3):  # the third would have been a writing item
        item = next_item(
            items, random.Random(answered), answered=answered, abilities=abilities,
            seen=frozenset(seen), typing=False,
        )  # fmt: skip
        assert item is not None, answered  # writing does not stop the test
        assert item.type in KEYBOARD_FREE_TYPES
        seen.add(item.id)


def test_flask_audio_build_follows_the_catalogs(app, runner, monkeypatch, tmp_path):
    """The build makes each phrase's clip in every catalog with a voice and removes
    clips nobody asks for."""
    monkeypatch.setattr(speech, "UI_AUDIO", tmp_path)
    monkeypatch.setattr(speech, "PHRASES", ("Oui", "Un peu"))
    stale = tmp_path / "fr" / "0000000000000000.opus"
    stale.parent.mkdir()
    stale.write_bytes(b"old")
    result = runner.invoke(args=["audio", "build"])
    assert result.exit_code == 0, result.output
    voiced = [loc for loc in speech.catalog_locales() if speech.voice_for(loc)]
    silent = sorted(set(speech.catalog_locales()) - set(voiced))
    assert f"French only (no voice): {', '.join(silent) or '-'}" in result.output
    assert not stale.exists()
    for locale in voiced:
        clips = sorted(p.name for p in (tmp_path / locale).glob("*.opus"))
        assert len(clips) == 2, locale
        for clip in (tmp_path / locale).glob("*.opus"):
            assert clip.read_bytes()[:4] == b"OggS"
    for locale in silent:  # no voice: no clip, the button reads the French
        assert not list((tmp_path / locale).glob("*.opus")), locale
    again = runner.invoke(args=["audio", "build"])
    assert f"0 created, {2 * len(voiced)} kept, 0 removed" in again.output
