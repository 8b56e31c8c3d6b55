"""Installable platform and practice without a connection: the web app manifest, the
service worker and its list of files, the page shown when a page cannot load, the
packs page, a pack's content and pages, and the synchronisation of answers given
offline (see learning.offline and the README's « Hors connexion »)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    g,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import IntegrityError

from exercises.model import THEMES
from tutoring.accounts.access import current_learner, public, roles_required
from tutoring.accounts.models import Role
from tutoring.accounts.shared import this_computer
from tutoring.content.audio import audio_url, instruction_audio_url
from tutoring.content.rendering import instruction_texts, item_view
from tutoring.core.config import PROJECT_ROOT
from tutoring.core.extensions import db, limiter
from tutoring.core.forms import ConfirmForm
from tutoring.core.labels import SKILL_LABELS, THEME_LABELS
from tutoring.learning import offline
from tutoring.learning import practice as service
from tutoring.learning.blueprint import bp
from tutoring.learning.forms import OfflineRecordingForm

SW_SOURCE = PROJECT_ROOT / "static" / "js" / "sw.js"

# The files every page uses: the service worker keeps them for offline pages.
SHELL_FILES = (
    "css/app.css",
    "css/fonts-arabic.css",
    "css/fonts-ethiopic.css",
    "js/speaker.js",
    "js/page.js",
    "js/offline-register.js",
    "js/offline.js",
    "js/offline-sync.js",
    "img/favicon.svg",
    "img/globe.svg",
    "img/icon-192.png",
)
# Fonts that the stylesheets ask for by their plain names.
SHELL_FONTS = (
    "fonts/noto-naskh-arabic-400.woff2",
    "fonts/noto-naskh-arabic-700.woff2",
    "fonts/noto-sans-ethiopic-400.woff2",
    "fonts/noto-sans-ethiopic-700.woff2",
    "fonts/language-names-arabic.woff2",
    "fonts/language-names-ethiopic.woff2",
)


def _shell() -> tuple[str, list[str]]:
    """The version of the offline files (a hash of their fingerprinted names) and
    their addresses: a deploy that changes one file changes the cache's name."""
    urls = [url_for("static", filename=name) for name in SHELL_FILES]
    fonts = [f"/static/{name}" for name in SHELL_FONTS]
    digests = urls + [url_for("static", filename=name) for name in SHELL_FONTS]
    version = hashlib.sha256("\n".join(digests).encode()).hexdigest()[:12]
    return version, [*urls, *fonts, url_for("learning.offline_page")]


@bp.get("/sw.js")
@public
def service_worker() -> Response:
    """The service worker, at the root so that it controls every page; its first
    line carries the shell's version, so a deploy installs a new one."""
    version, _urls = _shell()
    head = (
        f"var VERSION = {json.dumps(version)};\n"
        f"var PRECACHE = {json.dumps(url_for('learning.precache'))};\n"
        f"var OFFLINE_PAGE = {json.dumps(url_for('learning.offline_page'))};\n"
        f"var SYNC_SCRIPT = {json.dumps(url_for('static', filename='js/offline-sync.js'))};\n"
    )
    response = Response(
        head + SW_SOURCE.read_text(encoding="utf-8"), mimetype="text/javascript"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/hors-connexion/fichiers.json")
@public
def precache() -> Response:
    version, urls = _shell()
    response = jsonify({"version": version, "urls": urls})
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
@public
def manifest() -> Response:
    """The web app manifest: the platform can be added to a phone's home screen."""
    name = current_app.config["SITE_NAME"]

    def icon(filename: str, size: int, purpose: str) -> dict[str, str]:
        return {
            "src": url_for("static", filename=filename),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }

    body = {
        "name": name,
        "short_name": name,
        "lang": "fr",
        "dir": "auto",
        "start_url": url_for("home.home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d4f91",
        "icons": [
            icon("img/icon-192.png", 192, "any"),
            icon("img/icon-512.png", 512, "any"),
            icon("img/icon-maskable-192.png", 192, "maskable"),
            icon("img/icon-maskable-512.png", 512, "maskable"),
        ],
    }
    response = Response(
        json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/hors-connexion")
@public
def offline_page() -> str:
    """Shown by the service worker when a page cannot load: it lists the packs kept
    on this phone (from the browser's storage) and the answers waiting."""
    return render_template("learning/offline.html", messages=_script_messages())


def megabytes(size: int) -> str:
    """A download size as the learner reads it: « 2,4 Mo », « 850 ko »."""
    if size < 1_000_000:
        return str(_("%(size)s ko", size=format_decimal(max(1, round(size / 1000)))))
    return str(
        _("%(size)s Mo", size=format_decimal(size / 1_000_000, format="#,##0.0"))
    )


def _script_messages() -> dict[str, str]:
    """What the offline script writes on the pages, in the reader's language."""
    return {
        "downloading": _("Téléchargement : %(done)s sur %(total)s", done="{done}", total="{total}"),
        "downloaded": _("Téléchargé le %(date)s", date="{date}"),
        "failed": _("Le téléchargement n’a pas marché. Vérifiez la connexion et réessayez."),
        "deleted": _("Les exercices sont supprimés de ce téléphone."),
        "waiting": _("Réponses à envoyer : %(n)s", n="{n}"),
        "sending": _("Envoi des réponses…"),
        "sent": _("Réponses envoyées : %(n)s", n="{n}"),
        "signin": _("Connectez-vous pour envoyer vos réponses."),
        "refused": _("Réponse refusée : %(reason)s", reason="{reason}"),
        "offline_kept": _("Vous êtes hors connexion : votre réponse est gardée sur ce téléphone. Elle sera envoyée au retour de la connexion."),
        "kept": _("Votre réponse est gardée. Elle sera envoyée dès que possible."),
        "exercise": _("Exercice %(n)s", n="{n}"),
        "none": _("Aucun exercice n’est téléchargé sur ce téléphone."),
        "practise": _("Pratiquer"),
        "update": _("Mettre à jour"),
        "updated": _("Une nouvelle version de ces exercices existe."),
        "pending": _("Réponse gardée"),
        "tutor": _("Un tuteur ou une tutrice va lire ou écouter votre réponse et vous donner un conseil."),
        "record_first": _("Enregistrez votre réponse avant de l’envoyer."),
        "storage": _("Ce navigateur ne peut pas garder d’exercices. Essayez un autre navigateur."),
    }  # fmt: skip


@bp.get("/pratique/hors-connexion/")
@roles_required(Role.LEARNER)
def packs() -> str:
    """« Télécharger pour pratiquer hors connexion »: the packs of the learner's
    level, their size before download; what is downloaded and waiting is read from
    the browser's storage by static/js/offline.js."""
    profile = current_learner()
    level = service.practice_level(profile)
    available = offline.available_packs(profile, level, THEMES)
    titles = {
        p.key: _("Mon niveau (%(level)s)", level=level)
        if p.theme is None
        else str(THEME_LABELS[p.theme])
        for p in available
    }
    return render_template(
        "learning/packs.html", packs=available, titles=titles, size=megabytes,
        level=level, form=ConfirmForm(), messages=_script_messages(),
        answered=offline.pack_answers(profile),
    )  # fmt: skip


@bp.post("/pratique/hors-connexion/telecharger")
@roles_required(Role.LEARNER)
def download() -> tuple[Response, int]:
    """A new offline set for the pack chosen; answers its content (JSON)."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return jsonify(
            {"message": _("Le formulaire n’est pas valable. Rechargez la page.")}
        ), 400
    state = g.get("session_state")
    if (state is not None and state.shared_device) or this_computer() is not None:
        # A shared computer keeps nothing of a learner (the page hides the button).
        return jsonify(
            {
                "message": _(
                    "Sur un ordinateur partagé, les exercices ne se téléchargent pas : "
                    "vos réponses et vos exercices ne doivent pas rester sur cet "
                    "ordinateur."
                )
            }
        ), 403
    profile = current_learner()
    key = str(request.form.get("pack", ""))[:40]
    level = service.practice_level(profile)
    try:
        practice = offline.download_pack(profile, key, level, THEMES)
    except offline.OfflineError:
        db.session.rollback()
        return jsonify(
            {"message": _("Ces exercices n’existent pas ou plus. Rechargez la page.")}
        ), 400
    db.session.commit()
    return jsonify(_pack_body(practice)), 201


def _pack_body(practice: Any) -> dict[str, Any]:
    profile = current_learner()
    body = offline.pack_content(profile, practice)
    body["title"] = (
        _("Mon niveau (%(level)s)", level=practice.level)
        if practice.theme is None
        else str(THEME_LABELS[practice.theme])
    )
    return body


@bp.get("/pratique/hors-connexion/paquet/<int:set_id>")
@roles_required(Role.LEARNER)
def pack(set_id: int) -> Response:
    practice = offline.own_pack(current_learner(), set_id) or abort(404)
    return jsonify(_pack_body(practice))


@bp.get("/pratique/hors-connexion/<int:set_id>/<int:position>")
@roles_required(Role.LEARNER)
def offline_item(set_id: int, position: int) -> str:
    """An item of a pack, shown as in a set; the offline script grades the answer
    in the browser and keeps it until it can be sent."""
    profile = current_learner()
    practice = offline.own_pack(profile, set_id) or abort(404)
    found = offline.offline_item(practice, position) or abort(404)
    version, item = found
    total = len(practice.item_version_ids)
    return render_template(
        "learning/offline_item.html", practice=practice, version=version,
        position=position, total=total, view=item_view(item, f"offline-{practice.id}-{position}"),
        instruction=instruction_texts(item), instruction_audio=instruction_audio_url(item.instruction),
        audio=audio_url(item, profile.structure_id) if item.audio else None,
        key=offline.grading_key(item), skill_labels=SKILL_LABELS, task=None,
        form=ConfirmForm(), messages=_script_messages(),
        next_url=url_for("learning.offline_item", set_id=set_id, position=position + 1)
        if position + 1 < total else url_for("learning.packs"),
    )  # fmt: skip


def _per_account() -> str:
    return f"user:{current_user.id}"


@bp.get("/pratique/synchroniser")
@roles_required(Role.LEARNER)
def sync_token() -> Response:
    """A fresh form token for the synchronisation (a page kept offline may hold an
    old one), never cached."""
    return jsonify(
        {
            "csrf_token": generate_csrf(),
            "max_batch": offline.MAX_BATCH,
            "user": str(current_user.id),
        }
    )


@bp.post("/pratique/synchroniser/enregistrement")
@roles_required(Role.LEARNER)
@limiter.limit("60 per minute", key_func=_per_account)
def sync_recording() -> tuple[Response, int]:
    """A recording made offline, sent on its own (multipart): stored once, with the
    limits of a recording sent online (type, 5 MB, length)."""
    form = OfflineRecordingForm()
    form.refusal()  # a bad form token: 400
    # Read once: the upload is closed once read, and the retry below needs it again.
    answer, audio = form.answer(), form.recording()
    try:
        outcome = offline.sync_recording(current_learner(), answer, audio)
        db.session.commit()
    except IntegrityError:  # sent twice at the same moment: the other one stored it
        db.session.rollback()
        outcome = offline.sync_recording(current_learner(), answer, audio)
        db.session.commit()
    return jsonify(
        {
            "results": [
                {
                    "client_id": outcome.client_id,
                    "status": outcome.status,
                    "reason": refusal_text(outcome.reason) if outcome.reason else None,
                }
            ]
        }
    ), 200


def refusal_text(code: str) -> str:
    """Why an answer was refused, for the learner."""
    texts = {
        "malformed": _("La réponse est illisible."),
        "unknown_pack": _("Ces exercices ne sont pas à vous ou n’existent plus."),
        "wrong_item": _("Cet exercice ne fait pas partie de ces exercices téléchargés."),
        "too_old": _("La réponse a plus de 30 jours : elle n’est plus acceptée."),
        "in_future": _("La date de la réponse est dans le futur : vérifiez l’heure du téléphone."),
        "invalid_response": _("La réponse est incomplète."),
        "not_yours": _("Cette réponse appartient à un autre compte."),
        "audio_missing": _("Enregistrez votre réponse avant de l’envoyer."),
        "audio_type": _("Ce fichier n’est pas un enregistrement audio accepté."),
        "audio_empty": _("L’enregistrement est vide."),
        "audio_size": _("L’enregistrement est trop long (5 Mo au plus)."),
        "too_short": _("L’enregistrement est trop court."),
        "stale_position": _("Cet exercice a déjà reçu une réponse."),
        "time_over": _("Le temps de cette partie est écoulé."),
    }  # fmt: skip
    return str(texts.get(code, texts["malformed"]))


@bp.post("/pratique/synchroniser")
@roles_required(Role.LEARNER)
@limiter.limit("60 per minute", key_func=_per_account)
def sync() -> tuple[Response, int]:
    """Answers given offline, in a batch (JSON): each is graded here, stored once,
    and gets its own outcome; a refused one does not stop the others."""
    body = request.get_json(silent=True)
    answers = body.get("answers") if isinstance(body, dict) else None
    if not isinstance(answers, list):
        return jsonify({"message": _("La demande est illisible.")}), 400
    if len(answers) > offline.MAX_BATCH:
        message = _(
            "Trop de réponses à la fois : %(max)s au plus.",
            max=format_decimal(offline.MAX_BATCH),
        )
        return jsonify({"message": message}), 413
    try:
        outcomes = offline.sync_answers(current_learner(), answers)
        db.session.commit()
    except IntegrityError:
        # the same answers arrived at the same moment by another request (the page
        # and Background Sync): once that one is committed they read as duplicates
        db.session.rollback()
        outcomes = offline.sync_answers(current_learner(), answers)
        db.session.commit()
    return jsonify(
        {
            "results": [
                {
                    "client_id": o.client_id,
                    "status": o.status,
                    "reason": refusal_text(o.reason) if o.reason else None,
                }
                for o in outcomes
            ]
        }
    ), 200
