"""Referents record results obtained outside the platform (for the CTAI indicators)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from tutoring.extensions import db
from tutoring.learners import bp
from tutoring.learners.forms import OutcomeForm
from tutoring.learners.views import _profile_or_404
from tutoring.models import Role
from tutoring.security import roles_required
from tutoring.services.outcomes import OutcomeError, record_outcome


@bp.post("/<int:profile_id>/resultat")
@roles_required(Role.REFERENT)
def outcome(profile_id: int) -> BaseResponse:
    """Record a certification, civic exam or residence card for the learner."""
    profile = _profile_or_404(profile_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        flash(_("Résultat non enregistré : vérifiez le type et la date."), "error")
        return redirect(url_for("learners.show", profile_id=profile.id))
    try:
        record_outcome(
            profile, current_user, kind=form.kind.data,
            obtained_on=form.obtained_on.data, level=form.level.data or None,
        )  # fmt: skip
    except OutcomeError as exc:
        messages = {
            "future": _("Résultat non enregistré : la date est dans le futur."),
            "level": _(
                "Résultat non enregistré : indiquez le niveau de la certification."
            ),
        }
        flash(messages[str(exc)], "error")
        return redirect(url_for("learners.show", profile_id=profile.id))
    db.session.commit()
    flash(_("Le résultat est enregistré."), "success")
    return redirect(url_for("learners.show", profile_id=profile.id))
