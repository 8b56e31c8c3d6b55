"""Error pages, page weight budget, the home page of each role."""

from __future__ import annotations

import gzip
import re

import pytest

from tutoring.accounts.models import Role

BUDGET = 150 * 1024  # bytes transferred (gzip) for a first load, CSS and JS included


def _asset_sizes(client, html: str) -> int:
    total = len(gzip.compress(html.encode("utf-8")))
    for ref in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        response = client.get(ref)
        total += len(gzip.compress(response.data))
        response.close()
    return total


@pytest.mark.parametrize(
    "path", ["/", "/connexion", "/carte", "/devenir-benevole", "/accessibilite"]
)
def test_public_pages_fit_the_weight_budget(client, path):
    html = client.get(path).get_data(as_text=True)
    assert _asset_sizes(client, html) <= BUDGET


def test_signed_in_pages_fit_the_weight_budget(client, make, signed_in):
    referent = signed_in(Role.REFERENT)
    make.learner(referent)
    for path in ("/", "/apprenants/", "/apprenants/inscrire"):
        assert _asset_sizes(client, client.get(path).get_data(as_text=True)) <= BUDGET


def test_page_titles_are_unique_per_page(client):
    titles = set()
    for path in (
        "/",
        "/connexion",
        "/carte",
        "/devenir-benevole",
        "/accessibilite",
        "/confidentialite",
        "/charte-du-benevole",
        "/mot-de-passe-oublie",
    ):
        title = re.search(
            r"<title>(.*?)</title>", client.get(path).get_data(as_text=True)
        ).group(1)
        titles.add(title)
    assert len(titles) == 8


def test_form_with_errors_says_so_in_the_title(client):
    page = client.post("/connexion", data={}).get_data(as_text=True)
    assert "<title>Erreur : Se connecter" in page


@pytest.mark.parametrize(
    ("method", "path", "status", "text"),
    [
        ("get", "/introuvable", 404, "Page introuvable"),
        ("put", "/connexion", 405, "Action impossible"),
        ("get", "/api/v1/introuvable", 404, "Page introuvable"),
    ],
)
def test_error_pages_are_in_french(client, method, path, status, text):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert text in response.get_data(as_text=True)


def test_too_large_upload_answers_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/connexion", data={"login": "x" * 4096, "password": "y"})
    assert response.status_code == 413
    assert "Fichier trop lourd" in response.get_data(as_text=True)


def test_unexpected_error_answers_a_french_500_page(app, client, monkeypatch):
    from tutoring.accounts import users

    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(users, "authenticate", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post("/connexion", data={"login": "a", "password": "b"})
    assert response.status_code == 500
    assert "Erreur du serveur" in response.get_data(as_text=True)
    assert "bug" not in response.get_data(as_text=True)


def test_health_check_reports_the_database(client):
    assert client.get("/sante").get_json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.TUTOR, "Mon bénévolat"),
        (Role.REFERENT, "Inscrire un apprenant ou une apprenante"),
        (Role.COORDINATOR, "Voir les indicateurs"),
        (Role.ADMIN, "Journal d’audit"),
    ],
)
def test_each_role_lands_on_what_to_do_next(app, client, signed_in, role, expected):
    app.config["REQUIRE_2FA_ROLES"] = []
    signed_in(role)
    assert expected in client.get("/").get_data(as_text=True)
