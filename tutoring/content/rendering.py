"""How an item shows on a page: its parts in a stable shuffled order, its instructions
in the learner's language."""

from __future__ import annotations

import random
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from exercises.model import INSTRUCTIONS, Item
from exercises.scoring import gap_segments


def _shuffled(count: int, seed: str) -> list[int]:
    order = list(range(count))
    random.Random(seed).shuffle(order)  # noqa: S311 - display order only  # nosec B311
    return order


def item_view(item: Item, seed: str) -> dict[str, Any]:
    """What a template needs to show an item, in a stable shuffled order, without keys."""
    data = item.data
    view: dict[str, Any] = {"item": item}
    if item.type in ("single_choice", "multiple_choice"):
        view["choices"] = [
            (i, data["choices"][i]) for i in _shuffled(len(data["choices"]), seed)
        ]
    elif item.type == "image_choice":
        view["images"] = [
            data["choices"][i] for i in _shuffled(len(data["choices"]), seed)
        ]
    elif item.type in ("gap_typed", "gap_list"):
        view["segments"] = gap_segments(data["text"])
        if item.type == "gap_list":
            view["options"] = [
                (i, data["options"][i]) for i in _shuffled(len(data["options"]), seed)
            ]
    elif item.type == "matching":
        pairs = data["pairs"]
        view["lefts"] = [p[0] for p in pairs]
        view["rights"] = [(i, pairs[i][1]) for i in _shuffled(len(pairs), seed)]
    elif item.type == "ordering":
        tokens = data["sequence"]
        view["tokens"] = [(i, tokens[i]) for i in _shuffled(len(tokens), seed)]
    elif item.type == "form_filling":
        view["fields"] = [f["label"] for f in data["fields"]]
    return view


def instruction_texts(item: Item) -> dict[str, str]:
    key = INSTRUCTIONS[item.instruction]
    with force_locale("fr"):
        french = _(key)
    return {"fr": french, "translated": _(key)}
