"""Bank pages of referents and volunteers: an item's preview, volunteers' voices and their
approval."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from tutoring.accounts.access import public, roles_required
from tutoring.accounts.models import Role
from tutoring.content import bank, voices
from tutoring.content.audio import audio_url
from tutoring.content.bank import ContentError
from tutoring.content.blueprint import bp
from tutoring.content.forms import DecideVoiceForm, VoiceForm
from tutoring.content.models import ItemVersion, VoiceRecording, VoiceStatus
from tutoring.content.rendering import instruction_texts, item_view
from tutoring.core.extensions import db
from tutoring.core.forms import ConfirmForm
from tutoring.core.labels import LEVEL_LABELS, SKILL_LABELS, THEME_LABELS, TYPE_LABELS


@bp.get("/banque/exercice/<int:version_id>")
@roles_required(Role.REFERENT, Role.TUTOR)
def preview(version_id: int) -> str:
    version = db.session.get(ItemVersion, version_id) or abort(404)
    item = bank.item_of(version)
    return render_template(
        "content/preview.html",
        version=version,
        view=item_view(item, str(version.id)),
        instruction=instruction_texts(item),
        audio=audio_url(item, voices.structure_of(current_user)) if item.audio else None,
        form=ConfirmForm(),
        labels={
            "level": LEVEL_LABELS,
            "skill": SKILL_LABELS,
            "theme": THEME_LABELS,
            "type": TYPE_LABELS,
        },
    )


VOICE_ERRORS = {
    "audio_type": lambda: _(
        "Ce fichier n’est pas un enregistrement accepté (webm, ogg, m4a, mp3, wav…)."
    ),
    "audio_empty": lambda: _("Le fichier est vide."),
    "audio_size": lambda: _("L’enregistrement est trop lourd (5 Mo au plus)."),
}


@bp.post("/banque/exercice/<int:version_id>/voix")
@roles_required(Role.REFERENT, Role.TUTOR)
def record_voice(version_id: int) -> BaseResponse:
    """Record the audio of a listening item in one's own voice (to be approved)."""
    version = db.session.get(ItemVersion, version_id) or abort(404)
    item = bank.item_of(version)
    form = VoiceForm()
    if form.refusal() is not None or not item.audio:
        abort(400)
    back = redirect(url_for("content.preview", version_id=version_id))
    if (voice := form.recording()) is None:
        flash(_("Choisissez ou enregistrez un fichier audio."), "error")
        return back
    try:
        voices.record(current_user, item.id, *voice)
    except ContentError as exc:
        db.session.rollback()
        flash(VOICE_ERRORS.get(exc.code, VOICE_ERRORS["audio_type"])(), "error")
        return back
    db.session.commit()
    flash(_("Merci ! Un référent va écouter votre enregistrement."), "success")
    return back


@bp.get("/banque/voix")
@roles_required(Role.REFERENT)
def voices_index() -> str:
    """The recordings of the referent's structure waiting for a decision."""
    return render_template(
        "content/voices.html", recordings=voices.pending(current_user),
        form=ConfirmForm(),
    )  # fmt: skip


@bp.post("/banque/voix/<int:recording_id>")
@roles_required(Role.REFERENT)
def decide_voice(recording_id: int) -> BaseResponse:
    recording = voices.moderated_by(current_user, recording_id)
    if recording is None or recording.status != VoiceStatus.PENDING:
        abort(404)
    form = DecideVoiceForm()
    form.refusal()
    voices.decide(recording, current_user, approve=form.approve())
    db.session.commit()
    flash(
        _("L’enregistrement remplace maintenant la voix de synthèse.")
        if form.approve()
        else _("L’enregistrement est refusé."),
        "success",
    )
    return redirect(url_for("content.voices_index"))


@bp.get("/banque/voix/<int:recording_id>/ecouter")
@roles_required(Role.REFERENT, Role.TUTOR)
def pending_voice(recording_id: int) -> BaseResponse:
    """A recording: for its author, and for the referents of its structure only."""
    recording = db.session.get(VoiceRecording, recording_id)
    if recording is None or not (
        recording.recorded_by_id == current_user.id
        or (
            current_user.has_role(Role.REFERENT)
            and voices.moderated_by(current_user, recording_id) is not None
        )
    ):
        abort(404)
    return _send_voice(recording, cache="no-store")


@bp.get("/banque/audio/<name>")
@public
def voice(name: str) -> BaseResponse:
    """An approved recording, the audio of an item like the synthetic one, under its
    random file name: approved voices cannot be listed by counting ids."""
    recording = voices.approved_named(name) or abort(404)
    return _send_voice(recording, cache="public, max-age=86400")


def _send_voice(recording: VoiceRecording, cache: str) -> BaseResponse:
    path, mime = voices.file_of(recording)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=mime)
    response.headers["Cache-Control"] = cache
    return response
