"""The accounts blueprint's views: sign-in, own account, volunteers, learners' enrolment."""

from tutoring.accounts.blueprint import bp
from tutoring.accounts.views import account, learners, pictures, signin, volunteers

__all__ = ["account", "bp", "learners", "pictures", "signin", "volunteers"]
