"""Documents of the bank look like what they are: a timetable is a table, a text
message a bubble, an e-mail has its « De : » and « Objet : » lines, a letter its date,
greeting and signature, a form its labelled fields; anything that does not fit stays
plain text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import render_template_string

from exercises.loading import BANK, load_bank
from tutoring.content.documents import read

ITEMS, _ = load_bank(BANK, None, check_audio=False)
BY_ID = {item.id: item for item in ITEMS}
DOCUMENTS = {item.document: item for item in ITEMS if item.document}


def of_kind(kind: str) -> list[str]:
    return [text for text, item in DOCUMENTS.items() if item.document_kind == kind]


def render(app, text: str, kind: str | None, lang: str = "fr") -> str:
    with app.test_request_context(headers={"Accept-Language": lang}):
        return render_template_string(
            '{% from "content/_document.html" import render with context %}'
            "{{ render(text, kind) }}",
            text=text,
            kind=kind,
        )


def cells(html: str, tag: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, re.S)
    ]


def test_a_timetable_is_a_table_with_a_header_per_row(app):
    item = BY_ID["a1-transports-bus-03"]
    html = render(app, item.document or "", "horaires")
    assert "<table" in html
    assert cells(html, "th")[:4] == [
        "Gare routière",
        "Mandarous",
        "Médiathèque",
        "Hôpital",
    ]
    assert 'scope="row"' in html
    assert cells(html, "td")[:4] == ["7 h 10", "8 h 10", "12 h 10", "17 h 40"]
    # the lines around the table stay text
    assert "Pas de bus le dimanche" in html
    assert "|" not in html


def test_aligned_columns_and_labelled_lines_are_rows_too():
    aligned = read(
        "Gare        7 h 10    8 h 10\nHôpital     7 h 26    8 h 26", "horaires"
    )
    [table] = [b.table for b in aligned.blocks if b.table]
    assert table.rows == (("Gare", "7 h 10", "8 h 10"), ("Hôpital", "7 h 26", "8 h 26"))
    head = read("Jour | Matin | Après-midi\nLundi | 9 h – 12 h | 14 h – 17 h\n"
                "Mardi | fermé | 14 h – 18 h", "horaires")  # fmt: skip
    [table] = [b.table for b in head.blocks if b.table]
    assert table.head == ("Jour", "Matin", "Après-midi")
    assert table.rows[0] == ("Lundi", "9 h – 12 h", "14 h – 17 h")


def test_every_bank_timetable_with_columns_has_a_table(app):
    with_columns = [
        text for text in of_kind("horaires")
        if "|" in text or re.search(r"\S {2,}\S", text)
    ]  # fmt: skip
    assert with_columns
    for text in with_columns:
        html = render(app, text, "horaires")
        assert "<table" in html, text
        assert "<td" in html, text


def test_a_timetable_that_does_not_parse_stays_text(app):
    text = (
        "Horaires de la piscine\nOuverte tous les jours sauf le lundi.\nFermée en août."
    )
    document = read(text, "horaires")
    assert not document.parsed
    html = render(app, text, "horaires")
    assert "<table" not in html
    assert "doc-plain" in html
    assert "Ouverte tous les jours sauf le lundi." in html


def test_a_text_message_is_a_bubble_with_its_sender(app):
    html = render(app, "CAF : votre code est 482 913.\n14:05", "sms")
    assert '<p class="doc-sender">CAF</p>' in html
    assert '<p class="doc-text">votre code est 482 913.</p>' in html
    assert '<p class="doc-time">14:05</p>' in html
    thread = [t for t in of_kind("sms") if "Samia" in t]
    if thread:
        html = render(app, thread[0], "sms")
        assert html.count('class="doc-turn side-0"') >= 1
        assert html.count('class="doc-turn side-1"') >= 1


def test_an_email_has_its_header_lines_and_a_body(app):
    emails = [t for t in of_kind("courriel") if t.startswith("De")]
    assert emails
    pages = [render(app, text, "courriel") for text in emails]
    for html in pages:
        assert '<dl class="doc-headers">' in html
        assert "De :" in cells(html, "dt")
    # an automatic message has no greeting or signature; a written one has both
    assert any(
        "Objet :" in cells(html, "dt")
        and '<p class="doc-greeting">' in html
        and '<p class="doc-signature">' in html
        for html in pages
    )


def test_a_letter_has_its_date_object_greeting_and_signature(app):
    text = next(t for t in of_kind("lettre") if "Caisse d’allocations" in t)
    document = read(text, "lettre")
    types = [b.type for b in document.blocks]
    assert types.index("date") < types.index("object") < types.index("greeting")
    assert types[-1] == "signature"
    assert "list" in types  # « – une copie de votre titre de séjour » …
    html = render(app, text, "lettre")
    assert '<p class="doc-date">Millau, le 3 mars 2026</p>' in html
    assert '<p class="doc-signature">Le service des prestations</p>' in html
    # lines wrapped by hand are joined into one paragraph
    assert "Pour étudier votre dossier, il nous manque" in html


def test_a_form_shows_labelled_fields(app):
    text = next(t for t in of_kind("formulaire") if "Prénom" in t and "Nom" in t)
    html = render(app, text, "formulaire")
    assert '<dl class="doc-fields">' in html
    labels = cells(html, "dt")
    assert "Nom" in labels
    assert "Prénom" in labels


@pytest.mark.parametrize("kind", ["ticket", "etiquette"])
def test_tickets_and_labels_pair_each_label_with_its_value(app, kind):
    for text in of_kind(kind):
        document = read(text, kind)
        if document.parsed:
            assert document.has("fields")
            html = render(app, text, kind)
            assert len(cells(html, "dt")) == len(cells(html, "dd"))


def test_posters_and_ads_have_a_title(app):
    for kind in ("affiche", "annonce"):
        for text in of_kind(kind):
            html = render(app, text, kind)
            title = text.strip().splitlines()[0].strip()
            assert f'<p class="doc-title">{title}</p>' in html.replace("&#39;", "'")


def test_a_dialogue_has_its_speaker_turns(app):
    html = render(
        app, "— Bonjour, madame.\n— Bonjour ! Je voudrais un pain.", "dialogue"
    )
    assert html.count('<li class="doc-turn') == 2
    assert "side-0" in html
    assert "side-1" in html
    named = render(app, "Julie : Tu viens ?\nKarim : Oui, j’arrive.", "dialogue")
    assert '<span class="doc-speaker">Julie :</span>' in named


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_documents_stay_french_and_left_to_right_and_say_what_they_are(app, lang):
    html = render(app, "Nom : KOVAL\nPrénom : Oksana", "formulaire", lang)
    assert 'lang="fr" dir="ltr"' in html
    caption = re.search(
        r'<figcaption class="visually-hidden"><span lang="(\w+)" dir="(\w+)">([^<]+)<',
        html,
    )
    assert caption is not None
    assert caption.group(1) == lang
    assert caption.group(2) == ("rtl" if lang == "ar" else "ltr")
    assert caption.group(3) == ("Un formulaire" if lang == "fr" else "استمارة")


def test_every_bank_document_renders(app):
    for text, item in DOCUMENTS.items():
        html = render(app, text, item.document_kind)
        assert 'class="document doc-' in html, item.id


def test_the_item_page_uses_the_drawn_document():
    parts = (
        Path(__file__).resolve().parents[2] / "templates" / "content" / "_parts.html"
    ).read_text()
    assert "documents.render(item.document, item.document_kind)" in parts
