"""Tutor pages. A tutor only ever sees the learners of their own active pairings."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from exercises.model import LEVELS, SKILLS, THEMES
from tutoring.extensions import db
from tutoring.forms import ConfirmForm
from tutoring.i18n import SPOKEN_LANGUAGES, language_name
from tutoring.models import (
    Attendance,
    LearnerProfile,
    Pairing,
    PairingStatus,
    Role,
    Sex,
    TutoringSession,
)
from tutoring.models.base import utcnow
from tutoring.practice.labels import SKILL_LABELS, THEME_LABELS
from tutoring.security import roles_required
from tutoring.services import availability
from tutoring.services import sessions_tutoring as sessions
from tutoring.services import tutoring as service
from tutoring.services.availability import places_of
from tutoring.services.progress import dashboard
from tutoring.services.tutoring import TutoringError
from tutoring.sessions_bp.booking import (
    book_fields,
    booking_error,
    notify_booked,
    notify_moved,
    read_when,
)
from tutoring.tutor import bp

SEXES = tuple(s.value for s in Sex)


def _approved() -> None:
    if not current_user.is_approved_tutor:
        abort(403)


@bp.get("/")
@roles_required(Role.TUTOR)
def index() -> str:
    _approved()
    pairings = db.session.scalars(
        select(Pairing)
        .where(Pairing.tutor_id == current_user.id, Pairing.status.in_(service.OPEN))
        .order_by(Pairing.created_at)
    ).all()
    return render_template(
        "tutor/index.html",
        proposed=[p for p in pairings if p.status == PairingStatus.PROPOSED],
        active=[p for p in pairings if p.status == PairingStatus.ACTIVE],
        queue=len(service.review_queue(current_user)),
        agenda=sessions.tutor_agenda(current_user),
        now=utcnow(),
        form=ConfirmForm(),
    )


def _own_pairing(pairing_id: int) -> Pairing:
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None or pairing.tutor_id != current_user.id:
        abort(404)
    return pairing


@bp.post("/jumelage/<int:pairing_id>/reponse")
@roles_required(Role.TUTOR)
def respond(pairing_id: int) -> BaseResponse:
    _approved()
    pairing = _own_pairing(pairing_id)
    answer = request.form.get("answer")
    if not ConfirmForm().validate_on_submit() or answer not in ("accept", "decline"):
        abort(400)
    reason = request.form.get("reason", "")
    if answer == "decline" and not reason.strip():
        flash(
            _(
                "Indiquez la raison du refus : elle aide l’association à proposer mieux."
            ),
            "error",
        )
        return redirect(url_for("tutor.index"))
    try:
        service.respond(current_user, pairing, accept=answer == "accept", reason=reason)
    except service.TutoringError:
        abort(409)
    db.session.commit()
    flash(_("Merci, votre réponse est enregistrée."), "success")
    return redirect(url_for("tutor.index"))


@bp.get("/apprenants/<int:profile_id>")
@roles_required(Role.TUTOR)
def learner(profile_id: int) -> str:
    _approved()
    if profile_id not in service.tutor_learner_ids(current_user):
        abort(404)
    profile = db.session.get(LearnerProfile, profile_id)
    if profile is None or profile.user is None:
        abort(404)
    pairing = _active_pairing(profile_id)
    return render_template(
        "tutor/learner.html",
        profile=profile,
        board=dashboard(profile),
        skill_labels=SKILL_LABELS,
        sessions=sessions.sessions_of_pairing({pairing.id}),
        places=places_of(current_user.structure_id),
        now=utcnow(),
        form=ConfirmForm(),
    )


def _active_pairing(profile_id: int) -> Pairing:
    pairing = db.session.scalar(
        select(Pairing).where(
            Pairing.tutor_id == current_user.id,
            Pairing.learner_id == profile_id,
            Pairing.status == PairingStatus.ACTIVE,
        )
    )
    if pairing is None:
        abort(404)
    return pairing


@bp.post("/apprenants/<int:profile_id>/seances")
@roles_required(Role.TUTOR)
def book(profile_id: int) -> BaseResponse:
    """Schedule a session (once or weekly) with a paired learner, Millau time."""
    _approved()
    pairing = _active_pairing(profile_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back = redirect(url_for("tutor.learner", profile_id=profile_id))
    fields = book_fields(current_user.structure_id)
    if fields is None:
        return back
    try:
        booked = sessions.book_session(current_user, pairing, **fields)
    except TutoringError as exc:
        flash(booking_error(exc), "error")
        return back
    notify_booked(booked)
    flash(
        ngettext("La séance est programmée.", "%(num)s séances sont programmées.",
                 len(booked)),
        "success",
    )  # fmt: skip
    return back


@bp.route("/ateliers/nouveau", methods=["GET", "POST"])
@roles_required(Role.TUTOR)
def workshop() -> BaseResponse | tuple[str, int]:
    """A group workshop for several of the tutor's learners, once or weekly."""
    _approved()
    pairings = {
        p.learner_id: p
        for p in db.session.scalars(
            select(Pairing).where(
                Pairing.tutor_id == current_user.id,
                Pairing.status == PairingStatus.ACTIVE,
            )
        )
    }
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        chosen = request.form.getlist("learners")
        if not all(v.isdigit() and int(v) in pairings for v in chosen):
            abort(400)
        title = request.form.get("title", "").strip()[:120]
        fields = book_fields(current_user.structure_id)
        if fields is None:
            return redirect(url_for("tutor.workshop"))
        if not title:
            error = _("Donnez un titre à l’atelier.")
        else:
            try:
                booked = sessions.book(
                    sessions.Booking(
                        tutor_id=current_user.id,
                        learners=[(int(v), pairings[int(v)].id) for v in chosen],
                        workshop=title, **fields,
                    )
                )  # fmt: skip
            except TutoringError as exc:
                error = booking_error(exc)
            else:
                notify_booked(booked)
                flash(_("L’atelier est programmé."), "success")
                return redirect(url_for("tutor.index"))
    return (
        render_template(
            "tutor/workshop.html", pairings=list(pairings.values()), error=error,
            places=places_of(current_user.structure_id), form=ConfirmForm(),
        ),
        400 if error else 200,
    )  # fmt: skip


def _own_session(session_id: int) -> TutoringSession:
    session = db.session.get(TutoringSession, session_id)
    if session is None or session.tutor_id != current_user.id:
        abort(404)
    return session


@bp.route("/seances/<int:session_id>/deplacer", methods=["GET", "POST"])
@roles_required(Role.TUTOR)
def reschedule(session_id: int) -> BaseResponse | tuple[str, int]:
    """Move a session in one step; the learners are told and asked to confirm."""
    _approved()
    session = _own_session(session_id)
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        try:
            day, at, minutes = read_when()
        except ValueError:
            error = _("Indiquez une date, une heure et une durée valables.")
        else:
            try:
                rows = sessions.reschedule(
                    session, current_user, day=day, at=at, minutes=minutes,
                    reason=request.form.get("reason", ""),
                )  # fmt: skip
            except TutoringError as exc:
                error = booking_error(exc)
            else:
                notify_moved(rows)
                flash(_("La séance est déplacée ; l’apprenant est prévenu."), "success")
                return redirect(url_for("tutor.index"))
    return (
        render_template(
            "tutor/reschedule.html", session=session, error=error, form=ConfirmForm(),
            local=sessions.local,
        ),
        400 if error else 200,
    )  # fmt: skip


@bp.route("/seances/<int:session_id>/compte-rendu", methods=["GET", "POST"])
@roles_required(Role.TUTOR)
def report(session_id: int) -> BaseResponse | tuple[str, int]:
    """After the session: attendance of each learner, real duration, what was worked
    on, homework from the bank, a note for the learners and one for the referent."""
    _approved()
    session = _own_session(session_id)
    rows = [r for r in sessions.slot_rows(session) if r.status.value != "cancelled"]
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        attendance = {}
        for row in rows:
            value = request.form.get(f"attendance-{row.id}", "")
            if value in {a.value for a in Attendance}:
                attendance[row.id] = Attendance(value)
        minutes = request.form.get("minutes", "")
        skills = [v for v in request.form.getlist("skills") if v in SKILLS]
        themes = [v for v in request.form.getlist("themes") if v in THEMES]
        homework_theme = request.form.get("homework_theme", "")
        homework_count = request.form.get("homework_count", "0")
        if len(attendance) != len(rows) or not minutes.isdigit():
            error = _("Indiquez la présence de chacun et la durée réelle en minutes.")
        elif homework_theme and (
            homework_theme not in THEMES
            or not homework_count.isdigit()
            or not 1 <= int(homework_count) <= 10
        ):
            error = _("Choisissez un thème et de 1 à 10 exercices pour le devoir.")
        else:
            try:
                sessions.record_report(
                    session, attendance=attendance, minutes=int(minutes),
                    note_for_learner=request.form.get("note_for_learner", ""),
                    note_for_referent=request.form.get("note_for_referent", ""),
                    skills=skills, themes=themes,
                )  # fmt: skip
                if homework_theme:
                    given = sessions.give_homework(
                        current_user, rows, theme=homework_theme,
                        count=int(homework_count),
                        title=_("Devoir de la séance : %(theme)s",
                                theme=str(THEME_LABELS[homework_theme])),
                    )  # fmt: skip
                    if not given:
                        raise TutoringError("no_items")
            except TutoringError as exc:
                db.session.rollback()
                error = (
                    _(
                        "Aucun exercice de ce thème à ce niveau : choisissez-en un autre."
                    )
                    if exc.code == "no_items"
                    else _("Le compte rendu se fait après le début de la séance.")
                )
            else:
                db.session.commit()
                flash(_("Le compte rendu est enregistré."), "success")
                if session.workshop:
                    return redirect(url_for("tutor.index"))
                return redirect(url_for("tutor.learner", profile_id=session.learner_id))
    page = render_template(
        "tutor/report.html", session=session, rows=rows, error=error,
        form=ConfirmForm(), skill_labels=SKILL_LABELS, theme_labels=THEME_LABELS,
    )  # fmt: skip
    return page, 400 if error else 200


def _date_or_none(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


@bp.route("/profil", methods=["GET", "POST"])
@roles_required(Role.TUTOR)
def profile() -> BaseResponse | tuple[str, int]:
    """Languages, availability, places, preferences and absences of a volunteer."""
    tutor_profile = current_user.tutor_profile
    if tutor_profile is None:
        abort(403)
    structure_id = tutor_profile.structure_id or current_user.structure_id
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        form = request.form
        languages = [c for c in form.getlist("languages") if c in SPOKEN_LANGUAGES]
        capacity = form.get("max_learners", "")
        bio = form.get("bio", "").strip()
        slots = availability.parse(form.getlist("availability"))
        place_ids = availability.place_ids(structure_id, form.getlist("places"))
        levels = [v for v in form.getlist("levels") if v in LEVELS]
        sex = form.get("sex", "")
        try:
            away_from = _date_or_none(form.get("away_from", ""))
            away_until = _date_or_none(form.get("away_until", ""))
        except ValueError:
            away_from = away_until = date.min
        if slots is None or place_ids is None or sex not in ("", *SEXES):
            abort(400)
        if not capacity.isdigit() or not 1 <= int(capacity) <= 6:
            error = _("Choisissez entre 1 et 6 apprenants.")
        elif len(bio) > 500:
            error = _("La présentation est trop longue (500 caractères au plus).")
        elif (
            away_from == date.min
            or (away_from is None) != (away_until is None)
            or (away_from and away_until and away_until < away_from)
        ):
            error = _("Indiquez les deux dates de l’absence, la fin après le début.")
        else:
            tutor_profile.languages = languages
            tutor_profile.max_learners = int(capacity)
            tutor_profile.bio = bio or None
            tutor_profile.place_ids = place_ids
            tutor_profile.video_ok = bool(form.get("video_ok"))
            tutor_profile.levels = levels
            tutor_profile.non_readers = bool(form.get("non_readers"))
            tutor_profile.workshops = bool(form.get("workshops"))
            tutor_profile.sex = Sex(sex) if sex else None
            tutor_profile.away_from, tutor_profile.away_until = away_from, away_until
            availability.save(current_user, slots)
            db.session.commit()
            flash(_("Votre profil est enregistré."), "success")
            return redirect(url_for("tutor.profile"))
    choices = sorted(
        ((c, language_name(c)) for c in SPOKEN_LANGUAGES), key=lambda c: c[1]
    )
    return (
        render_template(
            "tutor/profile.html", tutor_profile=tutor_profile, choices=choices,
            error=error, form=ConfirmForm(), ticked=availability.ticked(current_user),
            places=availability.places_of(structure_id), levels=LEVELS,
        ),
        400 if error else 200,
    )  # fmt: skip
