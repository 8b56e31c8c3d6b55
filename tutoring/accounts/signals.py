"""Signals of the accounts feature, for higher features to react to.

- `collect_user_data(profile)`: a learner's data is being exported; each receiver
  returns a dict of sections (name -> JSON-ready data) that it holds on them.
- `erasing_learner(profile)`: a learner is being erased; each receiver deletes the
  personal data it holds on them (texts, recordings) in the same transaction, and
  keeps anonymous activity rows so that past indicators do not change.
"""

from blinker import Namespace

_signals = Namespace()

collect_user_data = _signals.signal("accounts.collect-user-data")
erasing_learner = _signals.signal("accounts.erasing-learner")
