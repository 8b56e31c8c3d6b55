"""Fewer bytes for a phone on prepaid data: pages compressed when the browser accepts
it, static files under fingerprinted names cached for a year, compressed too."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli

from tests.crawl import header_problems
from tutoring.core.assets import build, fingerprinted

STYLESHEET = re.compile(r'href="(/static/css/app\.([0-9a-f]{12})\.css)"')


def test_pages_are_compressed_with_brotli_or_gzip_when_accepted(app):
    client = app.test_client()
    plain = client.get("/connexion")
    assert "Content-Encoding" not in plain.headers
    html = plain.get_data()
    assert len(html) > 1000

    br = client.get("/connexion", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in br.headers["Vary"]
    assert len(br.get_data()) < len(html) / 2
    assert b"<!doctype html>" in brotli.decompress(br.get_data())
    assert header_problems(br) == []

    gz = client.get("/connexion", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"
    assert b"<!doctype html>" in gzip.decompress(gz.get_data())


def test_static_files_have_fingerprinted_names_cached_for_a_year(app):
    client = app.test_client()
    page = client.get("/connexion").get_data(as_text=True)
    match = STYLESHEET.search(page)
    assert match, "the stylesheet's URL carries no fingerprint"
    response = client.get(match.group(1))
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    assert header_problems(response) == []
    css = response.get_data()
    assert b"body" in css
    response.close()

    compressed = client.get(match.group(1), headers={"Accept-Encoding": "br, gzip"})
    assert compressed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(compressed.get_data()) == css
    compressed.close()

    # The plain name still answers (a bookmark, an old page), but is not immutable.
    plain = client.get("/static/css/app.css")
    assert plain.status_code == 200
    assert "immutable" not in plain.headers.get("Cache-Control", "")
    plain.close()


def test_a_changed_file_gets_a_new_name(tmp_path: Path):
    root, out = tmp_path / "static", tmp_path / "build"
    (root / "css").mkdir(parents=True)
    (root / "css" / "a.css").write_text("body { color: red }")
    first = build(root, out)["css/a.css"]
    (root / "css" / "a.css").write_text("body { color: blue }")
    second = build(root, tmp_path / "build2")["css/a.css"]
    assert first != second
    assert re.fullmatch(r"css/a\.[0-9a-f]{12}\.css", first)
    assert (out / first).read_text() == "body { color: red }"
    assert (
        gzip.decompress((out / (first + ".gz")).read_bytes()) == b"body { color: red }"
    )
    assert fingerprinted("LICENSE", "abc") == "LICENSE.abc"
