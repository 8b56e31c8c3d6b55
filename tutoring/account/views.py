"""Account pages: each acts on the signed-in person only, so no id is ever taken."""

from __future__ import annotations

import json

import segno
from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from tutoring.account import bp
from tutoring.account.forms import (
    ChangePasswordForm,
    EnableTwoFactorForm,
    ErasureRequestForm,
)
from tutoring.extensions import db
from tutoring.forms import ConfirmForm
from tutoring.models import Role
from tutoring.practice.labels import SKILL_LABELS
from tutoring.security import (
    allowed_before_2fa,
    needs_second_factor,
    roles_required,
    signed_in,
)
from tutoring.services import attestations, audit, twofactor
from tutoring.services.accounts import set_password
from tutoring.services.learners import export_user_data, request_erasure
from tutoring.services.mail import send_mail
from tutoring.services.passwords import verify_password
from tutoring.services.sessions import revoke_all_sessions

SETUP_KEY = "totp_setup_secret"


@bp.get("/")
@signed_in
def overview() -> str:
    return render_template(
        "account/overview.html",
        recovery_left=twofactor.remaining_recovery_codes(current_user)
        if current_user.has_2fa
        else 0,
        two_factor_required=bool(
            {r.value for r in current_user.roles}
            & set(current_app.config["REQUIRE_2FA_ROLES"])
        ),
    )


@bp.route("/mot-de-passe", methods=["GET", "POST"])
@signed_in
def change_password() -> BaseResponse | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if current_user.password_hash and not verify_password(
            current_user.password_hash, form.current_password.data or ""
        ):
            form.current_password.errors = [_("Le mot de passe actuel est incorrect.")]
            return render_template("account/password.html", form=form), 400
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
        return redirect(url_for("account.overview"))
    return render_template(
        "account/password.html", form=form
    ), 400 if form.errors else 200


@bp.route("/double-authentification", methods=["GET", "POST"])
@signed_in
@allowed_before_2fa
def two_factor_setup() -> BaseResponse | tuple[str, int]:
    if current_user.has_2fa:
        return redirect(url_for("account.overview"))
    secret = session.get(SETUP_KEY) or twofactor.new_secret()
    session[SETUP_KEY] = secret
    form = EnableTwoFactorForm()
    if form.validate_on_submit():
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
            return render_template("account/recovery_codes.html", codes=codes), 200
    uri = twofactor.provisioning_uri(
        secret, current_user.username, current_app.config["SITE_NAME"]
    )
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return (
        render_template(
            "account/two_factor_setup.html",
            form=form,
            secret=secret,
            qr_svg=qr_svg,
            required=needs_second_factor(current_user),
        ),
        400 if form.errors else 200,
    )


@bp.post("/double-authentification/desactiver")
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
    return redirect(url_for("account.overview"))


@bp.post("/codes-de-secours")
@signed_in
def recovery_codes() -> BaseResponse | tuple[str, int]:
    if not current_user.has_2fa or not ConfirmForm().validate_on_submit():
        return redirect(url_for("account.overview"))
    codes = twofactor.replace_recovery_codes(current_user)
    audit.record("recovery_codes_renewed", current_user, current_user)
    db.session.commit()
    return render_template("account/recovery_codes.html", codes=codes), 200


@bp.get("/mes-donnees")
@signed_in
def my_data() -> str:
    return render_template("account/my_data.html", data=export_user_data(current_user))


@bp.get("/mes-donnees.json")
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


@bp.route("/effacement", methods=["GET", "POST"])
@roles_required(Role.LEARNER)
def erasure() -> BaseResponse | tuple[str, int]:
    profile = current_user.learner_profile
    if profile is None:
        return redirect(url_for("account.overview"))
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
        return redirect(url_for("account.overview"))
    return render_template("account/erasure.html", form=form, profile=profile), (
        400 if form.errors else 200
    )


@bp.post("/attestation")
@roles_required(Role.LEARNER)
def attestation() -> str:
    """Issue a printable progress record with a verification code."""
    profile = current_user.learner_profile
    if profile is None or not ConfirmForm().validate_on_submit():
        abort(400)
    record = attestations.issue(profile)
    db.session.commit()
    return render_template(
        "account/attestation.html", record=record, skill_labels=SKILL_LABELS
    )


@bp.route("/agenda", methods=["GET", "POST"])
@signed_in
def calendar_feed() -> BaseResponse | str:
    """A private calendar address to subscribe to from a phone; shown once, it can
    be replaced (the old one stops working) or switched off."""
    from tutoring.services.sessions_tutoring import new_feed_token, revoke_feed

    url = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        if request.form.get("action") == "revoke":
            revoke_feed(current_user)
            db.session.commit()
            flash(_("L’adresse de votre agenda ne marche plus."), "success")
            return redirect(url_for("account.calendar_feed"))
        token = new_feed_token(current_user)
        db.session.commit()
        audit.record("calendar_feed_created", actor=current_user)
        url = url_for("sessions.feed", token=token, _external=True)
    return render_template(
        "account/calendar_feed.html",
        url=url,
        active=current_user.calendar_token_hash is not None,
        form=ConfirmForm(),
    )
