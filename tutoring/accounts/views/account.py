"""Account pages: each acts on the signed-in person only, so no id is ever taken."""

from __future__ import annotations

import json

import segno
from flask import (
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from tutoring.accounts import audit, twofactor
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
)
from tutoring.accounts.models import Role
from tutoring.accounts.passwords import verify_password
from tutoring.accounts.rights import export_user_data, request_erasure
from tutoring.accounts.signin import revoke_all_sessions
from tutoring.accounts.users import set_password
from tutoring.core.extensions import db
from tutoring.core.forms import ConfirmForm
from tutoring.core.mail import send_mail

SETUP_KEY = "totp_setup_secret"


@bp.get("/compte/")
@signed_in
def overview() -> str:
    return render_template(
        "accounts/overview.html",
        recovery_left=twofactor.remaining_recovery_codes(current_user)
        if current_user.has_2fa
        else 0,
        two_factor_required=bool(
            {r.value for r in current_user.roles}
            & set(current_app.config["REQUIRE_2FA_ROLES"])
        ),
    )


@bp.route("/compte/mot-de-passe", methods=["GET", "POST"])
@signed_in
def change_password() -> BaseResponse | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if current_user.password_hash and not verify_password(
            current_user.password_hash, form.current_password.data or ""
        ):
            form.current_password.errors = [_("Le mot de passe actuel est incorrect.")]
            return render_template("accounts/password.html", form=form), 400
        assert form.password.data is not None
        set_password(current_user, form.password.data)
        revoke_all_sessions(current_user, keep=g.user_session)
        db.session.commit()
        if current_user.email:
            send_mail(
                current_user.email,
                _("Votre mot de passe a été modifié"),
                _(
                    "Bonjour,\n\nLe mot de passe de votre compte vient d’être modifié. "
                    "Si ce n’est pas vous, prévenez tout de suite l’association."
                ),
            )
        flash(
            _(
                "Votre mot de passe est enregistré. Vos autres connexions ont été fermées."
            ),
            "success",
        )
        return redirect(url_for("accounts.overview"))
    return render_template(
        "accounts/password.html", form=form
    ), 400 if form.errors else 200


@bp.route("/compte/double-authentification", methods=["GET", "POST"])
@signed_in
@allowed_before_2fa
def two_factor_setup() -> BaseResponse | tuple[str, int]:
    if current_user.has_2fa:
        return redirect(url_for("accounts.overview"))
    secret = session.get(SETUP_KEY) or twofactor.new_secret()
    session[SETUP_KEY] = secret
    form = EnableTwoFactorForm()
    if form.validate_on_submit():
        assert form.code.data is not None
        if not twofactor.check_totp(secret, form.code.data):
            form.code.errors = [
                _(
                    "Ce code ne correspond pas. Vérifiez l’heure de votre téléphone "
                    "et tapez le code affiché maintenant."
                )
            ]
        else:
            codes = twofactor.enable(current_user, secret)
            g.user_session.second_factor_done = True
            audit.record("two_factor_enabled", current_user, current_user)
            db.session.commit()
            session.pop(SETUP_KEY, None)
            return render_template("accounts/recovery_codes.html", codes=codes), 200
    uri = twofactor.provisioning_uri(
        secret, current_user.username, current_app.config["SITE_NAME"]
    )
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return (
        render_template(
            "accounts/two_factor_setup.html",
            form=form,
            secret=secret,
            qr_svg=qr_svg,
            required=needs_second_factor(current_user),
        ),
        400 if form.errors else 200,
    )


@bp.post("/compte/double-authentification/desactiver")
@signed_in
def two_factor_disable() -> BaseResponse:
    required = {r.value for r in current_user.roles} & set(
        current_app.config["REQUIRE_2FA_ROLES"]
    )
    if ConfirmForm().validate_on_submit() and not required:
        twofactor.disable(current_user)
        audit.record("two_factor_disabled", current_user, current_user)
        db.session.commit()
        flash(_("La double authentification est désactivée."), "success")
    elif required:
        flash(
            _("Votre rôle exige la double authentification : elle reste active."),
            "error",
        )
    return redirect(url_for("accounts.overview"))


@bp.post("/compte/codes-de-secours")
@signed_in
def recovery_codes() -> BaseResponse | tuple[str, int]:
    if not current_user.has_2fa or not ConfirmForm().validate_on_submit():
        return redirect(url_for("accounts.overview"))
    codes = twofactor.replace_recovery_codes(current_user)
    audit.record("recovery_codes_renewed", current_user, current_user)
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
    profile = current_user.learner_profile
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
