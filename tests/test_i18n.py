"""Languages: complete catalogs, nothing outside gettext, picker, right-to-left."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import login
from tutoring import PROJECT_ROOT
from tutoring.accounts.models import Role
from tutoring.core.cli import EXTRACT_ARGS

TRANSLATIONS = PROJECT_ROOT / "tutoring" / "translations"
LOCALES = ["fr", "en", "ar", "fa_AF", "ps", "uk", "ru", "tr", "es", "pt", "ti"]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory) -> set[str]:
    """Extract messages from the code now, as `flask translate extract` does."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            *EXTRACT_ARGS,
            "-o",
            str(out),
            ".",
        ],
        check=True,
        cwd=PROJECT_ROOT,
        capture_output=True,
    )
    with out.open("rb") as handle:
        return {
            m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id
        }


def test_supported_locales_have_a_catalog(app):
    assert app.config["SUPPORTED_LOCALES"] == LOCALES
    for locale in LOCALES:
        assert (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").exists()


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_complete_and_up_to_date(locale, fresh_template):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    ids = set()
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        ids.add(key)
        assert not message.fuzzy, f"{locale}: fuzzy entry {key!r}"
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        assert all(strings), f"{locale}: missing translation for {key!r}"
        wanted = set(PLACEHOLDER.findall(key))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= wanted | {"num"}, (locale, key)
    missing = fresh_template - ids
    assert not missing, (
        f"{locale}: run `flask translate update`; missing {sorted(missing)[:5]}"
    )


class _TextFinder(HTMLParser):
    """Collect visible text and readable attributes of a template with Jinja removed."""

    ATTRS = {"title", "alt", "placeholder", "aria-label"}

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRS and value and re.search(r"[A-Za-zÀ-ÿ]{2,}", value):
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and re.search(r"[A-Za-zÀ-ÿ]{2,}", data):
            self.found.append(data.strip())


JINJA = re.compile(
    r"\{\{.*?\}\}|\{%-?\s*trans.*?endtrans\s*-?%\}|\{%.*?%\}|\{#.*?#\}", re.S
)


@pytest.mark.parametrize(
    "template",
    sorted(
        p.relative_to(PROJECT_ROOT / "templates").as_posix()
        for p in (PROJECT_ROOT / "templates").rglob("*.html")
    ),
)
def test_templates_hold_no_text_outside_gettext(template):
    source = (PROJECT_ROOT / "templates" / template).read_text(encoding="utf-8")
    finder = _TextFinder()
    finder.feed(JINJA.sub("", source))
    assert finder.found == [], f"untranslated text in {template}: {finder.found}"


USER_FACING_CALLS = {"flash", "abort", "ValidationError", "AccountError"}
FIELD_TYPES = {
    "StringField",
    "PasswordField",
    "BooleanField",
    "EmailField",
    "TelField",
    "DateField",
    "IntegerField",
    "RadioField",
    "SelectField",
    "SelectMultipleField",
    "HiddenField",
    "MultiCheckboxField",
}


def _python_files() -> list[Path]:
    return sorted(p for p in (PROJECT_ROOT / "tutoring").rglob("*.py"))


@pytest.mark.parametrize(
    "path", _python_files(), ids=lambda p: p.relative_to(PROJECT_ROOT).as_posix()
)
def test_python_messages_go_through_gettext(path):
    """flash() messages and form labels are gettext calls, never bare strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        first = node.args[0] if node.args else None
        if name == "flash" and isinstance(first, (ast.Constant, ast.JoinedStr)):
            bad.append(f"line {node.lineno}: flash with a bare string")
        if name in FIELD_TYPES and isinstance(first, (ast.Constant, ast.JoinedStr)):
            bad.append(f"line {node.lineno}: field label is a bare string")
        for keyword in node.keywords:
            if keyword.arg in ("message", "description") and isinstance(
                keyword.value, (ast.Constant, ast.JoinedStr)
            ):
                bad.append(f"line {node.lineno}: {keyword.arg}= is a bare string")
        if name in ("_", "_l", "gettext", "lazy_gettext") and isinstance(
            first, ast.JoinedStr
        ):
            bad.append(f"line {node.lineno}: f-string inside gettext")
    assert bad == []


def test_picker_names_each_language_in_itself(client):
    page = client.get("/").get_data(as_text=True)
    for name in ("Français", "English", "العربية", "Українська", "دری", "پښتو"):
        assert name in page
    for name in ("Русский", "Türkçe", "Español", "Português", "ትግርኛ"):
        assert name in page
    assert '<button type="submit" name="lang" value="fa_AF" lang="fa-AF" dir="rtl"' in page


@pytest.mark.parametrize(
    ("header", "lang", "direction"),
    [
        ("fa", "fa-AF", "rtl"),
        ("fa-AF,fr;q=0.5", "fa-AF", "rtl"),
        ("prs", "fa-AF", "rtl"),
        ("fa-IR", "fa-AF", "rtl"),
        ("ps-AF", "ps", "rtl"),
        ("ti-ER", "ti", "ltr"),
        ("de-DE,ru;q=0.8,fr;q=0.5", "ru", "ltr"),
        ("pt-BR", "pt", "ltr"),
        ("es-419", "es", "ltr"),
        ("de", "fr", "ltr"),
    ],
)
def test_browser_languages_find_their_locale(client, header, lang, direction):
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in page


def test_french_is_the_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page
    assert "Apprendre le français à Millau" in page


def test_accept_language_is_the_first_guess(client):
    page = client.get("/", headers={"Accept-Language": "ar,fr;q=0.5"}).get_data(
        as_text=True
    )
    assert '<html lang="ar" dir="rtl">' in page


def test_chosen_language_is_remembered_for_the_browser(client):
    response = client.post("/langue", data={"lang": "uk", "next": "/carte"})
    assert response.headers["Location"] == "/carte"
    assert "lang=uk" in response.headers["Set-Cookie"]
    assert '<html lang="uk"' in client.get("/").get_data(as_text=True)


def test_language_choice_refuses_foreign_redirects(client):
    response = client.post("/langue", data={"lang": "ar", "next": "//evil.example"})
    assert response.headers["Location"] == "/"


def test_chosen_language_is_remembered_for_the_account(app, make):
    make.user("claire", Role.REFERENT)
    first = app.test_client()
    login(first, "claire")
    first.post("/langue", data={"lang": "ar"})
    other = app.test_client()  # another browser, no cookie
    login(other, "claire")
    assert '<html lang="ar" dir="rtl">' in other.get("/").get_data(as_text=True)


def test_unknown_language_is_ignored(client):
    client.post("/langue", data={"lang": "xx"})
    assert '<html lang="fr"' in client.get("/").get_data(as_text=True)


def test_french_plural_forms(client, make, signed_in):
    signed_in(Role.REFERENT)
    page = client.get("/").get_data(as_text=True)
    assert "0 inscription de bénévole à valider" in page  # French: 0 takes the singular


def test_error_pages_speak_the_user_language(client):
    page = client.get("/nulle-part", headers={"Accept-Language": "uk"}).get_data(
        as_text=True
    )
    assert "Page introuvable" not in page
    assert '<html lang="uk"' in page


def test_bank_titles_and_can_dos_are_extracted(fresh_template):
    """Each unit's title and « Je peux… » can-do is in the template, to translate."""
    from exercises.loading import load_bank

    items, _problems = load_bank()
    for item in items:
        assert item.unit_title in fresh_template, item.unit
        assert item.can_do in fresh_template, item.unit
