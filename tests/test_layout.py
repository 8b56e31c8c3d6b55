"""The layout's kept parts (tutoring/core/layout.py): each person's menu, the current
entry, the languages, and nothing of a request kept for the next."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import meta

from tests.conftest import csrf_from, login
from tutoring.accounts.models import Role
from tutoring.accounts.profiles import TutorProfile, TutorStatus
from tutoring.core.database import utcnow
from tutoring.core.extensions import db

LAYOUT = Path(__file__).parents[1] / "templates" / "core" / "layout"

# What a kept part may name besides its key: functions of the language and the
# routes only (no request, person, session, form or CSRF token).
ALLOWED = {
    "_", "gettext", "url_for", "icon", "native_name", "lang_tag", "text_direction",
    "supported_locales", "font_stylesheet",
}  # fmt: skip
KEYS = {
    "head": set(),
    "offline": set(),
    "languages": {"current"},
    "nav": {"roles", "here"},
    "footer": {"organisation"},
}


def _menu(html: str) -> list[tuple[str, bool]]:
    nav = re.search(r'<nav aria-label="[^"]*" class="main-nav">(.*?)</nav>', html, re.S)
    assert nav, "no main menu"
    return [
        (re.sub(r"<[^>]+>", "", label).strip(), "aria-current" in attrs)
        for attrs, label in re.findall(r"<a ([^>]*)>(.*?)</a>", nav.group(1), re.S)
    ]


def test_kept_parts_name_only_their_key_and_the_language(app):
    assert {p.stem for p in LAYOUT.glob("*.html")} == set(KEYS)
    for name, key in KEYS.items():
        source = (LAYOUT / f"{name}.html").read_text(encoding="utf-8")
        names = meta.find_undeclared_variables(app.jinja_env.parse(source))
        assert names <= ALLOWED | key, (name, names - ALLOWED - key)


def test_each_role_has_its_menu_and_the_current_entry_is_marked(app, make, signed_in):
    learner = app.test_client()
    referent = make.user("claire", Role.REFERENT)
    _profile, user_id = make.learner(referent, first_name="Amina")
    learner.post("/carte", data={"code": make.card(user_id, referent)})

    menu = _menu(learner.get("/pratique/").get_data(as_text=True))
    assert [label for label, _c in menu] == [
        "Accueil", "Pratiquer", "Examens blancs", "Mes séances", "Mon compte",
    ]  # fmt: skip
    assert [label for label, current in menu if current] == ["Pratiquer"]
    menu = _menu(learner.get("/examens/").get_data(as_text=True))
    assert [label for label, current in menu if current] == ["Examens blancs"]
    menu = _menu(learner.get("/").get_data(as_text=True))
    assert [label for label, current in menu if current] == ["Accueil"]

    staff = app.test_client()
    login(staff, "claire")
    menu = _menu(staff.get("/apprenants/").get_data(as_text=True))
    labels = [label for label, _c in menu]
    assert "Pratiquer" not in labels
    assert {"Corrections", "Exercices", "Apprenants", "Bénévoles"} <= set(labels)
    assert [label for label, current in menu if current] == ["Apprenants"]


def test_a_volunteer_approved_sees_the_volunteer_entries_at_once(
    app, make, client, signed_in
):
    user_id = signed_in(Role.TUTOR, approved=False)
    labels = [label for label, _c in _menu(client.get("/").get_data(as_text=True))]
    assert "Mon bénévolat" not in labels

    def approve() -> None:
        profile = db.session.get(TutorProfile, user_id)
        profile.status = TutorStatus.APPROVED
        profile.approved_at = utcnow()

    make.run(approve)
    labels = [label for label, _c in _menu(client.get("/").get_data(as_text=True))]
    assert {"Mon bénévolat", "Corrections"} <= set(labels)


def test_the_menus_follow_the_language_chosen(app, make, client, signed_in):
    signed_in(Role.REFERENT)
    page = client.get("/").get_data(as_text=True)
    assert "Apprenants" in [label for label, _c in _menu(page)]
    client.post(
        "/langue", data={"lang": "ar", "next": "/", "csrf_token": csrf_from(page)}
    )
    page = client.get("/").get_data(as_text=True)
    assert "Apprenants" not in [label for label, _c in _menu(page)]
    assert 'lang="ar" dir="rtl"' in page
    current = re.findall(
        r'<button type="submit" name="lang" value="(\w+)"[^>]*aria-current', page
    )
    assert current == ["ar"]
    assert "Accessibilité : partiellement conforme" not in page  # the footer too
