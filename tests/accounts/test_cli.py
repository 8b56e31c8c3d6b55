"""The accounts command line."""

from __future__ import annotations

from sqlalchemy import select

from tutoring.accounts.models import User
from tutoring.core.extensions import db


def test_create_admin_prints_a_password_link(runner, make):
    result = runner.invoke(args=["accounts", "create-admin", "--username", "sam"])
    assert result.exit_code == 0, result.output
    assert "/mot-de-passe/" in result.output
    user = make.run(
        lambda: db.session.scalar(select(User).where(User.username == "sam"))
    )
    assert user.password_hash is None
