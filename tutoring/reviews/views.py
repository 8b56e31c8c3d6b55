"""Review pages. Only the learner's referents and active tutor reach a production."""

from __future__ import annotations

from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from exercises.mock import SPEAKING_TASKS
from tutoring.accounts.access import roles_required
from tutoring.accounts.models import Role
from tutoring.accounts.profiles import LearnerProfile
from tutoring.content.bank import item_of
from tutoring.content.recordings import audio_path
from tutoring.core.extensions import db
from tutoring.core.labels import SKILL_LABELS, TYPE_LABELS
from tutoring.exams import language as french_exams
from tutoring.exams.civic import ExamError
from tutoring.exams.models import LanguageExam
from tutoring.learning.models import Submission
from tutoring.pairing.pairings import TutoringError
from tutoring.reviews import marking
from tutoring.reviews.blueprint import bp
from tutoring.reviews.forms import live_speaking_form, review_form

CRITERIA_LABELS = {
    "task": _l("La tâche est faite"),
    "coherence": _l("Le message est clair et bien organisé"),
    "vocabulary": _l("Les mots sont justes et variés"),
    "grammar": _l("Les phrases sont correctes"),
    "pronunciation": _l("La prononciation se comprend bien"),
}


LEVEL_LABELS = {
    0: _l("pas encore"),
    1: _l("en partie"),
    2: _l("bien"),
    3: _l("très bien"),
}


SAVED = _l("La correction est enregistrée ; l’apprenant ou l’apprenante la lira.")


def _submission_or_404(submission_id: int) -> Submission:
    submission = marking.submission_for(current_user, submission_id)
    if submission is None:
        abort(404)
    return submission


@bp.get("/corrections/")
@roles_required(Role.REFERENT, Role.TUTOR)
def index() -> str:
    waiting = french_exams.live_exams_for(marking.reviewable_learner_ids(current_user))
    names = {
        profile.id: profile.user.display_name if profile.user else "—"
        for profile in db.session.scalars(
            select(LearnerProfile).where(LearnerProfile.id.in_(waiting))
        )
    }
    return render_template(
        "reviews/index.html",
        queue=marking.review_queue(current_user),
        type_labels=TYPE_LABELS,
        live_exams=[
            SimpleNamespace(id=e.id, target=e.target, learner_name=names.get(learner))
            for learner, e in sorted(waiting.items())
        ],
    )


@bp.route("/corrections/<int:submission_id>", methods=["GET", "POST"])
@roles_required(Role.REFERENT, Role.TUTOR)
def review(submission_id: int) -> BaseResponse | tuple[str, int]:
    submission = _submission_or_404(submission_id)
    item = item_of(submission.attempt.item_version)
    form = review_form(marking.rubric_for(item.type))
    error = form.refusal() if form.is_submitted() else None
    if form.is_submitted() and error is None:
        try:
            marking.record_review(
                submission, current_user, form.criteria(), form.comment.data
            )
        except TutoringError:
            error = _("Cette production est déjà corrigée.")
        else:
            db.session.commit()
            flash(str(SAVED), "success")
            return redirect(url_for("reviews.index"))
    page = render_template(
        "reviews/review.html", submission=submission, item=item,
        rubric=form.criteria_keys, criteria_labels=CRITERIA_LABELS,
        level_labels=LEVEL_LABELS, skill_labels=SKILL_LABELS, error=error, form=form,
    )  # fmt: skip
    return page, 400 if error else 200


@bp.get("/corrections/<int:submission_id>/enregistrement")
@roles_required(Role.REFERENT, Role.TUTOR)
def recording(submission_id: int) -> BaseResponse:
    submission = _submission_or_404(submission_id)
    if not submission.audio_file:
        abort(404)
    return send_audio(submission)


def send_audio(submission: Submission) -> BaseResponse:
    """Serve a stored recording (outside static/, never cached)."""
    path = audio_path(submission.audio_file or "")
    if not path.is_file():
        abort(404)
    response = send_file(
        path, mimetype=submission.audio_mime or "application/octet-stream"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _live_exam_or_404(exam_id: int) -> LanguageExam:
    """A mock exam whose speaking part is taken live: only the learner's active paired
    tutor (approved) or a referent of the learner's structure reaches it."""
    exam = db.session.get(LanguageExam, exam_id)
    if exam is None or exam.learner_id not in marking.reviewable_learner_ids(
        current_user
    ):
        abort(404)
    return exam


@bp.route("/corrections/examen-oral/<int:exam_id>", methods=["GET", "POST"])
@roles_required(Role.REFERENT, Role.TUTOR)
def live_speaking(exam_id: int) -> BaseResponse | tuple[str, int]:
    """The tutor plays the examiner: the three tasks' prompts, a timer per task and
    the marking grid (the review rubric for speaking), marks recorded at the end."""
    exam = _live_exam_or_404(exam_id)
    try:
        prompts = french_exams.live_prompts(exam, current_user)
    except ExamError as exc:
        db.session.rollback()
        if exc.code == "bank":
            flash(_("Aucun sujet d’oral n’est disponible pour l’instant."), "error")
            return redirect(url_for("reviews.index"))
        flash(_("L’oral de cet examen blanc n’attend plus de tuteur."), "info")
        return redirect(url_for("reviews.index"))
    form = live_speaking_form(len(prompts), marking.RUBRIC_SPEAKING)
    error = form.refusal() if form.is_submitted() else None
    if form.is_submitted() and error is None:
        french_exams.record_live_speaking(
            exam, current_user, form.marks(), marking.RUBRIC_MAX
        )
        db.session.commit()
        flash(_("Les notes de l’oral sont enregistrées : l’apprenant ou l’apprenante "
                "voit son résultat."), "success")  # fmt: skip
        return redirect(url_for("reviews.index"))
    db.session.commit()  # the prompts drawn stay the same on reload
    learner = db.session.get(LearnerProfile, exam.learner_id)
    page = render_template(
        "reviews/live_speaking.html", exam=exam, learner=learner,
        tasks=list(zip(SPEAKING_TASKS, [item_of(v) for v in prompts], strict=False)),
        form=form, rubric=marking.RUBRIC_SPEAKING, criteria_labels=CRITERIA_LABELS,
        level_labels=LEVEL_LABELS, error=error,
    )  # fmt: skip
    return page, 400 if error else 200
