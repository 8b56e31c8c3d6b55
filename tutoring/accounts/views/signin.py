"""Sign-in pages. Failed attempts answer 401 and count towards the rate limits."""

from __future__ import annotations

import time

from flask import (
    Response,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from tutoring.accounts import audit, cards, twofactor, users
from tutoring.accounts import shared as computers
from tutoring.accounts.access import (
    allowed_before_2fa,
    public,
    safe_next,
    secret_in_url,
    signed_in,
)
from tutoring.accounts.blueprint import bp
from tutoring.accounts.forms import (
    SHARED_HERE,
    CardLoginForm,
    ChoosePasswordForm,
    FinishSignupForm,
    ForgotPasswordForm,
    LoginForm,
    SecondFactorForm,
    TutorSignupForm,
    filled,
)
from tutoring.accounts.models import User
from tutoring.accounts.signin import end_session, revoke_all_sessions, start_session
from tutoring.core.codes import digest
from tutoring.core.errors import ErrorPage, render_error
from tutoring.core.extensions import db, limiter
from tutoring.core.urls import external_url

PENDING_KEY = "pending_2fa"


PENDING_SECONDS = 300


def lock_shared(form: LoginForm | CardLoginForm) -> None:
    """On a marked shared computer the box « Je suis sur un ordinateur partagé » is
    ticked and cannot be unticked (the server counts it ticked anyway), and the
    browser is asked not to remember what is typed as an identifier."""
    if computers.this_computer() is None:
        return
    form.shared_device.data = True
    form.shared_device.render_kw = {"disabled": True}
    form.shared_device.description = SHARED_HERE
    for name in ("login", "code"):
        if name in form:
            form[name].render_kw = {
                **(form[name].render_kw or {}),
                "autocomplete": "off",
            }


def _failed(response: Response) -> bool:
    return response.status_code == 401


def _account_key() -> str:
    """The account the typed login names, not the text typed: its username and its
    e-mail share one counter. A new password (by the e-mailed link) starts a new
    counter, which is how a locked-out owner unlocks the account at once."""
    typed = request.form.get("login", "")[:254].strip().lower()
    user = users.find_by_login(typed)
    if user is None:
        return "account:" + typed
    return f"account-id:{user.id}:{digest(user.password_hash or '-')[:12]}"


def _pending_key() -> str:
    pending = session.get(PENDING_KEY) or {}
    return f"account-id:{pending.get('uid', 'none')}"


def _per_account() -> str:
    return str(current_app.config["LOGIN_FAILURES_PER_ACCOUNT"])


def _per_ip() -> str:
    return str(current_app.config["LOGIN_FAILURES_PER_IP"])


def _record_failure(method: str, target: User | None) -> None:
    """Write a refused sign-in to the audit log: how, and the account aimed at when
    it exists (never what was typed)."""
    audit.record("sign_in_failed", None, target, method=method)
    db.session.commit()


def complete_login(user: User, *, shared: bool, second_factor_done: bool) -> None:
    """Open a fresh server-side session: a new cookie and a new CSRF token. On a
    marked shared computer the session is a shared-computer one, ticked or not."""
    session.clear()
    computer = computers.this_computer()
    if computer is not None:
        shared_mode = True
        computers.seen(computer)
    else:
        shared_mode = shared
    token = start_session(
        user, shared_device=shared_mode, second_factor_done=second_factor_done,
        user_agent=request.headers.get("User-Agent", ""),
    )  # fmt: skip
    user.session_token = token
    login_user(user, remember=False)
    session.permanent = not shared_mode  # a shared computer forgets it on closing
    db.session.commit()


@bp.errorhandler(429)
def too_many_attempts(error: HTTPException) -> ErrorPage:
    """A locked account: say how to unlock it now instead of waiting."""
    locked = any(
        limit.breached and "/account-id:" in limit.key
        for limit in limiter.current_limits
    )
    if request.endpoint != "accounts.login" or not locked:
        return render_error(429)
    return render_error(
        429,
        _(
            "Trop d’essais avec un mauvais mot de passe : ce compte est bloqué pour "
            "quelques minutes. Pour le débloquer tout de suite, choisissez un nouveau "
            "mot de passe grâce au lien envoyé par e-mail."
        ),
        (url_for("accounts.forgot_password"), _("Recevoir le lien par e-mail")),
    )


@bp.route("/connexion", methods=["GET", "POST"])
@public
@limiter.limit(
    _per_account, key_func=_account_key, methods=["POST"], deduct_when=_failed
)
@limiter.limit(_per_ip, methods=["POST"], deduct_when=_failed)
def login() -> BaseResponse | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("home.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    lock_shared(form)
    if form.validate_on_submit():
        user = users.authenticate(*form.credentials())
        if user is None:
            db.session.rollback()
            _record_failure("password", users.find_by_login(form.credentials()[0]))
            form.password.errors = [_("Identifiant ou mot de passe incorrect.")]
            return render_template("accounts/login.html", form=form), 401
        target = safe_next(form.next.data, url_for("home.home"))
        shared = bool(form.shared_device.data)
        if user.has_2fa:
            return await_second_factor(user, shared=shared, target=target)
        complete_login(user, shared=shared, second_factor_done=False)
        return redirect(target)
    return render_template(
        "accounts/login.html", form=form, signed_out=request.args.get("fin") == "1"
    ), 400 if form.errors else 200


def await_second_factor(user: User, *, shared: bool, target: str) -> BaseResponse:
    """The password is right: remember the account for a few minutes, until the
    second factor; nobody is signed in yet."""
    db.session.commit()  # keep a rehashed password
    session.clear()
    session[PENDING_KEY] = {
        "uid": user.id, "shared": shared, "next": target, "at": int(time.time())
    }  # fmt: skip
    return redirect(url_for("accounts.second_factor"))


# Codes typed at sign-in and proofs typed on the account pages share one limit per
# account (the key names the account's id, the scope is the same).
CODES_SCOPE = "account-codes"


@bp.route("/connexion/code", methods=["GET", "POST"])
@public
@limiter.shared_limit(
    _per_account, CODES_SCOPE, key_func=_pending_key, methods=["POST"],
    deduct_when=_failed,
)  # fmt: skip
@limiter.limit(_per_ip, methods=["POST"], deduct_when=_failed)
def second_factor() -> BaseResponse | tuple[str, int]:
    pending = session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        flash(_("Reprenez la connexion depuis le début."), "info")
        return redirect(url_for("accounts.login"))
    user = db.session.get(User, pending["uid"])
    if user is None or not user.is_active:
        session.pop(PENDING_KEY, None)
        return redirect(url_for("accounts.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        if not twofactor.verify_second_factor(user, filled(form.code.data)):
            db.session.rollback()
            _record_failure("second_factor", user)
            form.code.errors = [
                _("Ce code n’est pas valable. Vérifiez l’heure de votre téléphone.")
            ]
            return render_template("accounts/second_factor.html", form=form), 401
        complete_login(user, shared=pending["shared"], second_factor_done=True)
        return redirect(safe_next(pending.get("next"), url_for("home.home")))
    return render_template(
        "accounts/second_factor.html", form=form
    ), 400 if form.errors else 200


@bp.route("/carte", methods=["GET", "POST"])
@public
@limiter.limit(_per_ip, methods=["POST"], deduct_when=_failed)
def card_login() -> BaseResponse | tuple[str, int]:
    form = CardLoginForm()
    lock_shared(form)
    if form.validate_on_submit():
        user = cards.user_for_card(filled(form.code.data))
        if user is None:
            db.session.rollback()
            _record_failure("card", None)
            form.code.errors = [
                _(
                    "Ce code ne fonctionne pas. Vérifiez-le, ou demandez une nouvelle "
                    "carte à votre référent ou référente."
                )
            ]
            return render_template("accounts/card_login.html", form=form), 401
        shared = bool(form.shared_device.data)
        if user.has_2fa:  # the card replaces the password, not the second factor
            return await_second_factor(user, shared=shared, target=url_for("home.home"))
        complete_login(user, shared=shared, second_factor_done=False)
        return redirect(url_for("home.home"))
    return render_template(
        "accounts/card_login.html", form=form
    ), 400 if form.errors else 200


@bp.get("/c/<code>")
@public
@secret_in_url
def card_link(code: str) -> Response:
    """The QR code's address: the code is filled in, one tap signs in."""
    form = CardLoginForm(code=code[:40])
    lock_shared(form)
    response = Response(
        render_template("accounts/card_login.html", form=form, from_qr=True)
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


CLEAR_SITE_DATA = '"cache", "storage"'


@bp.post("/deconnexion")
@signed_in
@allowed_before_2fa
def logout() -> BaseResponse:
    """Sign out: the session ends on the server, and the browser is asked to forget
    the site's cache and storage (`Clear-Site-Data`; not its cookies, so that a
    shared computer's mark survives). On a shared computer the session cookie is
    expired too, and the next person lands on the sign-in page."""
    state = g.get("session_state")
    shared_mode = bool(state and state.shared_device) or (
        computers.this_computer() is not None
    )
    row = g.get("user_session")
    if row is not None:
        end_session(row)
    logout_user()
    session.clear()
    db.session.commit()
    if shared_mode:
        # No message kept in the session: an empty session expires its cookie.
        response = redirect(url_for("accounts.login", fin=1))
    else:
        flash(_("Vous êtes déconnecté. À bientôt !"), "success")
        response = redirect(url_for("home.home"))
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@bp.route("/devenir-benevole", methods=["GET", "POST"])
@public
@limiter.limit("20 per hour", methods=["POST"])
def tutor_signup() -> BaseResponse | tuple[str, int]:
    """The same answer whether or not the address has an account: the rest goes on
    by e-mail, where only the address's owner reads it."""
    if current_user.is_authenticated:
        return redirect(url_for("home.home"))
    form = TutorSignupForm()
    if form.validate_on_submit():
        users.start_tutor_signup(
            form.signup(str(get_locale())), finish_link=signup_address,
            forgot_link=url_for("accounts.forgot_password", _external=True),
        )  # fmt: skip
        flash(
            _(
                "Merci ! Pour continuer, ouvrez l’e-mail que nous venons d’envoyer à "
                "%(email)s. S’il n’arrive pas, regardez dans les courriers indésirables.",
                email=filled(form.email.data),
            ),
            "info",
        )
        return redirect(url_for("home.home"))
    return render_template(
        "accounts/tutor_signup.html", form=form
    ), 400 if form.errors else 200


def signup_address(token: str) -> str:
    """The page to finish a sign-up with this token, as a full address for a mail."""
    return url_for("accounts.finish_signup", token=token, _external=True)


@bp.route("/devenir-benevole/<token>", methods=["GET", "POST"])
@public
def finish_signup(token: str) -> BaseResponse | tuple[str, int]:
    """The e-mailed link: choose a password, and the account is created."""
    if current_user.is_authenticated:
        return redirect(url_for("home.home"))
    signup = users.signup_from_token(token)
    if signup is None:
        return render_template("accounts/signup_link_invalid.html"), 404
    form = FinishSignupForm()
    if form.validate_on_submit():
        try:
            user = users.register_tutor(signup, filled(form.password.data))
        except users.AccountError:
            db.session.rollback()
            return render_template("accounts/signup_link_invalid.html"), 404
        complete_login(user, shared=False, second_factor_done=False)
        flash(
            _(
                "Merci ! Votre inscription est enregistrée. Votre identifiant est "
                "%(username)s. Vous pouvez aussi vous connecter avec votre adresse "
                "e-mail.",
                username=user.username,
            ),
            "success",
        )
        return redirect(url_for("home.home"))
    page = render_template("accounts/finish_signup.html", form=form, signup=signup)
    response = make_response(page, 400 if form.errors else 200)
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the address
    return response


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@public
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password() -> BaseResponse | tuple[str, int]:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        users.mail_password_link(filled(form.email.data), password_address)
        flash(
            _(
                "Si un compte correspond à cette adresse, un e-mail vient de lui être "
                "envoyé avec un lien pour choisir un nouveau mot de passe."
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template(
        "accounts/forgot_password.html", form=form
    ), 400 if form.errors else 200


def password_address(token: str) -> str:
    """The page to choose a password with this token, as a full address for a mail."""
    return external_url("accounts.choose_password", token=token)


@bp.route("/mot-de-passe/<token>", methods=["GET", "POST"])
@public
@secret_in_url
def choose_password(token: str) -> BaseResponse | tuple[str, int]:
    user = users.user_from_password_token(token)
    if user is None:
        return render_template("accounts/password_link_invalid.html"), 404
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        users.set_password(user, filled(form.password.data))
        revoke_all_sessions(user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(
            _("Votre mot de passe est enregistré. Vous pouvez vous connecter."),
            "success",
        )
        return redirect(url_for("accounts.login"))
    response = render_template("accounts/choose_password.html", form=form, user=user)
    return response, 400 if form.errors else 200
