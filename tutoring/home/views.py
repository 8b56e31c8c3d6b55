"""Home, language picker, accessibility statement, privacy notice, charter, health."""

from __future__ import annotations

from datetime import date

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text
from werkzeug.wrappers import Response as BaseResponse

from tutoring.accounts import outbox
from tutoring.accounts.access import (
    allowed_before_2fa,
    learner_or_404,
    public,
    roles_required,
    secret_in_url,
    signed_in,
)
from tutoring.accounts.enrolment import (
    PRIVACY_NOTICE_VERSION,
    learners_of,
)
from tutoring.accounts.labels import (
    AGE_BAND_LABELS,
    GOAL_LABELS,
    PUBLIC_CATEGORY_LABELS,
    SEX_LABELS,
)
from tutoring.accounts.models import Role
from tutoring.accounts.profiles import (
    LearnerProfile,
)
from tutoring.accounts.signin import learner_profile
from tutoring.accounts.users import CHARTER_VERSION
from tutoring.core.database import utcnow
from tutoring.core.extensions import csrf, db
from tutoring.core.forms import ConfirmForm
from tutoring.core.i18n import (
    LANG_COOKIE,
)
from tutoring.core.labels import SKILL_LABELS, THEME_LABELS
from tutoring.home import attestations, parcours
from tutoring.home.attestations import find
from tutoring.home.blueprint import bp
from tutoring.home.dashboard import dashboard, learner_file, learner_home, referent_home
from tutoring.home.forms import (
    CARD_LABELS,
    CIVIC_LABELS,
    LEVEL_NEEDED_LABELS,
    PROTECTION_LABELS,
    LanguageForm,
    ParcoursForm,
    ParcoursOverrideForm,
)
from tutoring.indicators.forms import CERTIFICATE_LABELS, OUTCOME_LABELS, OutcomeForm
from tutoring.indicators.outcomes import outcomes_with_validity
from tutoring.learning.forms import SOURCE_LABELS, ExternalLevelForm
from tutoring.pairing.availability import places_of
from tutoring.pairing.models import PairingStatus
from tutoring.pairing.pairings import (
    active_pairing,
    open_pairings_of,
    tutor_learner_ids,
)
from tutoring.reviews.marking import review_queue
from tutoring.sessions import booking, slots
from tutoring.sessions.agenda import (
    sessions_of_pairing,
    tutor_agenda,
)

PROFILE_LABELS = {
    "category": PUBLIC_CATEGORY_LABELS,
    "goal": GOAL_LABELS,
    "sex": SEX_LABELS,
    "age": AGE_BAND_LABELS,
}


@bp.get("/")
@public
def home() -> str:
    if not current_user.is_authenticated:
        return render_template("home/landing.html")
    context: dict[str, object] = {"notices": outbox.notices(current_user)}
    profile = learner_profile(current_user)
    if current_user.has_role(Role.LEARNER) and profile is not None:
        context.update(learner_home(profile), skill_labels=SKILL_LABELS)
    if current_user.has_role(Role.REFERENT):
        context.update(referent_home(current_user.structure_id))
    if current_user.has_role(Role.TUTOR):
        pairings = open_pairings_of(current_user)
        context["tutor_pairings"] = {
            "proposed": sum(p.status == PairingStatus.PROPOSED for p in pairings),
            "active": sum(p.status == PairingStatus.ACTIVE for p in pairings),
        }
    return render_template("home/home.html", **context)


@bp.post("/langue")
@public
@allowed_before_2fa
def set_language() -> BaseResponse:
    """Remember the chosen language for the browser and, if signed in, the account."""
    form = LanguageForm()
    form.refusal()
    response = redirect(form.back_to(url_for("home.home")))
    if (lang := form.locale()) is not None:
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )  # fmt: skip
        if current_user.is_authenticated and current_user.locale != lang:
            current_user.locale = lang
            db.session.commit()
    return response


@bp.get("/accessibilite")
@public
@allowed_before_2fa
def accessibility() -> str:
    return render_template("home/accessibility.html")


@bp.get("/confidentialite")
@public
@allowed_before_2fa
def privacy() -> str:
    return render_template("home/privacy.html", version=PRIVACY_NOTICE_VERSION)


@bp.get("/charte-du-benevole")
@public
@allowed_before_2fa
def charter() -> str:
    return render_template("home/charter.html", version=CHARTER_VERSION)


@bp.get("/attestation/<code>")
@public
@secret_in_url
@allowed_before_2fa
def check_attestation(code: str) -> tuple[str, int]:
    """Anyone given an attestation's code can check that it is genuine."""
    record = find(code[:30])
    return (
        render_template(
            "home/attestation_check.html", record=record, skill_labels=SKILL_LABELS
        ),
        200 if record else 404,
    )


@bp.get("/sante")
@public
@allowed_before_2fa
@csrf.exempt  # type: ignore[untyped-decorator]  # flask_wtf ships no types
def health() -> tuple[BaseResponse, int]:
    """For the reverse proxy and monitoring: is the database reachable?"""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        return jsonify(status="error"), 503
    return jsonify(status="ok"), 200


@bp.post("/nouvelles/<int:message_id>/lu")
@signed_in
def dismiss_notice(message_id: int) -> BaseResponse:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not outbox.dismiss(current_user, message_id):
        abort(404)
    db.session.commit()
    return redirect(url_for("home.home"))


@bp.get("/tuteur/")
@roles_required(Role.TUTOR)
def volunteer() -> str:
    pairings = open_pairings_of(current_user)
    return render_template(
        "home/volunteer.html",
        proposed=[p for p in pairings if p.status == PairingStatus.PROPOSED],
        active=[p for p in pairings if p.status == PairingStatus.ACTIVE],
        queue=len(review_queue(current_user)),
        agenda=tutor_agenda(current_user),
        now=utcnow(),
        form=ConfirmForm(),
    )


@bp.get("/tuteur/apprenants/<int:profile_id>")
@roles_required(Role.TUTOR)
def volunteer_learner(profile_id: int) -> str:
    if profile_id not in tutor_learner_ids(current_user):
        abort(404)
    profile = db.session.get(LearnerProfile, profile_id)
    if profile is None or profile.user is None:
        abort(404)
    pairing = active_pairing(current_user, profile_id) or abort(404)
    places = places_of(current_user.structure_id)
    blocks = slots.common_blocks(current_user, profile, places)
    draft = session.pop(slots.BOOKING_DRAFT, None)
    if not isinstance(draft, dict) or draft.get("profile_id") != profile_id:
        draft = None
    return render_template(
        "home/volunteer_learner.html",
        profile=profile,
        board=dashboard(profile),
        skill_labels=SKILL_LABELS,
        sessions=sessions_of_pairing({pairing.id}),
        places=places,
        blocks=blocks,
        proposals=slots.next_slots(
            blocks,
            utcnow(),
            lambda place, starts, ends: booking.taken(
                current_user.id, profile.id, place, starts, ends
            ),
        ),  # fmt: skip
        draft=draft,
        now=utcnow(),
        form=ConfirmForm(),
    )


@bp.get("/apprenants/")
@roles_required(Role.REFERENT)
def learners() -> str:
    query = request.args.get("q", "").strip().lower()[:80]
    profiles = learners_of(current_user)
    if query:
        profiles = [
            p
            for p in profiles
            if p.user
            and (query in p.user.display_name.lower() or query in p.user.username)
        ]
    return render_template("home/learners.html", profiles=profiles, query=query)


@bp.get("/apprenants/<int:profile_id>")
@roles_required(Role.REFERENT)
def learner(profile_id: int) -> str:
    profile = learner_or_404(profile_id)
    return render_template(
        "home/learner.html", profile=profile, **learner_file(profile),
        skill_labels=SKILL_LABELS, theme_labels=THEME_LABELS,
        level_form=ExternalLevelForm(formdata=None, taken_on=date.today()),
        outcome_form=OutcomeForm(formdata=None, obtained_on=date.today()),
        outcome_labels=OUTCOME_LABELS, source_labels=SOURCE_LABELS,
        labels=PROFILE_LABELS, form=ConfirmForm(), **_parcours_context(profile),
        override_form=_override_form(profile),
    )  # fmt: skip


PARCOURS_LABELS = {
    "card": CARD_LABELS, "civic": CIVIC_LABELS, "level": LEVEL_NEEDED_LABELS,
    "protection": PROTECTION_LABELS, "certificate": CERTIFICATE_LABELS,
}  # fmt: skip


def _parcours_context(profile: LearnerProfile) -> dict[str, object]:
    return {
        **parcours.parcours_of(profile), "rules": parcours.RULES,
        "sources": parcours.SOURCES, "check_sentence": parcours.CHECK_SENTENCE,
        "checked_on": parcours.checked_on(current_app.config["PARCOURS_CHECKED_ON"]),
        "parcours_labels": PARCOURS_LABELS,
    }  # fmt: skip


def _override_form(profile: LearnerProfile) -> ParcoursOverrideForm:
    row = parcours.answers_of(profile)
    return ParcoursOverrideForm(
        formdata=None, level=(row.override_level if row else None) or "",
        civic=(row.override_civic if row else None) or "",
        note=(row.override_note if row else None) or "",
    )  # fmt: skip


@bp.route("/mon-parcours", methods=["GET", "POST"])
@roles_required(Role.LEARNER)
def my_parcours() -> BaseResponse | tuple[str, int] | str:
    """Which level and civic exam the learner's goal needs, and the exemptions."""
    profile = learner_profile(current_user) or abort(404)
    form = ParcoursForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            parcours.save_answers(profile, **form.answers())
            db.session.commit()
            flash(_("Vos réponses sont enregistrées."), "success")
            return redirect(url_for("home.my_parcours") + "#resultat")
        status = 400
    else:
        row = parcours.answers_of(profile)
        form.fill(row, parcours.situation_of(profile, row))
    return render_template(
        "home/parcours.html", profile=profile, parcours_form=form,
        outcomes=outcomes_with_validity(profile), outcome_labels=OUTCOME_LABELS,
        **_parcours_context(profile),
    ), status  # fmt: skip


@bp.post("/apprenants/<int:profile_id>/parcours")
@roles_required(Role.REFERENT)
def parcours_override(profile_id: int) -> BaseResponse:
    """The referent corrects the « Mon parcours » result (the learner sees it)."""
    profile = learner_or_404(profile_id)
    form = ParcoursOverrideForm()
    back = redirect(url_for("home.learner", profile_id=profile.id) + "#parcours")
    if not form.validate_on_submit():
        flash(_("Correction non enregistrée : la note fait 500 caractères au plus."),
              "error")  # fmt: skip
        return back
    parcours.save_override(
        profile, current_user, level=form.level.data, civic=form.civic.data,
        note=form.note.data,
    )  # fmt: skip
    db.session.commit()
    flash(_("La correction est enregistrée ; l’apprenant la voit sur sa page."),
          "success")  # fmt: skip
    return back


@bp.post("/compte/attestation")
@roles_required(Role.LEARNER)
def attestation() -> str:
    """Issue a printable progress record with a verification code."""
    profile = learner_profile(current_user)
    if profile is None or not ConfirmForm().validate_on_submit():
        abort(400)
    record = attestations.issue(profile)
    db.session.commit()
    return render_template(
        "home/attestation.html", record=record, skill_labels=SKILL_LABELS
    )
