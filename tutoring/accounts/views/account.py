"""Account pages: each acts on the signed-in person only. The one id taken is that of
one of the person's own sign-in sessions, checked against the account."""

from __future__ import annotations

import json

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response as BaseResponse

from tutoring.accounts import audit, signin, twofactor, users
from tutoring.accounts.access import (
    allowed_before_2fa,
    needs_second_factor,
    roles_required,
    signed_in,
)
from tutoring.accounts.blueprint import bp
from tutoring.accounts.forms import (
    ChangePasswordForm,
    EnableTwoFactorForm,
    ErasureRequestForm,
    RenewCodesForm,
    TwoFactorOffForm,
    filled,
)
from tutoring.accounts.labels import device_label
from tutoring.accounts.models import Role
from tutoring.accounts.rights import export_user_data, request_erasure
from tutoring.accounts.signin import (
    end_other_session,
    learner_profile,
    live_sessions,
    revoke_all_sessions,
)
from tutoring.accounts.users import AccountError
from tutoring.accounts.views.signin import CODES_SCOPE
from tutoring.core.extensions import db, limiter
from tutoring.core.forms import ConfirmForm

SETUP_KEY = "totp_setup_secret"


def _own_account_key() -> str:
    """The limiter's key for proofs typed on the account pages: the key of the codes
    typed at sign-in (`CODES_SCOPE`), so that both count towards one limit."""
    return f"account-id:{getattr(current_user, 'id', 'none')}"


def _per_account() -> str:
    return str(current_app.config["LOGIN_FAILURES_PER_ACCOUNT"])


def _failed(response: Response) -> bool:
    return response.status_code == 401


def _overview_page(
    renew: RenewCodesForm | None = None, off: TwoFactorOffForm | None = None
) -> str:
    return render_template(
        "accounts/overview.html",
        recovery_left=twofactor.remaining_recovery_codes(current_user)
        if current_user.has_2fa
        else 0,
        two_factor_required=twofactor.required_for(current_user),
        renew_form=renew or RenewCodesForm(formdata=None),
        off_form=off or TwoFactorOffForm(formdata=None),
        sessions=live_sessions(current_user),
        current_session=g.user_session,
        device_label=device_label,
    )


@bp.get("/compte/")
@signed_in
def overview() -> str:
    return _overview_page()


@bp.post("/compte/connexions/<int:user_session_id>/terminer")
@signed_in
def end_session(user_session_id: int) -> BaseResponse:
    """End one of the account's other sessions (a forgotten computer, a lost phone)."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("accounts.overview"))
    if not end_other_session(current_user, user_session_id, g.user_session):
        abort(404)
    audit.record("session_ended", current_user, current_user)
    db.session.commit()
    flash(_("Cette connexion est terminée."), "success")
    return redirect(url_for("accounts.overview"))


@bp.post("/compte/connexions/terminer-les-autres")
@signed_in
def end_other_sessions() -> BaseResponse:
    if ConfirmForm().validate_on_submit():
        revoke_all_sessions(current_user, keep=g.user_session)
        audit.record("other_sessions_ended", current_user, current_user)
        db.session.commit()
        flash(_("Vos autres connexions sont terminées."), "success")
    return redirect(url_for("accounts.overview"))


@bp.route("/compte/mot-de-passe", methods=["GET", "POST"])
@signed_in
def change_password() -> BaseResponse | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            users.change_password(
                current_user, form.current_password.data or "",
                filled(form.password.data), keep=g.user_session,
                card_code=form.card_code.data or "",
            )  # fmt: skip
        except AccountError as exc:
            form.refuse(exc)
            return _password_page(form), 400
        db.session.commit()
        users.mail_password_changed(current_user)
        flash(
            _(
                "Votre mot de passe est enregistré. Vos autres connexions ont été fermées."
            ),
            "success",
        )
        return redirect(url_for("accounts.overview"))
    return _password_page(form), 400 if form.errors else 200


def _password_page(form: ChangePasswordForm) -> str:
    """The password page; an account without one is asked its card's code unless it
    signed in a few minutes ago."""
    card_code_needed = not current_user.password_hash and not users.signed_in_recently(
        g.user_session
    )
    return render_template(
        "accounts/password.html", form=form, card_code_needed=card_code_needed
    )


@bp.route("/compte/double-authentification", methods=["GET", "POST"])
@signed_in
@allowed_before_2fa
def two_factor_setup() -> BaseResponse | tuple[str, int]:
    if current_user.has_2fa and not g.user_session.second_factor_done:
        # A session that skipped the code it now owes: it ends, never loops here.
        signin.end_session(g.user_session)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Reconnectez-vous : votre compte demande aussi un code."), "info")
        return redirect(url_for("home.home"))
    if current_user.has_2fa:
        return redirect(url_for("accounts.overview"))
    secret = session.get(SETUP_KEY) or twofactor.new_secret()
    session[SETUP_KEY] = secret
    form = EnableTwoFactorForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.turn_on(
                current_user, secret, filled(form.code.data), g.user_session
            )
        except AccountError as exc:
            form.refuse(exc)
        else:
            db.session.commit()
            session.pop(SETUP_KEY, None)
            return render_template("accounts/recovery_codes.html", codes=codes), 200
    qr_svg = twofactor.setup_qr_svg(
        secret, current_user.username, current_app.config["SITE_NAME"]
    )
    page = render_template(
        "accounts/two_factor_setup.html", form=form, secret=secret, qr_svg=qr_svg,
        required=needs_second_factor(current_user),
    )  # fmt: skip
    return page, 400 if form.errors else 200


@bp.post("/compte/double-authentification/desactiver")
@signed_in
@limiter.shared_limit(
    _per_account, CODES_SCOPE, key_func=_own_account_key, methods=["POST"],
    deduct_when=_failed,
)  # fmt: skip
def two_factor_disable() -> BaseResponse | tuple[str, int]:
    if twofactor.required_for(current_user):
        flash(
            _("Votre rôle exige la double authentification : elle reste active."),
            "error",
        )
        return redirect(url_for("accounts.overview"))
    if not current_user.has_2fa:
        return redirect(url_for("accounts.overview"))
    form = TwoFactorOffForm()
    if not form.validate_on_submit():
        return _overview_page(off=form), 400
    try:
        twofactor.turn_off(current_user, filled(form.proof.data))
    except AccountError as exc:
        db.session.rollback()
        form.refuse(exc)
        return _overview_page(off=form), 401
    db.session.commit()
    flash(_("La double authentification est désactivée."), "success")
    return redirect(url_for("accounts.overview"))


@bp.post("/compte/codes-de-secours")
@signed_in
@limiter.shared_limit(
    _per_account, CODES_SCOPE, key_func=_own_account_key, methods=["POST"],
    deduct_when=_failed,
)  # fmt: skip
def recovery_codes() -> BaseResponse | tuple[str, int]:
    if not current_user.has_2fa:
        return redirect(url_for("accounts.overview"))
    form = RenewCodesForm()
    if not form.validate_on_submit():
        return _overview_page(renew=form), 400
    try:
        codes = twofactor.renew_recovery_codes(current_user, filled(form.proof.data))
    except AccountError as exc:
        db.session.rollback()
        form.refuse(exc)
        return _overview_page(renew=form), 401
    db.session.commit()
    return render_template("accounts/recovery_codes.html", codes=codes), 200


@bp.get("/compte/mes-donnees")
@signed_in
def my_data() -> str:
    return render_template("accounts/my_data.html", data=export_user_data(current_user))


@bp.get("/compte/mes-donnees.json")
@signed_in
def my_data_json() -> Response:
    data = export_user_data(current_user)
    audit.record("data_exported", current_user, current_user)
    db.session.commit()
    response = Response(
        json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json"
    )
    response.headers["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    return response


@bp.route("/compte/effacement", methods=["GET", "POST"])
@roles_required(Role.LEARNER)
def erasure() -> BaseResponse | tuple[str, int]:
    profile = learner_profile(current_user)
    if profile is None:
        return redirect(url_for("accounts.overview"))
    form = ErasureRequestForm()
    if form.validate_on_submit():
        request_erasure(profile, current_user)
        db.session.commit()
        flash(
            _(
                "Votre demande est enregistrée. Votre référent ou référente effacera vos "
                "données dans un délai d’un mois au plus."
            ),
            "success",
        )
        return redirect(url_for("accounts.overview"))
    return render_template("accounts/erasure.html", form=form, profile=profile), (
        400 if form.errors else 200
    )
