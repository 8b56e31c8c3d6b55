"""API endpoints. Each answers 401 without a valid token and never lists a person."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from tutoring.api import bp
from tutoring.extensions import db, limiter
from tutoring.models import ApiToken
from tutoring.models.base import utcnow
from tutoring.security import ACCESS_ATTR, API_TOKEN
from tutoring.services.codes import digest
from tutoring.services.indicators import (
    approved_tutors,
    enrolments_by_category,
    protect,
)


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Check the 'Authorization: Bearer …' header against the stored token hashes."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            abort(401)
        row = db.session.scalar(
            select(ApiToken).where(ApiToken.token_hash == digest(token.strip()))
        )
        if row is None or row.revoked_at is not None:
            abort(401)
        row.last_used_at = utcnow()
        db.session.commit()
        return view(*args, **kwargs)

    setattr(wrapper, ACCESS_ATTR, API_TOKEN)
    return wrapper


@bp.get("/indicators/enrolments")
@token_required
@limiter.limit("120 per minute")
def enrolments() -> ResponseReturnValue:
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
