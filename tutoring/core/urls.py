"""URL converters and absolute addresses.

An id in a URL must fit the database's integer columns. An absolute address (in an
e-mail, a calendar feed, a login card's QR code, an attestation) is built from the
configured site address, never from the request's Host header, which the client
chooses."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from werkzeug.routing import IntegerConverter, Map

ID_MAX = 2**31 - 1  # PostgreSQL's integer (the primary keys)


class IdConverter(IntegerConverter):
    """`<int:…>` limited to what a primary key can hold: a larger number is a 404
    like any unknown id, instead of an overflow in the database."""

    def __init__(self, url_map: Map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", ID_MAX)
        super().__init__(url_map, *args, **kwargs)  # type: ignore[arg-type]


class SiteAddressError(RuntimeError):
    """Raised when an absolute address is asked for and no site address is set."""


def site_root(config: dict[str, Any]) -> tuple[str, str, str] | None:
    """(scheme, host, path) of the site: `SITE_URL`, else `SERVER_NAME` with
    `PREFERRED_URL_SCHEME` and `APPLICATION_ROOT`; None when neither is set."""
    if config.get("SITE_URL"):
        parts = urlsplit(str(config["SITE_URL"]))
        return parts.scheme, parts.netloc, parts.path or "/"
    if config.get("SERVER_NAME"):
        return (
            str(config.get("PREFERRED_URL_SCHEME") or "http"),
            str(config["SERVER_NAME"]),
            str(config.get("APPLICATION_ROOT") or "/"),
        )
    return None


def site_url_problem(value: str) -> str | None:
    """Why `value` cannot be the site's address (SITE_URL), or None when it can."""
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return "it must start with https:// (or http://) and a host name"
    if parts.query or parts.fragment or "@" in parts.netloc:
        return "it must hold no user, query or fragment"
    return None


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute address of `endpoint`, on the configured site address.

    Without SITE_URL or SERVER_NAME, only debug and testing fall back to the
    request's host, or localhost outside a request (production refuses to start
    without them, see config.load)."""
    app = current_app
    root = site_root(app.config)
    if root is None:
        if not (app.debug or app.testing):
            raise SiteAddressError(
                "SITE_URL is not set: refusing to build an address from the request"
            )
        if has_request_context():
            return url_for(endpoint, _external=True, **values)
        root = ("http", "localhost", "/")
    scheme, host, path = root
    app.inject_url_defaults(endpoint, values)
    adapter = app.url_map.bind(host, script_name=path, url_scheme=scheme)
    return adapter.build(endpoint, values, force_external=True)
