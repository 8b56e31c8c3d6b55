"""The review tests start from the pairing tests' world: Amina and Oksana, with Marc and
Lena as tutors and Claire, their referent, signed in."""

from tests.pairing.test_pairing import world  # noqa: F401 - a fixture, used by name
