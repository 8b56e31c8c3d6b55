"""The learner file as a referent reads it: which skills to work on first."""

from __future__ import annotations

from tests.conftest import login
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db


def test_the_referent_reads_which_skills_to_work_on_first(app, make, learner, bank):
    from tutoring.home.dashboard import dashboard
    from tutoring.learning.progress import weakest_skills

    def board_of():
        profile = db.session.get(LearnerProfile, learner.profile_id)
        board = dashboard(profile)
        board["skills"]["EE"]["progress"] = 0.1
        board["skills"]["EO"]["progress"] = 0.2
        board["skills"]["CO"]["progress"] = 0.6
        board["skills"]["CE"]["progress"] = 0.9
        return weakest_skills(board)

    assert make.run(board_of) == ["EE", "EO"]
    referent = app.test_client()
    login(referent, "claire")
    shown = referent.get(f"/apprenants/{learner.profile_id}").get_data(as_text=True)
    assert "À travailler en priorité avec un bénévole" in shown
