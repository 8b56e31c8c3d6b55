"""The picture-and-sound path of A1.1: from « je ne lis pas encore » to A1 without reading."""

from __future__ import annotations

import random
import re
from collections import defaultdict

import yaml
from defusedxml import ElementTree

from exercises.loading import BANK, load_bank
from exercises.placement import next_item
from exercises.selection import select_set
from tutoring import PROJECT_ROOT

STATIC = PROJECT_ROOT / "static"
ITEMS, PROBLEMS = load_bank(BANK, STATIC)
PATH_UNIT = re.compile(r"^a1-1-[a-z-]+-p(\d\d)-[a-z0-9-]+$")
PATH = [i for i in ITEMS if PATH_UNIT.match(i.unit)]
UNITS: dict[str, list] = defaultdict(list)
for _item in PATH:
    UNITS[_item.unit].append(_item)
# Answerable from the pictures and the sound alone (the last unit also reads and
# writes its first words, always with the audio).
NO_READING = {"image_choice", "oral_production"}
FIRST_WORDS = NO_READING | {"single_choice", "dictation"}


def _number(unit: str) -> int:
    match = PATH_UNIT.match(unit)
    assert match
    return int(match.group(1))


def test_the_path_has_enough_units_in_order_each_with_its_second_reading():
    assert PROBLEMS == []
    assert len(PATH) >= 130
    numbers = sorted(_number(u) for u in UNITS)
    assert numbers == list(range(1, len(UNITS) + 1))
    assert len({UNITS[u][0].theme for u in UNITS}) >= 6
    for unit, items in UNITS.items():
        assert 8 <= len(items) <= 14, unit
        assert items[0].level == "A1.1"
        assert items[0].can_do.startswith("Je peux"), unit
    for path in (BANK / "a1-1").glob("*-p[0-9][0-9]-*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert all(data["review"]["checklist"].values()), path.name


def test_every_path_item_is_heard_and_needs_no_instruction_read():
    last = max(_number(u) for u in UNITS)
    for item in PATH:
        assert item.audio, item.id
        allowed = FIRST_WORDS if _number(item.unit) == last else NO_READING
        assert item.type in allowed, item.id
        if item.type == "image_choice":
            assert item.instruction == "listen_image", item.id
            assert all(c["label"].strip() for c in item.data["choices"]), item.id


def test_emergency_numbers_name_their_official_source():
    path = next((BANK / "a1-1").glob("sante-p*-urgences.yaml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    urls = [s["url"] for s in data["sources"]]
    assert any(u.startswith("https://www.service-public.fr/") for u in urls)
    heard = " ".join(i.explanation for i in PATH if i.unit == data["unit"])
    for number in ("15", "17", "18", "112", "114", "119", "3919"):
        assert f"Le {number}" in heard, number


def test_path_pictures_are_small_self_contained_svgs():
    keys = {c["image"] for i in PATH if i.type == "image_choice" for c in i.data["choices"]}
    assert len(keys) >= 100
    for key in keys:
        path = STATIC / "exercises" / "img" / f"{key}.svg"
        text = path.read_text(encoding="utf-8")
        assert len(text.encode()) < 2048, key
        root = ElementTree.fromstring(text)
        assert root.get("viewBox") == "0 0 96 96", key
        assert root.find("{http://www.w3.org/2000/svg}title") is not None, key
        assert "href" not in text, key
        assert "url(" not in text, key
        assert text.count("http") == 1, key  # the xmlns only
    assert f"{sorted(keys)[0]}.svg" in (
        STATIC / "exercises" / "img" / "LICENSE.txt"
    ).read_text(encoding="utf-8")


def test_a_new_a1_1_learner_is_served_the_path():
    """Level sets and theme sets of an A1.1 learner, and the placement of a learner
    who does not read, all draw on the path's items."""
    seen: set[str] = set()
    for seed in range(40):
        chosen = select_set(ITEMS, random.Random(seed), level="A1.1")
        seen |= {i.unit for i in chosen if i in PATH}
    assert len(seen) >= len(UNITS) - 2
    for theme in {i.theme for i in PATH}:
        chosen = select_set(ITEMS, random.Random(1), level="A1.1", theme=theme)
        assert any(i in PATH for i in chosen), theme
    picked = []
    answered: set[str] = set()
    for n in range(20):
        item = next_item(
            ITEMS, random.Random(n), answered=n, abilities={}, seen=frozenset(answered),
            reads=False,
        )  # fmt: skip
        assert item is not None
        answered.add(item.id)
        picked.append(item)
    assert sum(i in PATH for i in picked) >= 10


def test_an_a1_1_learner_practises_the_path_with_pictures_and_sound(app, make):
    """A theme set of an A1.1 learner serves path items; each shows its pictures with
    their French labels as alt text and plays its audio."""
    from sqlalchemy import select

    from tests.conftest import card_login
    from tutoring.accounts.models import Role
    from tutoring.accounts.profiles import LearnerProfile
    from tutoring.content.bank import item_of, sync_bank
    from tutoring.content.models import ItemVersion
    from tutoring.core.extensions import db
    from tutoring.learning.models import PracticeSet

    with app.app_context():
        sync_bank(ITEMS)
        db.session.commit()
    referent = make.user("claire", Role.REFERENT)
    profile_id, user_id = make.learner(referent, first_name="Amina")

    def beginner() -> None:
        db.session.get(LearnerProfile, profile_id).practice_level = "A1.1"

    make.run(beginner)
    client = app.test_client()
    card_login(client, make.card(user_id, referent))
    assert client.post("/pratique/nouvelle", data={"theme": "courses"}).status_code == 302
    practice = make.run(
        lambda: db.session.scalar(select(PracticeSet).order_by(PracticeSet.id.desc()))
    )
    versions = make.run(
        lambda: [db.session.get(ItemVersion, v) for v in practice.item_version_ids]
    )
    items = [item_of(v) for v in versions]
    assert {i.level for i in items} == {"A1.1"}
    assert sum(i.id in {p.id for p in PATH} for i in items) >= len(items) // 2
    for position, item in enumerate(items):
        page = client.get(f"/pratique/serie/{practice.id}").get_data(as_text=True)
        assert "<audio" in page
        if item.type != "image_choice":
            break
        for choice in item.data["choices"]:
            image = re.escape(choice["image"])  # the served name may be fingerprinted
            assert re.search(rf"exercises/img/{image}(\.\w{{12}})?\.svg", page)
            assert f'alt="{choice["label"]}"' in page.replace("&#39;", "'")
        fields = dict(
            re.findall(r'name="(position|client_id|shown_at)" value="([^"]*)"', page)
        )
        reply = client.post(
            f"/pratique/serie/{practice.id}",
            data={**fields, "choice": item.data["answer"]},
        )
        assert reply.status_code == 302, position
