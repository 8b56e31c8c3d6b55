"""Access rules (deny by default), safe redirects and security headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    redirect,
    request,
    session,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from tutoring.accounts.enrolment import learner_for
from tutoring.accounts.models import Role, User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.accounts.shared import marked_here
from tutoring.accounts.signin import learner_profile

F = TypeVar("F", bound=Callable[..., Any])


PUBLIC = "public"


SIGNED_IN = "signed-in"


API_TOKEN = "api-token"  # noqa: S105 - a rule name, not a secret; checked by the API's own bearer-token decorator  # nosec B105


ACCESS_ATTR = "__access__"


NO_2FA_ATTR = "__allowed_before_2fa__"


PENDING_VOLUNTEERS_ATTR = "__open_to_pending_volunteers__"


def public(view: F) -> F:
    """Mark a view as open to everyone, signed in or not."""
    setattr(view, ACCESS_ATTR, PUBLIC)
    return view


def signed_in(view: F) -> F:
    """Mark a view as open to any signed-in account, whatever its roles."""
    setattr(view, ACCESS_ATTR, SIGNED_IN)
    return view


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Mark a view as open to accounts holding at least one of `roles`."""

    def decorate(view: F) -> F:
        setattr(view, ACCESS_ATTR, frozenset(roles))
        return view

    return decorate


CAPABILITY_URL_ATTR = "__capability_url__"  # a URL that carries its own key


def secret_in_url(view: F) -> F:
    """Mark a page whose URL holds a secret (a card code, a token): its answer is
    never cached and the URL never leaves in a Referer header."""
    setattr(view, CAPABILITY_URL_ATTR, True)
    return view


def open_to_pending_volunteers(view: F) -> F:
    """Let a volunteer not (or no longer) approved use this tutor's view. Elsewhere the
    tutor role counts only once a referent has approved the volunteer: anyone can sign
    up at /devenir-benevole, and must not read answer keys or learners' work."""
    setattr(view, PENDING_VOLUNTEERS_ATTR, True)
    return view


def roles_held(user: Any, endpoint: str) -> frozenset[Role]:
    """The roles `user` holds for the view behind `endpoint`: the tutor role only
    for an approved volunteer, unless the view is open to pending volunteers."""
    roles: frozenset[Role] = user.roles
    view = current_app.view_functions[endpoint]
    if (
        Role.TUTOR in roles
        and not user.is_approved_tutor
        and not getattr(view, PENDING_VOLUNTEERS_ATTR, False)
    ):
        return roles - {Role.TUTOR}
    return roles


def allowed_before_2fa(view: F) -> F:
    """Let an account that must still set up two-factor sign-in reach this view."""
    setattr(view, NO_2FA_ATTR, True)
    return view


def access_rule(endpoint: str | None) -> object:
    """Return the access rule declared by the view behind `endpoint` (None if none)."""
    if endpoint is None:
        return None
    view = current_app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTR, None)


def needs_second_factor(user: Any) -> bool:
    """Whether this account must pass a second factor before using the platform."""
    required = set(current_app.config["REQUIRE_2FA_ROLES"])
    return user.has_2fa or bool({r.value for r in user.roles} & required)


def enforce_access() -> BaseResponse | None:
    """before_request hook: answer 401/403 unless the view names who may use it."""
    if request.endpoint is None:
        return None  # 404 or 405: let Flask answer
    if request.endpoint == "static":
        return None
    rule = access_rule(request.endpoint)
    if rule is None:
        abort(403)
    if rule == API_TOKEN:
        return None
    # The account is loaded only when the rule needs it: not for a public view open
    # before the second factor (the health check, the sign-in pages).
    if (
        not getattr(current_app.view_functions[request.endpoint], NO_2FA_ATTR, False)
        and current_user.is_authenticated
        and _second_factor_missing(request.endpoint)
    ):
        return redirect(url_for("accounts.two_factor_setup"))
    if rule == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined,no-any-return]
    if rule == SIGNED_IN:
        return None
    # Fail closed on anything but a set of roles (no assert: `python -O` drops them).
    if not isinstance(rule, frozenset) or not rule & roles_held(
        current_user, request.endpoint
    ):
        abort(403)
    return None


def _second_factor_missing(endpoint: str) -> bool:
    """Whether this signed-in session still owes a second factor for this view."""
    state = g.get("session_state")
    view = current_app.view_functions[endpoint]
    return (
        state is not None
        and not state.second_factor_done
        and needs_second_factor(current_user)
        and not getattr(view, NO_2FA_ATTR, False)
    )


def is_safe_next(target: str | None) -> bool:
    """Accept only a local absolute path: '/x', never '//x', '/\\x' or 'https://x'."""
    if not target or not target.startswith("/"):
        return False
    if target.startswith(("//", "/\\")):
        return False
    if any(ord(c) < 32 for c in target) or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str = "/") -> str:
    return target if target and is_safe_next(target) else default


CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self' blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def static_headers(app: Flask) -> Callable[[Any, str, str], None]:
    """The headers of every response, for the static files WhiteNoise serves before
    the application's hooks run."""
    fixed = {
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if app.config["SESSION_COOKIE_SECURE"]:
        fixed["Strict-Transport-Security"] = (
            f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains"
        )

    def add(headers: Any, _path: str, _url: str) -> None:
        for name, value in fixed.items():
            headers[name] = value

    return add


def response_headers(app: Flask) -> tuple[tuple[str, str, str], ...]:
    """(lower-case name, name, value) of the headers every response carries, worked
    out once per application."""
    fixed = app.extensions.get("security_headers")
    if fixed is None:
        pairs = [
            ("Content-Security-Policy", CSP),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("X-Frame-Options", "DENY"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            (
                "Permissions-Policy",
                "camera=(), geolocation=(), microphone=(self), payment=()",
            ),
        ]
        if app.config["SESSION_COOKIE_SECURE"]:
            pairs.append(
                (
                    "Strict-Transport-Security",
                    f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains",
                )
            )
        fixed = tuple((name.lower(), name, value) for name, value in pairs)
        app.extensions["security_headers"] = fixed
    return fixed


def set_security_headers(response: Response) -> Response:
    """after_request hook: headers every response carries (a view may set its own
    value of one of them first)."""
    headers = response.headers
    present = {key.lower() for key in headers.keys()}  # noqa: SIM118 - Headers
    for lower, name, value in response_headers(current_app):
        if lower not in present:
            headers.add(name, value)
    if "_user_id" in session or marked_here():
        # Signed in (or was: no need to load the account), or on a marked shared
        # computer: nothing stays in the cache or behind the back button (no-store
        # also keeps the page out of Chromium's back-forward cache).
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
        headers.setdefault("Vary", "Cookie")
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, CAPABILITY_URL_ATTR, False):
        headers["Cache-Control"] = "no-store"
        headers["Referrer-Policy"] = "no-referrer"
    return response


def refuse_nul_characters() -> None:
    """before_request hook: answer 400 to a NUL character in the URL or a form field.

    No field has a use for it, and PostgreSQL cannot store it in text: without this
    check such a request would end in a server error there (found by the fuzzing).
    """
    # The URL first, as sent: a NUL can only be there written %00 (or raw).
    query = request.query_string
    if b"%00" in query or b"\x00" in query or "\x00" in request.path:
        abort(400)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return  # no form is read from these
    values = [v for vs in request.form.listvalues() for v in vs]
    values += [f.filename or "" for f in request.files.values()]
    if any("\x00" in v for v in values):
        abort(400)


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
    app.before_request(enforce_access)
    app.after_request(set_security_headers)


def learner_or_404(profile_id: int) -> LearnerProfile:
    """The learner of the signed-in referent's structure with this id, else 404."""
    profile = learner_for(current_user, profile_id)
    if profile is None:
        abort(404)
    return profile


def current_learner() -> LearnerProfile:
    """The signed-in learner's profile (a learner's view); 403 for an account without one."""
    profile = learner_profile(cast(User, current_user))  # signed in: the loader's User
    if profile is None:
        abort(403)
    return profile
