"""Signals of the learning feature, for higher features to react to.

- `set_finished(practice)`: a practice set has just finished, by its last answer or
  because its time ran out; sent after the set's rows are flushed. The exams feature
  closes a mock exam whose sections are all finished.
"""

from blinker import Namespace

_signals = Namespace()

set_finished = _signals.signal("learning.set-finished")
