"""`python -m exercises check|stats`: validate the bank without the web application."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from exercises.loading import BANK, load_bank
from exercises.model import Item

STATIC = Path(__file__).resolve().parent.parent / "static"


def stats(items: list[Item]) -> dict[str, dict[str, int]]:
    """Return the counts of items by level, skill, theme and type."""
    return {
        key: dict(sorted(Counter(getattr(i, key) for i in items).items()))
        for key in ("level", "skill", "theme", "type")
    }


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    # Writers check content before audio exists; `flask exercises check` checks audio too.
    items, problems = load_bank(BANK, STATIC, check_audio="--audio" in argv)
    if command == "check":
        for problem in problems:
            print(problem)
        print(f"{len(items)} exercices valides, {len(problems)} problème(s).")
        return 1 if problems else 0
    if command == "civic":
        from exercises.civic import civic_stats, load_civic

        questions, civic_problems = load_civic()
        for problem in civic_problems:
            print(problem)
        print(
            f"{len(questions)} questions civiques valides, {len(civic_problems)} problème(s)."
        )
        if "--stats" in argv:
            print(json.dumps(civic_stats(questions), ensure_ascii=False, indent=2))
        return 1 if civic_problems else 0
    if command == "stats":
        print(json.dumps(stats(items), ensure_ascii=False, indent=2))
        return 0
    print("usage: python -m exercises check|stats|civic", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
