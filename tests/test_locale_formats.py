"""Numbers, dates and plurals written per locale through Babel; notices kept as keys
and values, shown in the reader's language and sent in the recipient's; the bank's
titles and can-dos translated; fonts linked only for the scripts that need them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from flask import render_template_string
from flask_babel import gettext, ngettext
from sqlalchemy import select

from tests.conftest import login
from tutoring import PROJECT_ROOT
from tutoring.accounts import outbox
from tutoring.accounts.models import Role, User
from tutoring.accounts.outbox import Channel, OutboxMessage
from tutoring.core.extensions import db
from tutoring.core.i18n import format_date, format_datetime
from tutoring.core.messages import deferred_gettext, deferred_ngettext

NNBSP, NBSP = "\u202f", "\u00a0"


def _in(app, locale):
    return app.test_request_context("/", headers={"Accept-Language": locale})


@pytest.mark.parametrize(
    ("locale", "score", "big"),
    [
        ("fr", "5,6", f"12{NNBSP}345"),
        ("en", "5.6", "12,345"),
        ("ar", "5.6", "12,345"),
        ("uk", "5,6", f"12{NBSP}345"),
        ("ps", "5,6", "12.345"),
    ],
)
def test_numbers_in_messages_follow_the_locale(app, locale, score, big):
    with _in(app, locale):
        assert score in gettext("%(score)s sur %(total)s", score=5.6, total=8)
        assert big in gettext("%(h)s h en commun par semaine", h=12345)
        page = render_template_string(
            '{{ _("%(score)s sur %(total)s", score=score, total=8) }}', score=5.6
        )
        assert score in page


def test_small_whole_numbers_are_written_as_babel_writes_them_everywhere(app):
    """Messages write 0–999 without asking Babel (a shortcut taken for speed): it
    holds only while every supported locale writes them with Latin digits and no
    grouping. A new locale with other digits makes this test fail."""
    from babel.numbers import format_decimal

    for locale in app.config["SUPPORTED_LOCALES"]:
        written = [format_decimal(n, locale=locale) for n in range(1000)]
        assert written == [str(n) for n in range(1000)], locale
        with _in(app, locale.replace("_", "-")):
            assert "7" in gettext("%(h)s h en commun par semaine", h=7), locale


def test_codes_in_messages_stay_as_written(app):
    with _in(app, "fr"):
        assert gettext("Code de l’erreur : %(code)s", code=12345).endswith("12345")


def test_french_says_zero_answer_in_the_singular(app):
    template = (
        "{% trans num=n %}{{ num }} réponse sur 40{% pluralize %}"
        "{{ num }} réponses sur 40{% endtrans %}"
    )
    with _in(app, "fr"):
        assert render_template_string(template, n=0) == "0 réponse sur 40"
        assert render_template_string(template, n=1) == "1 réponse sur 40"
        assert render_template_string(template, n=7) == "7 réponses sur 40"


def test_ukrainian_has_three_plural_forms(app):
    with _in(app, "uk"):
        forms = {
            n: ngettext(
                "%(num)s bonne réponse sur les %(window)s dernières",
                "%(num)s bonnes réponses sur les %(window)s dernières",
                n,
                window=5,
            )
            for n in (1, 3, 5, 21)
        }
    assert forms[1].startswith("1 ")
    assert forms[21].startswith("21 ")
    assert forms[1].split()[1] == forms[21].split()[1]  # 1 and 21: one form
    assert len({forms[1].split()[1], forms[3].split()[1], forms[5].split()[1]}) == 3


def test_units_say_right_answers_with_the_right_plural(app):
    unit = SimpleNamespace(
        can_do="Je peux comprendre l’étiquette d’un médicament et les conseils du "
        "pharmacien.",
        level="A2",
        mastered=False,
        right=1,
        answered=5,
    )
    template = '{% from "learning/_units.html" import unit_list %}{{ unit_list(u) }}'
    with _in(app, "fr"):
        page = render_template_string(template, u=[unit])
    assert "1 bonne réponse sur les 5 dernières" in page
    assert '<span lang="fr" dir="ltr">Je peux comprendre l’étiquette' in page
    with _in(app, "ar"):
        page = render_template_string(template, u=[unit])
    assert '<span lang="ar" dir="rtl">' in page  # the can-do, translated
    assert "Je peux" not in page


def test_first_of_the_month_is_premier_in_french(app):
    with _in(app, "fr"):
        assert format_date(date(2027, 1, 1), "long") == "1er janvier 2027"
        assert format_date(date(2027, 1, 2), "long") == "2 janvier 2027"
        assert format_date(date(2027, 1, 1), "short") == "01/01/2027"
        # 23:30 UTC on 30 November is 1 December in Millau
        moment = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
        assert format_datetime(moment, "EEEE d MMMM, HH:mm") == (
            "mardi 1er décembre, 00:30"
        )
    with _in(app, "en"):
        assert format_date(date(2027, 1, 1), "long") == "January 1, 2027"
    with _in(app, "uk"):
        assert format_date(date(2027, 1, 1), "long").startswith("1 січня 2027")


def _queue(user_id, **kwargs):
    user = db.session.get(User, user_id)
    outbox.queue(
        user,
        "test:notice",
        lambda: (
            deferred_gettext("Vous avez un tuteur"),
            deferred_gettext(
                "%(name)s demande un autre horaire pour la séance du %(when)s : "
                "« %(message)s »",
                name="Amina",
                when=datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
                message="Je travaille le lundi",
            ),
        ),
        **kwargs,
    )


def test_a_notice_is_shown_in_the_reader_language_of_today(app, make):
    tutor = make.user("marc", Role.TUTOR)
    make.run(lambda: _queue(tutor, remote=False))  # queued while marc reads French

    def switch_to_arabic():
        db.session.get(User, tutor).locale = "ar"

    make.run(switch_to_arabic)
    client = app.test_client()
    login(client, "marc")
    page = client.get("/").get_data(as_text=True)
    with _in(app, "ar"):
        subject = gettext("Vous avez un tuteur")
    assert subject != "Vous avez un tuteur"
    assert f'<p lang="ar" dir="rtl"><strong>{subject}</strong>' in page
    # the names and the quoted words keep their direction inside the Arabic text
    assert "<bdi>Amina</bdi>" in page
    assert "<bdi>Je travaille le lundi</bdi>" in page
    assert "demande un autre horaire" not in page


def test_a_notice_from_before_the_upgrade_keeps_its_text_and_language(app, make):
    tutor = make.user("marc", Role.TUTOR)

    def legacy():
        db.session.add(
            OutboxMessage(
                key="old:1", user_id=tutor, channel=Channel.APP, subject="Тема",
                body="Текст <b>", locale="uk",
            )
        )  # fmt: skip

    make.run(legacy)
    client = app.test_client()
    login(client, "marc")
    page = client.get("/").get_data(as_text=True)
    assert '<p lang="uk" dir="ltr"><strong>Тема</strong> – Текст &lt;b&gt;</p>' in page


def test_an_email_is_written_in_the_recipient_language_when_sent(
    app, make, monkeypatch
):
    tutor = make.user("marc", Role.TUTOR, email="marc@example.org")
    make.run(lambda: _queue(tutor, notice=False))

    def switch_to_ukrainian():
        db.session.get(User, tutor).locale = "uk"

    make.run(switch_to_ukrainian)
    sent = []
    monkeypatch.setattr(outbox, "send_mail", lambda *args: sent.append(args))
    assert make.run(outbox.send_pending) == (1, 0)
    with _in(app, "uk"):
        subject = gettext("Vous avez un tuteur")
    assert sent[0][1] == subject != "Vous avez un tuteur"
    assert "Amina" in sent[0][2]
    assert "<bdi>" not in sent[0][2]
    stored = make.run(lambda: db.session.scalar(select(OutboxMessage)))
    assert stored.locale == "fr"  # the record, written when queued


def test_plural_notices_are_counted_in_the_reader_language(app):
    message = deferred_ngettext(
        "%(num)s séance prévue %(when)s, %(place)s. Confirmez-la ou "
        "demandez un autre horaire dans « Mes séances ».",
        "%(num)s séances prévues, la première %(when)s, %(place)s. "
        "Confirmez-les ou demandez un autre horaire dans « Mes séances ».",
        3,
        when=datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
        place="Salle 2",
    )
    with _in(app, "fr"):
        assert message.render().startswith("3 séances prévues, la première lundi 1er")
    with _in(app, "ar"):
        text = message.render()
    assert "\u2068Salle 2\u2069" in text  # isolated inside right-to-left text
    assert "séances" not in text


def _linked(page: str, stylesheet: str) -> bool:
    """Whether the page links the stylesheet, under its fingerprinted name or not."""
    stem = stylesheet.removesuffix(".css")
    return re.search(rf"/static/css/{stem}(\.[0-9a-f]{{12}})?\.css", page) is not None


@pytest.mark.parametrize(
    ("locale", "stylesheet"),
    [
        ("ar", "fonts-arabic.css"),
        ("fa-AF", "fonts-arabic.css"),
        ("ps", "fonts-arabic.css"),
        ("ti", "fonts-ethiopic.css"),
    ],
)
def test_fonts_are_linked_only_for_their_script(client, locale, stylesheet):
    page = client.get("/", headers={"Accept-Language": locale}).get_data(as_text=True)
    assert _linked(page, stylesheet)
    french = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "fonts-arabic" not in french
    assert "fonts-ethiopic" not in french
    css = (PROJECT_ROOT / "static" / "css" / stylesheet).read_text(encoding="utf-8")
    for name in (n.split('"')[0] for n in css.split("../fonts/")[1:]):
        font = PROJECT_ROOT / "static" / "fonts" / name
        assert font.stat().st_size < 70_000, name  # subset
    assert list((PROJECT_ROOT / "static" / "fonts").glob("OFL-*.txt"))


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr", "mardi 1er décembre, 11:00"),
        ("en", "Tuesday, December 1, 11:00\u202fAM"),
        ("fa-AF", "سه‌شنبه 1 دسمبر،\u200f 11:00"),
        ("uk", "вівторок, 1 грудня, 11:00"),
    ],
)
def test_a_session_moment_is_written_the_locale_way(app, locale, expected):
    from tutoring.core.i18n import format_moment

    with _in(app, locale):
        assert format_moment(datetime(2026, 12, 1, 10, 0, tzinfo=UTC)) == expected


@pytest.mark.parametrize(
    ("locale", "lang", "direction", "stylesheet"),
    [
        ("fa_AF", "fa-AF", "rtl", "fonts-arabic.css"),
        ("ti", "ti", "ltr", "fonts-ethiopic.css"),
    ],
)
def test_the_login_card_is_printed_in_french_and_the_learner_language(
    client, make, signed_in, locale, lang, direction, stylesheet
):
    referent_id = signed_in(Role.REFERENT, username="claire")
    profile_id, _user_id = make.learner(referent_id, first_name="Amina", locale=locale)
    page = client.post(f"/apprenants/{profile_id}/carte").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page  # the referent's interface
    assert '<div class="texts" lang="fr" dir="ltr">' in page
    assert f'<div class="texts" lang="{lang}" dir="{direction}">' in page
    assert _linked(page, stylesheet)  # the learner's script renders on paper
    with _in(client.application, locale):
        title = gettext("Ma carte de connexion")
    assert title != "Ma carte de connexion"
    assert title in page


def test_a_notice_not_yet_translated_is_marked_french(app):
    message = deferred_gettext("Un message que personne n’a encore traduit")
    plural = deferred_ngettext(
        "%(num)s séance prévue %(when)s, %(place)s. Confirmez-la ou "
        "demandez un autre horaire dans « Mes séances ».",
        "%(num)s séances prévues, la première %(when)s, %(place)s. "
        "Confirmez-les ou demandez un autre horaire dans « Mes séances ».",
        2,
        when=datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
        place="Salle 2",
    )
    with _in(app, "uk"):
        assert not message.translated()
        assert plural.translated()
    with _in(app, "fr"):
        assert message.translated()
