"""Error pages in the user's language (HTML), or JSON for the API."""

from __future__ import annotations

import math
import time

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from tutoring.core.extensions import db, limiter

ErrorPage = tuple[Response | str, int]  # a JSON body for the API, a page elsewhere

MESSAGES = {
    400: (
        _l("Demande incorrecte"),
        _l("La demande n’a pas pu être comprise. Revenez en arrière et réessayez."),
    ),
    401: (_l("Connexion nécessaire"), _l("Connectez-vous pour continuer.")),
    403: (_l("Accès refusé"), _l("Votre compte ne donne pas accès à cette page.")),
    404: (
        _l("Page introuvable"),
        _l(
            "Cette page n’existe pas ou plus. Vérifiez l’adresse ou revenez à l’accueil."
        ),
    ),
    405: (
        _l("Action impossible"),
        _l("Cette action n’est pas possible sur cette page."),
    ),
    413: (
        _l("Fichier trop lourd"),
        _l("Le fichier envoyé dépasse la taille autorisée."),
    ),
    429: (_l("Trop de tentatives"), _l("Trop de tentatives en peu de temps.")),
    500: (
        _l("Erreur du serveur"),
        _l("Un problème est survenu de notre côté. Réessayez dans quelques minutes."),
    ),
}


def _wait_minutes() -> int | None:
    current = limiter.current_limit
    if current is None:
        return None
    # reset_at is rounded up by one second by Flask-Limiter.
    return max(1, math.ceil((current.reset_at - 1 - time.time()) / 60))


def render_error(
    code: int, detail: str | None = None, action: tuple[str, str] | None = None
) -> ErrorPage:
    """The error page; `action` is a way out offered as a button (address, label)."""
    title, message = MESSAGES.get(code, MESSAGES[500])
    wait = _wait_minutes() if code == 429 else None
    if request.path.startswith("/api/"):
        body = {"error": str(title), "status": code}
        if wait:
            body["retry_after_minutes"] = wait
        return jsonify(body), code
    if request.is_json:  # a page's script sent JSON (offline synchronisation)
        return jsonify(
            {"error": str(title), "message": str(detail or message), "status": code}
        ), code
    return (
        render_template(
            "core/error.html",
            code=code,
            title=title,
            message=detail or message,
            wait=wait,
            action=action,
        ),
        code,
    )


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> ErrorPage:
        return render_error(
            400,
            _(
                "Le formulaire a expiré ou n’a pas été envoyé depuis ce site. "
                "Rechargez la page et recommencez."
            ),
        )

    @app.errorhandler(SecurityError)
    def _unknown_host(error: SecurityError) -> tuple[Response, int]:
        """A Host header outside TRUSTED_HOSTS: no URL can be built for it, so the
        answer is plain text rather than the error page (its links need them)."""
        text = "\n\n".join(
            (
                _("Adresse inconnue"),
                _(
                    "Ce site ne répond pas à cette adresse. Vérifiez l’adresse "
                    "écrite dans votre navigateur."
                ),
            )
        )
        return Response(text, mimetype="text/plain"), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        code = error.code or 500
        response = make_response(render_error(code if code in MESSAGES else 400))
        for name, value in error.get_headers():
            if name.lower() != "content-type":  # e.g. Allow on a 405
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> ErrorPage:
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return render_error(500)
