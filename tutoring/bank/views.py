"""Bank views: filters by level, skill, theme and type; preview; homework."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from exercises.model import LEVELS, SKILLS, THEMES, TYPES
from tutoring.bank import bp
from tutoring.bank.forms import AssignForm
from tutoring.extensions import db
from tutoring.forms import ConfirmForm, options
from tutoring.models import (
    ItemVersion,
    LearnerProfile,
    Role,
    VoiceRecording,
    VoiceStatus,
)
from tutoring.practice.labels import (
    LEVEL_LABELS,
    SKILL_LABELS,
    THEME_LABELS,
    TYPE_LABELS,
)
from tutoring.practice.views import instruction_texts, item_view
from tutoring.security import public, roles_required
from tutoring.services import audit, voices
from tutoring.services import practice as service
from tutoring.services.audio import audio_url
from tutoring.services.learners import learners_of
from tutoring.services.tutoring import tutor_learner_ids

PAGE_SIZE = 30
FILTERS = {"level": LEVELS, "skill": SKILLS, "theme": THEMES, "type": TYPES}
HOMEWORK_ERRORS = {
    "homework_size": lambda: _("Choisissez de 1 à 20 exercices."),
    "due_in_past": lambda: _("La date est déjà passée."),
    "unknown_item": lambda: _("Un des exercices n’existe plus : rechargez la page."),
}


def _filters() -> dict[str, str]:
    chosen = {}
    for key, allowed in FILTERS.items():
        value = request.args.get(key, "")
        if value in allowed:
            chosen[key] = value
    return chosen


@bp.get("/")
@roles_required(Role.REFERENT, Role.TUTOR)
def index() -> str:
    chosen = _filters()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    stmt = select(ItemVersion).where(ItemVersion.active)
    for key, value in chosen.items():
        stmt = stmt.where(getattr(ItemVersion, key) == value)
    rows = db.session.scalars(
        stmt.order_by(ItemVersion.level, ItemVersion.unit, ItemVersion.item_id)
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    form = AssignForm()
    assignable = _assignable()
    can_assign = bool(assignable)
    form.learner_id.choices = options((p.id, p.user.display_name) for p in assignable)
    return render_template(
        "bank/index.html",
        rows=rows[:PAGE_SIZE],
        has_next=len(rows) > PAGE_SIZE,
        page=page,
        chosen=chosen,
        labels={
            "level": LEVEL_LABELS,
            "skill": SKILL_LABELS,
            "theme": THEME_LABELS,
            "type": TYPE_LABELS,
        },
        filters=FILTERS,
        form=form,
        can_assign=can_assign,
    )


@bp.get("/exercice/<int:version_id>")
@roles_required(Role.REFERENT, Role.TUTOR)
def preview(version_id: int) -> str:
    version = db.session.get(ItemVersion, version_id) or abort(404)
    item = service.item_of(version)
    return render_template(
        "bank/preview.html",
        version=version,
        view=item_view(item, str(version.id)),
        instruction=instruction_texts(item),
        audio=audio_url(item) if item.audio else None,
        form=ConfirmForm(),
        labels={
            "level": LEVEL_LABELS,
            "skill": SKILL_LABELS,
            "theme": THEME_LABELS,
            "type": TYPE_LABELS,
        },
    )


def _assignable() -> list[LearnerProfile]:
    """Who may get homework from this person: a referent's learners, a volunteer's
    paired learners."""
    profiles: dict[int, LearnerProfile] = {}
    if current_user.has_role(Role.REFERENT):
        profiles.update((p.id, p) for p in learners_of(current_user) if p.user)
    if current_user.is_approved_tutor:
        paired = tutor_learner_ids(current_user)
        if paired:
            profiles.update(
                (p.id, p)
                for p in db.session.scalars(
                    select(LearnerProfile).where(LearnerProfile.id.in_(paired))
                )
                if p.user is not None
            )
    return sorted(profiles.values(), key=lambda p: (p.user.first_name, p.id))  # type: ignore[union-attr]


@bp.post("/devoir")
@roles_required(Role.REFERENT, Role.TUTOR)
def assign() -> BaseResponse | tuple[str, int]:
    form = AssignForm()
    profiles = _assignable()
    form.learner_id.choices = options((p.id, p.user.display_name) for p in profiles)  # type: ignore[union-attr]
    ids = [int(v) for v in request.form.getlist("items") if v.isdigit()]
    if not form.validate_on_submit():
        flash(
            " ".join(str(e) for errors in form.errors.values() for e in errors), "error"
        )
        return redirect(url_for("bank.index"))
    profile = next((p for p in profiles if p.id == form.learner_id.data), None)
    if profile is None:
        abort(404)
    try:
        service.assign_homework(
            current_user,
            profile,
            title=form.title.data,
            item_version_ids=ids,
            due_on=form.due_on.data,
        )
    except service.PracticeError as exc:
        db.session.rollback()
        flash(HOMEWORK_ERRORS[exc.code](), "error")
        return redirect(url_for("bank.index", **_filters()))
    db.session.commit()
    flash(
        _("Le devoir est donné à %(name)s.", name=profile.user.display_name), "success"
    )
    if current_user.has_role(Role.REFERENT):
        return redirect(url_for("learners.show", profile_id=profile.id))
    return redirect(url_for("tutor.learner", profile_id=profile.id))


# --- Volunteers' voices ---------------------------------------------------------------

VOICE_ERRORS = {
    "audio_type": lambda: _(
        "Ce fichier n’est pas un enregistrement accepté (webm, ogg, m4a, mp3, wav…)."
    ),
    "audio_empty": lambda: _("Le fichier est vide."),
    "audio_size": lambda: _("L’enregistrement est trop lourd (5 Mo au plus)."),
}


@bp.post("/exercice/<int:version_id>/voix")
@roles_required(Role.REFERENT, Role.TUTOR)
def record_voice(version_id: int) -> BaseResponse:
    """Record the audio of a listening item in one's own voice (to be approved)."""
    version = db.session.get(ItemVersion, version_id) or abort(404)
    item = service.item_of(version)
    if not ConfirmForm().validate_on_submit() or not item.audio:
        abort(400)
    back = redirect(url_for("bank.preview", version_id=version_id))
    upload = request.files.get("voice")
    if upload is None or not upload.filename:
        flash(_("Choisissez ou enregistrez un fichier audio."), "error")
        return back
    data = upload.read(service.MAX_AUDIO_BYTES + 1)
    upload.close()
    try:
        voices.record(current_user, item.id, data, upload.mimetype or "")
    except service.PracticeError as exc:
        db.session.rollback()
        flash(VOICE_ERRORS.get(exc.code, VOICE_ERRORS["audio_type"])(), "error")
        return back
    db.session.commit()
    flash(_("Merci ! Un référent va écouter votre enregistrement."), "success")
    return back


@bp.get("/voix")
@roles_required(Role.REFERENT)
def voices_index() -> str:
    return render_template(
        "bank/voices.html", recordings=voices.pending(), form=ConfirmForm()
    )


@bp.post("/voix/<int:recording_id>")
@roles_required(Role.REFERENT)
def decide_voice(recording_id: int) -> BaseResponse:
    recording = db.session.get(VoiceRecording, recording_id)
    if recording is None or recording.status != VoiceStatus.PENDING:
        abort(404)
    answer = request.form.get("answer")
    if not ConfirmForm().validate_on_submit() or answer not in ("approve", "reject"):
        abort(400)
    voices.decide(recording, current_user, approve=answer == "approve")
    if answer == "approve":
        audit.record("voice_approved", actor=current_user, item=recording.item_id)
    db.session.commit()
    flash(
        _("L’enregistrement remplace maintenant la voix de synthèse.")
        if answer == "approve"
        else _("L’enregistrement est refusé."),
        "success",
    )
    return redirect(url_for("bank.voices_index"))


@bp.get("/voix/<int:recording_id>/ecouter")
@roles_required(Role.REFERENT, Role.TUTOR)
def pending_voice(recording_id: int) -> BaseResponse:
    """A recording waiting for approval: for referents and its author only."""
    recording = db.session.get(VoiceRecording, recording_id)
    if recording is None or not (
        current_user.has_role(Role.REFERENT)
        or recording.recorded_by_id == current_user.id
    ):
        abort(404)
    return _send_voice(recording, cache="no-store")


@bp.get("/audio/<int:recording_id>")
@public
def voice(recording_id: int) -> BaseResponse:
    """An approved recording: the audio of an item, like the synthetic one."""
    recording = db.session.get(VoiceRecording, recording_id)
    if recording is None or recording.status != VoiceStatus.APPROVED:
        abort(404)
    return _send_voice(recording, cache="public, max-age=86400")


def _send_voice(recording: VoiceRecording, cache: str) -> BaseResponse:
    path, mime = voices.file_of(recording)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=mime)
    response.headers["Cache-Control"] = cache
    return response
