"""The accounts blueprint's views: sign-in, own account, volunteers, learners' enrolment,
shared computers and the hand-off to the phone."""

from tutoring.accounts.blueprint import bp
from tutoring.accounts.views import (
    account,
    learners,
    pictures,
    shared,
    signin,
    volunteers,
)

__all__ = ["account", "bp", "learners", "pictures", "shared", "signin", "volunteers"]
