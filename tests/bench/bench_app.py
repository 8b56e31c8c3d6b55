"""The app as `make bench` serves it: the real app plus two bench-only routes.

`/bench/constant` goes through the same hooks as every page (access rule, session
lookup, security headers) and returns a constant: the framework's ceiling on this
machine. `/bench/layout` renders the real layout (header, menu, language picker,
footer) around an empty page for the signed-in user: the floor under every page,
before the page does any work of its own. They exist only in this module, never in
the deployed application.
"""

from __future__ import annotations

from flask import render_template

from tutoring import create_app
from tutoring.accounts.access import public, signed_in

app = create_app()

LAYOUT = app.jinja_env.from_string(
    '{% extends "base.html" %}{% block title %}Bench{% endblock %}'
    "{% block content %}<h1>Bench</h1>{% endblock %}"
)


@public
def constant() -> str:
    return "ok"


@signed_in
def layout() -> str:
    return render_template(LAYOUT)


app.add_url_rule("/bench/constant", "bench_constant", constant)
app.add_url_rule("/bench/layout", "bench_layout", layout)
