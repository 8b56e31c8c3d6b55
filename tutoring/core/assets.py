"""Static files: fingerprinted names cached for a year, served compressed by WhiteNoise.

At start-up every file under static/ gets a name carrying a digest of its content
(`css/app.css` -> `css/app.3f2a9c1b7e4d.css`); `url_for('static', ...)` emits that
name, WhiteNoise serves it before Flask with `Cache-Control: max-age=31536000,
immutable`, so a phone downloads each version of a file once. Text files (CSS,
JavaScript, SVG) are compressed once, with gzip and brotli, into the build folder
(STATIC_BUILD_FOLDER, instance/static-build by default; files named by their digest,
so several workers starting together write the same bytes). A file added while the
application runs (a volunteer's recording) keeps its plain name and is served by
Flask's static view, with a short cache lifetime.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import brotli
from flask import Flask
from whitenoise import WhiteNoise

COMPRESSIBLE = {".css", ".js", ".svg", ".txt", ".json", ".map"}
DIGEST_LENGTH = 12
_manifests: dict[tuple[str, str], dict[str, str]] = {}


def fingerprinted(relative: str, digest: str) -> str:
    stem, dot, suffix = relative.rpartition(".")
    if not dot or "/" in suffix:
        return f"{relative}.{digest}"
    return f"{stem}.{digest}.{suffix}"


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as f:
        f.write(data)
    os.replace(temporary, target)


def build(root: Path, folder: Path) -> dict[str, str]:
    """Map each static file (relative name) to its fingerprinted name; put the
    compressible ones, with their .gz and .br, in `folder` (once per process)."""
    key = (str(root), str(folder))
    if key in _manifests:
        return _manifests[key]
    manifest: dict[str, str] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in relative.split("/")):
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]
        name = fingerprinted(relative, digest)
        manifest[relative] = name
        if path.suffix in COMPRESSIBLE:
            target = folder / name
            if not target.exists():
                _write_atomically(
                    target.with_name(target.name + ".gz"),
                    gzip.compress(data, 9, mtime=0),
                )
                _write_atomically(
                    target.with_name(target.name + ".br"),
                    brotli.compress(data, quality=11),
                )
                _write_atomically(target, data)
    _manifests[key] = manifest
    return manifest


def init_app(app: Flask, add_headers: Callable[[Any, str, str], None]) -> None:
    """Serve static/ through WhiteNoise under fingerprinted names; `add_headers`
    (headers, path, url) adds the headers every response carries."""
    assert app.static_folder is not None  # set by create_app
    root = Path(app.static_folder)
    folder = Path(
        app.config.get("STATIC_BUILD_FOLDER")
        or Path(app.instance_path) / "static-build"
    )
    manifest = build(root, folder)
    immutable = {"/static/" + name for name in manifest.values()}
    files = WhiteNoise(
        app.wsgi_app,
        max_age=app.config.get("STATIC_MAX_AGE", 300),
        allow_all_origins=False,
        add_headers_function=add_headers,
        immutable_file_test=lambda _path, url: url in immutable,
    )
    for relative, name in manifest.items():
        built = folder / name
        path = built if built.exists() else root / relative
        files.add_file_to_dictionary("/static/" + name, str(path))
        files.add_file_to_dictionary("/static/" + relative, str(path))
    app.wsgi_app = files  # type: ignore[method-assign]

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = manifest.get(values["filename"], values["filename"])
