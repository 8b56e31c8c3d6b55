"""Documents look like what they are, on a 320 px phone: one item of each document kind
of the bank, previewed by a referent (axe and the overflow check on every screen), in
French and, for the timetable and the e-mail, inside an Arabic page."""

from __future__ import annotations

import dataclasses

import pytest

from exercises.loading import BANK, load_bank
from exercises.model import DOCUMENT_KINDS
from tests.e2e.conftest import PHONE, sign_in
from tutoring.accounts.models import Role
from tutoring.content.bank import sync_bank
from tutoring.content.documents import read
from tutoring.content.models import ItemVersion
from tutoring.core.extensions import db

DIALOGUE = (
    "— Bonjour ! Vous avez rendez-vous ?\n"
    "— Oui, à 10 h 30, avec le docteur Vidal.\n"
    "— Très bien. Asseyez-vous dans la salle d’attente, s’il vous plaît."
)


@pytest.fixture
def one_of_each_kind(app) -> dict[str, int]:
    """The richest drawn document of each kind (a dialogue made up if the bank has
    none); kind -> version id."""
    items, problems = load_bank(BANK, None, check_audio=False)
    chosen = {}
    richness = {}
    for item in items:
        kind = item.document_kind
        if item.document and kind and (document := read(item.document, kind)).parsed:
            rich = (len({b.type for b in document.blocks}), len(item.document))
            if kind not in chosen or rich > richness[kind]:
                chosen[kind], richness[kind] = item, rich
    if "dialogue" not in chosen:
        model = next(i for i in items if i.document and i.skill == "CE")
        chosen["dialogue"] = dataclasses.replace(
            model, id="zz-dialogue-01", document=DIALOGUE, document_kind="dialogue"
        )
    assert set(chosen) == set(DOCUMENT_KINDS)
    with app.app_context():
        sync_bank(chosen.values())
        db.session.commit()
        versions = {v.item_id: v.id for v in db.session.scalars(db.select(ItemVersion))}
    return {kind: versions[item.id] for kind, item in chosen.items()}


def test_each_document_kind_reads_well_on_a_small_phone(
    live_server, browser, make, journey, one_of_each_kind
):
    make.user("claire", Role.REFERENT)
    context = browser.new_context(
        locale="fr-FR", **{**PHONE, "viewport": {"width": 320, "height": 700}}
    )
    page = context.new_page()
    sign_in(page, live_server, "claire")
    for kind, version_id in sorted(one_of_each_kind.items()):
        page.goto(f"{live_server}/banque/exercice/{version_id}")
        figure = page.locator(f"figure.doc-{kind}")
        assert figure.count() == 1, kind
        assert figure.get_attribute("lang") == "fr"
        assert figure.get_attribute("dir") == "ltr"
        if kind == "horaires":
            table = figure.get_by_role("table")
            assert table.count() >= 1
            assert table.first.get_by_role("rowheader").count() >= 2
            assert table.first.get_by_role("cell").count() >= 2
        if kind == "courriel":
            assert figure.locator("dl.doc-headers dt", has_text="Objet").count() == 1
        if kind in ("sms", "dialogue"):
            assert figure.locator(".doc-text, .doc-turn").count() >= 1
        if kind == "formulaire":
            assert figure.locator("dl.doc-fields dt").count() >= 3
        journey.check(page, f"document-{kind}")
    # inside an Arabic page the documents stay French and left to right
    page.locator("summary").first.click()
    with page.expect_navigation():
        page.get_by_role("button", name="العربية").click()
    for kind in ("horaires", "courriel", "lettre"):
        page.goto(f"{live_server}/banque/exercice/{one_of_each_kind[kind]}")
        assert page.locator("html").get_attribute("dir") == "rtl"
        figure = page.locator(f"figure.doc-{kind}")
        assert figure.get_attribute("dir") == "ltr"
        direction = figure.evaluate("e => getComputedStyle(e).direction")
        assert direction == "ltr"
        journey.check(page, f"document-{kind}-ar")
    context.close()
