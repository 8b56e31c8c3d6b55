"""Shared computers: the referent's list (declare this computer, revoke any), the
« Je suis encore là » of the idle countdown, and the hand-off from the shared
computer to the learner's phone (a QR code made on request, a single-use code)."""

from __future__ import annotations

from datetime import timedelta

import segno
from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from tutoring.accounts import handoff as handoffs
from tutoring.accounts import shared as computers
from tutoring.accounts.access import (
    public,
    roles_required,
    safe_next,
    secret_in_url,
    signed_in,
)
from tutoring.accounts.blueprint import bp
from tutoring.accounts.errors import AccountError
from tutoring.accounts.forms import HandoffForm, SharedComputerForm
from tutoring.accounts.models import Role, Structure
from tutoring.accounts.signin import idle_seconds
from tutoring.accounts.views.signin import (
    _per_ip,
    await_second_factor,
    complete_login,
)
from tutoring.core.database import utcnow
from tutoring.core.extensions import db, limiter
from tutoring.core.forms import ConfirmForm
from tutoring.core.urls import external_url

ONE_YEAR = 365 * 24 * 3600


def _own_structure() -> Structure:
    """The signed-in referent's (or admin's) structure; 404 without one."""
    structure = db.session.get(Structure, current_user.structure_id or 0)
    if structure is None:
        abort(404)
    return structure


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


# ---- The referent's list --------------------------------------------------------------


@bp.route("/structure/postes-partages", methods=["GET", "POST"])
@roles_required(Role.REFERENT, Role.ADMIN)
def shared_computers() -> BaseResponse | tuple[str, int]:
    """The structure's shared computers; declare the one in use as shared."""
    structure = _own_structure()
    computer = computers.this_computer()
    here = computer if computer and computer.structure_id == structure.id else None
    form = SharedComputerForm()
    if form.validate_on_submit():
        if here is not None:  # already one: nothing to add
            return redirect(url_for("accounts.shared_computers"))
        try:
            token = computers.add_computer(
                structure.id, current_user, form.label.data or ""
            )
        except AccountError:
            db.session.rollback()
            abort(400)
        db.session.commit()
        response = redirect(url_for("accounts.shared_computers"))
        response.set_cookie(
            computers.COMPUTER_COOKIE, token, max_age=ONE_YEAR, httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax",
        )  # fmt: skip
        flash(_("Cet ordinateur est maintenant un poste partagé."), "success")
        return response
    page = render_template(
        "accounts/shared_computers.html", structure=structure, here=here, form=form,
        computers=computers.computers_of(structure.id), revoke_form=ConfirmForm(),
    )  # fmt: skip
    return page, 400 if form.errors else 200


@bp.post("/structure/postes-partages/<int:computer_id>/retirer")
@roles_required(Role.REFERENT, Role.ADMIN)
def revoke_shared_computer(computer_id: int) -> BaseResponse:
    """Revoke one of the structure's computers: its cookie no longer counts."""
    structure = _own_structure()
    computer = computers.computer_of(structure.id, computer_id)
    if computer is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    here = computers.this_computer()
    computers.remove_computer(computer, current_user)
    db.session.commit()
    response = redirect(url_for("accounts.shared_computers"))
    if here is not None and here.id == computer.id:
        response.delete_cookie(computers.COMPUTER_COOKIE)
    flash(_("Ce poste n’est plus un poste partagé."), "success")
    return response


# ---- The idle countdown ---------------------------------------------------------------


@bp.post("/compte/encore-la")
@signed_in
def still_here() -> BaseResponse:
    """« Je suis encore là »: the session's idle time starts again. Answers the
    seconds left in JSON to the countdown's script, else goes back to the page."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    row = g.user_session
    if row is not None:
        row.last_seen_at = utcnow()
        db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(remaining=idle_seconds(g.session_state, fresh=True))
    return redirect(safe_next(request.form.get("next"), url_for("home.home")))


# ---- From the shared computer to the phone -------------------------------------------


def _invalid(status: int = 410) -> tuple[str, int]:
    return render_template("accounts/handoff_invalid.html"), status


@bp.post("/compte/telephone")
@roles_required(Role.LEARNER)
@limiter.limit("20 per hour")
def handoff_start() -> Response:
    """Show, on request, the QR code that signs the learner in on their phone."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    code, expires = handoffs.issue(current_user)
    db.session.commit()
    address = external_url("accounts.handoff_link", code=code)
    svg = segno.make(address, error="m").svg_inline(scale=6, dark="#000", light="#fff")
    minutes = max(1, round((expires - utcnow()) / timedelta(minutes=1)))
    short_address = external_url("accounts.handoff")
    page = render_template(
        "accounts/handoff_qr.html", qr_svg=svg, code=code, address=address,
        short_address_html=Markup('<bdi dir="ltr">%s</bdi>') % short_address,
        minutes=minutes,
    )  # fmt: skip
    return _no_store(Response(page))


# Codes tried by address, typed or opened from an address, count together.
HANDOFF_SCOPE = "handoff-codes"


def _failed_code(response: Response) -> bool:
    return response.status_code in (400, 409, 410)


def _sign_in_with(form: HandoffForm) -> BaseResponse | tuple[str, int]:
    if current_user.is_authenticated:
        owner = handoffs.check(form.code.data or "")
        if owner is not None and owner.id != current_user.id:
            return render_template("accounts/handoff_other_account.html"), 409
    user = handoffs.redeem(form.code.data or "")
    if user is None:
        db.session.rollback()
        return _invalid()
    if current_user.is_authenticated:  # the same learner: already here
        db.session.commit()
        return redirect(url_for("home.home"))
    shared_mode = bool(form.shared_device.data)
    if user.has_2fa:
        return await_second_factor(
            user, shared=shared_mode, target=url_for("home.home")
        )
    complete_login(user, shared=shared_mode, second_factor_done=False)
    return redirect(url_for("home.home"))


@bp.route("/suite", methods=["GET", "POST"])
@public
@limiter.shared_limit(
    _per_ip, HANDOFF_SCOPE, methods=["POST"], deduct_when=_failed_code
)
def handoff() -> BaseResponse | tuple[str, int]:
    """On the phone: type the code the computer shows (or come from its QR code)."""
    form = HandoffForm()
    if form.validate_on_submit():
        return _sign_in_with(form)
    page = render_template("accounts/handoff_form.html", form=form)
    return page, 400 if form.errors else 200


@bp.get("/suite/<code>")
@public
@secret_in_url
@limiter.shared_limit(_per_ip, HANDOFF_SCOPE, deduct_when=_failed_code)
def handoff_link(code: str) -> BaseResponse | tuple[str, int]:
    """The QR code's address: the code is filled in, one tap signs in. Opening it
    uses nothing up (a link preview must not), but says at once when it no longer
    works."""
    if handoffs.check(code) is None:
        return _invalid()
    form = HandoffForm(formdata=None, code=handoffs.normalise(code))
    return render_template("accounts/handoff_form.html", form=form, from_qr=True), 200
