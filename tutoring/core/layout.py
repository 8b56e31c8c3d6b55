"""The page layout's fixed parts, rendered once and kept.

The head's links, the language menu, the main menu and the footer are the same on
every page for everyone who shares their key: the interface language, the address
the application is served under, and what the part is given (the menu: the person's
roles and the section of the site they are in). Each part is a template of
`templates/core/layout/` rendered with its key only, without the request's context
(no `current_user`, no form, no CSRF token: a test checks the templates name
nothing else), and kept per application for as long as it runs: the catalogs, the
routes and the configuration do not change meanwhile.

A page renders each part in about a tenth of a millisecond when rendered afresh;
kept, it costs one dictionary lookup.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

FRAGMENTS = "layout_fragments"
LIMIT = 4096  # parts kept per application; past that, they are rendered again

# The sections of the main menu, by the first segment of their addresses.
SECTIONS = frozenset(
    {
        "pratique",
        "examens",
        "seances",
        "tuteur",
        "corrections",
        "banque",
        "apprenants",
        "benevoles",
        "coordination",
        "admin",
        "compte",
    }
)
# Menu entries that are current on one page only, by endpoint.
PAGES = frozenset({"home.home", "learning.item_analysis"})


def fragment(name: str, **key: Any) -> Markup:
    """The layout part `name` (`templates/core/layout/<name>.html`) for `key`, in the
    current language, rendered once per application."""
    kept: dict[tuple[Any, ...], Markup] = current_app.extensions.setdefault(
        FRAGMENTS, {}
    )
    cache_key = (name, str(get_locale()), request.script_root, *sorted(key.items()))
    html = kept.get(cache_key)
    if html is None:
        template = current_app.jinja_env.get_template(f"core/layout/{name}.html")
        html = Markup(template.render(**key))  # noqa: S704 - our template  # nosec B704
        if len(kept) >= LIMIT:
            kept.clear()
        kept[cache_key] = html
    return html


def here() -> str | None:
    """The main menu's entry this page belongs to: an endpoint of PAGES, a section
    of SECTIONS, or None."""
    if request.endpoint in PAGES:
        return request.endpoint
    path = request.path
    section = path.split("/", 2)[1] if path.count("/") >= 2 else ""
    return section if section in SECTIONS else None


def main_menu() -> Markup:
    """The signed-in person's main menu: its entries follow their roles (and whether
    their volunteering is approved), the current one is marked."""
    user = current_user
    roles = tuple(sorted(str(role) for role in user.roles))
    if user.is_approved_tutor:
        roles += ("approved_tutor",)
    return fragment("nav", roles=roles, here=here())
