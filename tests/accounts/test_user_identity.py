"""Two `User` objects are the same account when their primary keys are equal, never
because Flask-Login's `get_id()` (the session token here) happens to match: outside a
request every account has no token, and all of them used to compare equal (issue #13)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tutoring.accounts.models import Role, User
from tutoring.core.extensions import db


def test_accounts_loaded_apart_compare_by_primary_key(app, make):
    marc = make.user("marc", Role.TUTOR)
    lena = make.user("lena", Role.TUTOR)
    with app.app_context():
        first = db.session.get(User, marc)
        other = db.session.get(User, lena)
        db.session.expunge_all()
        again = db.session.get(User, marc)
        assert first is not again
        assert first == again
        assert hash(first) == hash(again)
        assert first != other
        assert other not in [first, again]
        assert first in db.session.scalars(select(User).where(User.id == marc)).all()
        assert len({first, again, other}) == 2
        # a token set on one (the signed-in user) changes nothing
        first.session_token = "token"
        assert first == again
        assert first != other


def test_an_unsaved_account_equals_only_itself(app):
    with app.app_context():
        one, two = User(username="a"), User(username="b")
        assert one == one
        assert one != two
        assert one != "a"
        with pytest.raises(TypeError):
            hash(one)
