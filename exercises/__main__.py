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
    """Return the counts of items by level, skill, theme and type; by level and
    skill, level and theme ("A2 sante"); and the four-option single-choice items the
    mock exam draws, by level and skill ("four_option": "B1 CO")."""
    counts = {
        key: dict(sorted(Counter(getattr(i, key) for i in items).items()))
        for key in ("level", "skill", "theme", "type")
    }
    for key, pair in (("level_skill", "skill"), ("level_theme", "theme")):
        counts[key] = dict(
            sorted(Counter(f"{i.level} {getattr(i, pair)}" for i in items).items())
        )
    counts["four_option"] = dict(
        sorted(
            Counter(
                f"{i.level} {i.skill}" for i in items if is_four_option(i)
            ).items()
        )
    )
    counts["total"] = {"items": len(items)}
    return counts


def is_four_option(item: Item) -> bool:
    """A single-choice item with exactly four options: the format of the TCF IRN's
    listening and reading questions."""
    return item.type == "single_choice" and len(item.data.get("choices", [])) == 4


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
