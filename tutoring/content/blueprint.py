"""The `content` blueprint; its templates live in `templates/content/`."""

from flask import Blueprint

from tutoring.content.documents import Document, read

bp = Blueprint("content", __name__)


@bp.app_template_global("document_view")
def document_view(text: str, kind: str | None) -> Document:
    """The parts of a bank document, for templates/content/_document.html."""
    return read(text, kind)
