"""API endpoints. Each answers 401 without a valid token and never lists a person."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from tutoring.accounts.access import ACCESS_ATTR, API_TOKEN, public
from tutoring.accounts.models import Partner
from tutoring.core.codes import digest
from tutoring.core.database import utcnow
from tutoring.core.extensions import db, limiter
from tutoring.indicators.blueprint import bp
from tutoring.indicators.definitions import (
    BREAKDOWNS,
    BY_NAME,
    DEFINITIONS,
    approved_tutors,
    breakdown,
    enrolments_by_category,
    figures,
    monthly_trend,
    protect,
)
from tutoring.indicators.models import ApiToken
from tutoring.indicators.openapi import openapi_document
from tutoring.indicators.periods import PeriodError, scope_from
from tutoring.indicators.scopes import ENROLMENTS_GROUP, group_of


def api_error(status: int, message: str) -> tuple[Response, int]:
    """Answer an API error as JSON with a message a developer can act on."""
    response = jsonify({"error": message, "status": status})
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response, status


def token_required(
    view: Callable[..., ResponseReturnValue],
) -> Callable[..., ResponseReturnValue]:
    """Check the 'Authorization: Bearer …' header against the stored token hashes."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return api_error(
                401,
                "Jeton absent : envoyez l’en-tête « Authorization: Bearer <jeton> ».",
            )
        row = db.session.scalar(
            select(ApiToken).where(ApiToken.token_hash == digest(token.strip()))
        )
        if row is None or row.revoked_at is not None:
            return api_error(401, "Jeton inconnu ou révoqué.")
        row.last_used_at = utcnow()
        db.session.commit()
        g.api_token = row
        return view(*args, **kwargs)

    setattr(wrapper, ACCESS_ATTR, API_TOKEN)
    return wrapper


PERIOD_PARAMETERS = frozenset({"period", "value", "from", "to", "category", "partner"})


def query_error(allowed: frozenset[str] = frozenset()) -> tuple[Response, int] | None:
    """Refuse a query string with an unknown or repeated parameter, or dates given
    with a named period; None when the query is well formed."""
    for name in request.args:
        values = request.args.getlist(name)
        if name not in allowed:
            return api_error(400, f"Paramètre inconnu : « {name} ».")
        if len(values) > 1:
            return api_error(400, f"Paramètre répété : « {name} » (une fois au plus).")
    period = request.args.get("period")
    dated = request.args.get("from") or request.args.get("to")
    if dated and period not in (None, "custom"):
        return api_error(
            400, "« from » et « to » vont avec period=custom, pas avec un mois, "
            "un trimestre ou une année."
        )
    if dated and not (request.args.get("from") and request.args.get("to")):
        return api_error(400, "Une période choisie par dates demande « from » et « to ».")
    return None


def _may_read(group: str | None) -> bool:
    """Whether the token of this request may read the indicators of `group`."""
    token: ApiToken = g.api_token
    return group is not None and token.may_read(group)


def out_of_scope(name: str) -> tuple[Response, int]:
    return api_error(
        403,
        _(
            "Ce jeton ne donne pas accès à l’indicateur « %(name)s ». Voir /api/v1/indicators pour ceux qu’il permet de lire.",
            name=name,
        ),
    )


@bp.get("/api/v1/indicators/enrolments")
@limiter.limit("120 per minute")
@token_required
def api_enrolments() -> ResponseReturnValue:
    if refused := query_error():
        return refused
    if not _may_read(ENROLMENTS_GROUP):
        return out_of_scope("enrolments")
    k = current_app.config["SMALL_CELL_THRESHOLD"]
    cells, total = protect(enrolments_by_category(), k)
    tutors, _total = protect({"approved_tutors": approved_tutors()}, k)
    return jsonify(
        {
            "small_cell_rule": {
                "threshold": k,
                "rule": f"counts from 1 to {k - 1} are null; secondary suppression applied",
            },
            "learners_enrolled": {
                "total": total,
                "by_public_category": {c.key: c.value for c in cells},
            },
            "approved_tutors": tutors[0].value,
        }
    )


TREND_NAMES = {
    "active": "apprenants actifs",
    "new": "nouvelles inscriptions",
    "sessions": "séances réalisées",
    "tutoring_hours": "heures de tutorat reçues",
    "attempts": "exercices faits",
}


BREAKDOWN_NAMES = {
    "public_category": "situation",
    "sex": "sexe",
    "age_band": "tranche d’âge",
    "partner_id": "partenaire prescripteur",
    "years_since_arrival": "ancienneté d’arrivée en France",
}


def _catalogue() -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {
        d.name: {"label": str(d.label), "definition": str(d.text), "unit": d.unit}
        for d in DEFINITIONS
    }
    for dimension in BREAKDOWNS:
        names[f"beneficiaries.active_by.{dimension}"] = {
            "label": f"Apprenants actifs par {BREAKDOWN_NAMES[dimension]}",
            "definition": str(BY_NAME["beneficiaries.active"].text),
            "unit": "people",
        }
    for key, label in TREND_NAMES.items():
        names[f"trend.{key}"] = {
            "label": f"Par mois : {label}",
            "definition": "Valeurs mois par mois, du premier au dernier mois de la période.",
            "unit": "hours" if key == "tutoring_hours" else "people",
        }
    return names


def _rule(k: int) -> dict[str, Any]:
    return {
        "threshold": k,
        "rule": (
            f"Tout effectif de 1 à {k - 1} personnes vaut null (« < {k} »), de même "
            "qu’un autre effectif lorsqu’un total ou la différence entre deux chiffres "
            "publiés permettrait de le retrouver ; une somme ou une médiane portant "
            f"sur moins de {k} personnes vaut null."
        ),
    }


@bp.get("/api/v1/indicators")
@limiter.limit("120 per minute")
@token_required
def api_indicators() -> ResponseReturnValue:
    """List the indicators this token may read, with their definitions."""
    if refused := query_error():
        return refused
    k = current_app.config["SMALL_CELL_THRESHOLD"]
    readable = {
        name: entry for name, entry in _catalogue().items() if _may_read(group_of(name))
    }
    return jsonify({"small_cell_rule": _rule(k), "indicators": readable})


@bp.get("/api/v1/indicators/<path:name>")
@limiter.limit("120 per minute")
@token_required
def api_indicator(name: str) -> ResponseReturnValue:
    """Return one indicator for a period, protected like the coordinator's pages."""
    if refused := query_error(PERIOD_PARAMETERS):
        return refused
    if name not in _catalogue():
        return api_error(
            400, f"Indicateur inconnu : « {name} ». Voir /api/v1/indicators."
        )
    if not _may_read(group_of(name)):
        return out_of_scope(name)
    k = current_app.config["SMALL_CELL_THRESHOLD"]
    partners = set(db.session.scalars(select(Partner.id)))
    try:
        scope = scope_from(
            request.args, current_app.config["INDICATORS_MAX_DAYS"], partners
        )
    except PeriodError as exc:
        return api_error(400, str(exc))
    body: dict[str, Any] = {
        "indicator": name,
        "period": {"from": scope.start.isoformat(), "to": scope.end.isoformat()},
        "filters": {"category": scope.category, "partner": scope.partner_id},
        "small_cell_rule": _rule(k),
    }
    if name.startswith("beneficiaries.active_by."):
        cells, total = breakdown(scope, name.rsplit(".", 1)[1], k)
        body.update(
            cells={c.key or "non_renseigne": c.value for c in cells}, total=total
        )
    elif name.startswith("trend."):
        data = monthly_trend(scope, k, scope.start)
        body["months"] = [
            {"month": m.strftime("%Y-%m"), "value": v}
            for m, v in zip(data["months"], data["series"][name[6:]], strict=True)
        ]
    else:
        definition = BY_NAME[name]
        figure = figures(scope, k, (definition.group,))[name]
        body.update(value=figure.value, hidden=figure.hidden, unit=definition.unit)
    return jsonify(body)


@bp.get("/api/v1/openapi.json")
@public
def api_openapi() -> ResponseReturnValue:
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document(sorted(_catalogue())))


# The API authenticates by bearer token: the app factory exempts these from CSRF.
VIEWS = (api_enrolments, api_indicators, api_indicator, api_openapi)
