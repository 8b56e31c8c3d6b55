"""The app as `make bench` serves it: the real app plus one constant route.

`/bench/constant` goes through the same hooks as every page (access rule, session
lookup, security headers) and returns a constant: the framework's ceiling on this
machine. It exists only in this module, never in the deployed application.
"""

from __future__ import annotations

from tutoring import create_app
from tutoring.accounts.access import public

app = create_app()


@public
def constant() -> str:
    return "ok"


app.add_url_rule("/bench/constant", "bench_constant", constant)
