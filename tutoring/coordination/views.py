"""Coordinator dashboard: counts with small-cell protection."""

from __future__ import annotations

from flask import current_app, render_template

from tutoring.coordination import bp
from tutoring.learners.forms import PUBLIC_CATEGORY_LABELS
from tutoring.models import PublicCategory, Role
from tutoring.security import roles_required
from tutoring.services.indicators import (
    approved_tutors,
    enrolments_by_category,
    protect,
)


@bp.get("/")
@roles_required(Role.COORDINATOR)
def dashboard() -> str:
    k = current_app.config["SMALL_CELL_THRESHOLD"]
    cells, total = protect(enrolments_by_category(), k)
    tutors_cells, _tutors_total = protect({"tutors": approved_tutors()}, k)
    labels = {c.value: PUBLIC_CATEGORY_LABELS[c] for c in PublicCategory}
    return render_template(
        "coordination/dashboard.html",
        cells=cells,
        total=total,
        tutors=tutors_cells[0].value,
        labels=labels,
        k=k,
    )
