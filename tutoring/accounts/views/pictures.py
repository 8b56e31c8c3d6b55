"""Picture sign-in: the referent's settings (the structure, its shared computers, a
learner's picture and code) and the learner's two pages on a shared computer (their
picture, then their code). Failures answer 401 and count per account and per computer."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from tutoring.accounts import pictures
from tutoring.accounts import shared as computers
from tutoring.accounts.access import learner_or_404, public, roles_required
from tutoring.accounts.blueprint import bp
from tutoring.accounts.forms import SHARED_HERE, SHARED_LABEL
from tutoring.accounts.models import Role, SharedComputer, Structure
from tutoring.accounts.users import AccountError
from tutoring.accounts.views.signin import (
    _failed,
    _per_account,
    _per_ip,
    await_second_factor,
    complete_login,
)
from tutoring.core.extensions import db, limiter
from tutoring.core.forms import ConfirmForm

TAPS_KEY = "picture_taps"


def this_computer() -> SharedComputer | None:
    """The shared computer this browser is (its cookie), or None."""
    return computers.this_computer()


def _own_structure() -> Structure:
    """The signed-in referent's (or admin's) structure; 404 without one."""
    structure = db.session.get(Structure, current_user.structure_id or 0)
    if structure is None:
        abort(404)
    return structure


@bp.get("/apprenants/connexion-images")
@roles_required(Role.REFERENT, Role.ADMIN)
def picture_settings() -> str:
    structure = _own_structure()
    computer = this_computer()
    here = computer is not None and computer.structure_id == structure.id
    return render_template(
        "accounts/picture_settings.html", structure=structure, here=here,
        form=ConfirmForm(),
    )  # fmt: skip


@bp.post("/apprenants/connexion-images/activer")
@roles_required(Role.REFERENT, Role.ADMIN)
def toggle_pictures() -> BaseResponse:
    structure = _own_structure()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    pictures.set_structure_picture_signin(
        structure, not structure.picture_signin, current_user
    )
    db.session.commit()
    flash(
        _("La connexion par images est activée.")
        if structure.picture_signin
        else _("La connexion par images est désactivée."),
        "success",
    )
    return redirect(url_for("accounts.picture_settings"))


@bp.route("/apprenants/<int:profile_id>/images", methods=["GET", "POST"])
@roles_required(Role.REFERENT)
def learner_pictures(profile_id: int) -> Response | tuple[str, int]:
    """The learner chooses their picture with the referent; the code is shown once."""
    profile = learner_or_404(profile_id)
    user = profile.user
    if user is None:
        abort(404)
    form = ConfirmForm()
    free = pictures.free_pictures(profile.structure_id, user)
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        chosen = request.form.get("picture", "")
        try:
            code = pictures.issue(user, current_user, profile.structure_id, chosen)
        except AccountError:
            db.session.rollback()
            flash(_("Choisissez une des images libres."), "error")
            status = 400
        else:
            db.session.commit()
            page = render_template(
                "accounts/picture_sheet.html", profile=profile, user=user,
                picture=chosen, code=code, names=pictures.CODE_PICTURES,
                own_names=pictures.OWN_PICTURES,
            )  # fmt: skip
            response = Response(page)
            response.headers["Cache-Control"] = "no-store"
            return response
    page = render_template(
        "accounts/learner_pictures.html", profile=profile, user=user, free=free,
        names=pictures.OWN_PICTURES, active=pictures.active_for(user),
        structure_on=profile.structure.picture_signin, staff=not pictures.only_learner(user),
        form=form,
    )  # fmt: skip
    return page, status


@bp.post("/apprenants/<int:profile_id>/images/retirer")
@roles_required(Role.REFERENT)
def revoke_pictures(profile_id: int) -> BaseResponse:
    profile = learner_or_404(profile_id)
    if profile.user is None or not ConfirmForm().validate_on_submit():
        abort(400)
    if pictures.revoke(profile.user, current_user):
        db.session.commit()
        flash(_("La connexion par images est retirée."), "success")
    return redirect(url_for("home.learner", profile_id=profile.id))


# ---- On the shared computer ---------------------------------------------------------


@bp.get("/images")
@public
def picture_login() -> BaseResponse | str:
    """The structure's pictures (never a name), on its shared computers only."""
    if current_user.is_authenticated:
        return redirect(url_for("home.home"))
    structure = pictures.structure_on(this_computer())
    session.pop(TAPS_KEY, None)
    return render_template(
        "accounts/picture_login.html", structure=structure,
        choices=pictures.pictures_of(structure.id) if structure else [],
        names=pictures.OWN_PICTURES, shared_label=SHARED_LABEL, shared_here=SHARED_HERE,
    )  # fmt: skip


def _picture_account_key() -> str:
    """The account behind the picture touched: one counter per learner, like the
    password's (a new code starts a new counter)."""
    structure = pictures.structure_on(this_computer())
    picture = (request.view_args or {}).get("picture", "")
    row = pictures.row_for(structure.id, picture) if structure else None
    if row is None:
        return f"picture:none:{picture[:32]}"
    return f"account-id:{row.user_id}:picture:{row.id}"


@bp.route("/images/<picture>", methods=["GET", "POST"])
@public
@limiter.limit(
    _per_account, key_func=_picture_account_key, methods=["POST"],
    deduct_when=_failed,
)  # fmt: skip
@limiter.limit(_per_ip, methods=["POST"], deduct_when=_failed)
def picture_code(picture: str) -> BaseResponse | tuple[str, int]:
    """Touch the pictures of the code one by one; the fourth one signs in (or not)."""
    if current_user.is_authenticated:
        return redirect(url_for("home.home"))
    structure = pictures.structure_on(this_computer())
    if structure is None or picture not in pictures.pictures_of(structure.id):
        return redirect(url_for("accounts.picture_login"))
    state = session.get(TAPS_KEY) or {}
    taps: list[str] = (
        list(state.get("taps", [])) if state.get("picture") == picture else []
    )
    status = 200
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        tap = request.form.get("tap", "")
        if request.form.get("clear"):
            taps = []
        elif tap not in pictures.CODE_PICTURES:
            abort(400)
        else:
            taps = [*taps, tap][: pictures.CODE_LENGTH]
        if len(taps) == pictures.CODE_LENGTH:
            user = pictures.user_for(structure.id, picture, taps)
            session.pop(TAPS_KEY, None)
            if user is not None:
                if user.has_2fa:
                    return await_second_factor(
                        user, shared=True, target=url_for("home.home")
                    )
                complete_login(user, shared=True, second_factor_done=False)
                return redirect(url_for("home.home"))
            db.session.commit()
            taps, status = [], 401
            error = _("Ce n’est pas le bon code. Recommencez.")
        else:
            session[TAPS_KEY] = {"picture": picture, "taps": taps}
    page = render_template(
        "accounts/picture_code.html", picture=picture, taps=taps, error=error,
        length=pictures.CODE_LENGTH, code_pictures=pictures.CODE_PICTURES,
        names=pictures.OWN_PICTURES, form=ConfirmForm(),
    )  # fmt: skip
    return page, status
