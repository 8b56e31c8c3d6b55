"""Volunteer approval. Pending sign-ups are visible to every referent; approved
volunteers only to the referents of the structure that approved them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from werkzeug.wrappers import Response as BaseResponse

from tutoring.accounts.access import roles_required
from tutoring.accounts.blueprint import bp
from tutoring.accounts.models import Role, User
from tutoring.accounts.profiles import TutorProfile, TutorStatus
from tutoring.accounts.users import decide_tutor
from tutoring.core.extensions import db
from tutoring.core.forms import ConfirmForm


def _visible(profile: TutorProfile) -> bool:
    return profile.status == TutorStatus.PENDING or (
        profile.structure_id is not None
        and profile.structure_id == current_user.structure_id
    )


@bp.get("/benevoles/")
@roles_required(Role.REFERENT)
def volunteers() -> str:
    profiles = db.session.scalars(
        select(TutorProfile)
        .join(User, TutorProfile.user_id == User.id)
        .where(
            User.active,
            or_(
                TutorProfile.status == TutorStatus.PENDING,
                TutorProfile.structure_id == current_user.structure_id,
            ),
        )
        .order_by(TutorProfile.charter_accepted_at)
    ).all()
    pending = [p for p in profiles if p.status == TutorStatus.PENDING]
    decided = [p for p in profiles if p.status != TutorStatus.PENDING]
    return render_template(
        "accounts/volunteers.html", pending=pending, decided=decided, form=ConfirmForm()
    )


def _decide(user_id: int, approve: bool) -> BaseResponse:
    profile = db.session.get(TutorProfile, user_id)
    if profile is None or not _visible(profile):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    decide_tutor(profile.user, current_user, approve=approve)
    db.session.commit()
    if approve:
        flash(
            _("%(name)s est validé·e comme bénévole.", name=profile.user.display_name),
            "success",
        )
    else:
        flash(
            _("L’inscription de %(name)s est refusée.", name=profile.user.display_name),
            "info",
        )
    return redirect(url_for("accounts.volunteers"))


@bp.post("/benevoles/<int:user_id>/valider")
@roles_required(Role.REFERENT)
def approve_volunteer(user_id: int) -> BaseResponse:
    return _decide(user_id, approve=True)


@bp.post("/benevoles/<int:user_id>/refuser")
@roles_required(Role.REFERENT)
def decline_volunteer(user_id: int) -> BaseResponse:
    return _decide(user_id, approve=False)
