"""How an item shows on a page: its parts in a stable shuffled order, its instructions
in the learner's language."""

from __future__ import annotations

import random
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from exercises.model import INSTRUCTIONS, PHONE_INSTRUCTIONS, Item
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
    elif item.type in ("form_filling", "tab_form"):
        view["fields"] = [f["label"] for f in data["fields"]]
    elif item.type == "pointer":
        if data["action"] == "drag":
            pairs = data["pairs"]
            view["things"] = [p[0] for p in pairs]
            view["boxes"] = [(i, pairs[i][1]) for i in _shuffled(len(pairs), seed)]
        else:  # the buttons in their written order (a list, a bar of buttons)
            view["targets"] = list(enumerate(data["targets"]))
    elif item.type == "typing":
        view["model"] = data["answer"]
    elif item.type == "timed_choice":
        view["choices"] = [
            (i, data["choices"][i]) for i in _shuffled(len(data["choices"]), seed)
        ]
        view["seconds"] = data["seconds"]
    return view


def instruction_texts(item: Item) -> dict[str, str]:
    """The instruction in French and in the learner's language; on a phone, where
    the action differs (touch instead of click), `phone_fr` and `phone_translated`."""
    key = INSTRUCTIONS[item.instruction]
    phone = PHONE_INSTRUCTIONS.get(item.instruction)
    with force_locale("fr"):
        texts = {"fr": _(key)}
        if phone:
            texts["phone_fr"] = _(phone)
    texts["translated"] = _(key)
    if phone:
        texts["phone_translated"] = _(phone)
    return texts


def _paired(
    pairs: list[list[str]], chosen: list[str], blank: str
) -> dict[str, Any]:
    """Each left element (or thing dragged) with the right one (or box) chosen."""
    return {
        "marked": True,
        "lines": [
            f"{left} → {pairs[int(v)][1] if v else blank}"
            for (left, _right), v in zip(pairs, chosen, strict=True)
        ],
    }


def given_answer(item: Item, response: dict[str, Any]) -> dict[str, Any] | None:
    """The learner's own answer, as the feedback page shows it beside the right one:
    `lines` of text (`marked` when each line has its verdict among the attempt's
    parts), or a sentence as `segments` with the learner's `gaps`, and the chosen
    `image`. None for a recording, or a response of another shape."""
    data, kind = item.data, item.type
    blank = "…"
    try:
        if kind == "single_choice":
            return {"lines": [data["choices"][int(response["choice"])]]}
        if kind == "multiple_choice":
            chosen = [data["choices"][int(v)] for v in response.get("choices", [])]
            return {"lines": chosen or [blank]}
        if kind == "true_false":
            return {"lines": [_("Vrai") if response["answer"] == "true" else _("Faux")]}
        if kind == "image_choice":
            choice = next(
                c for c in data["choices"] if c["image"] == response["choice"]
            )
            return {"image": choice["image"], "lines": [choice["label"]]}
        if kind in ("gap_typed", "gap_list"):
            gaps = list(response["gaps"])
            if kind == "gap_list":
                gaps = [data["options"][int(v)] if v else "" for v in gaps]
            return {
                "segments": gap_segments(data["text"]),
                "gaps": [g.strip() or blank for g in gaps],
            }
        if kind == "matching":
            return _paired(data["pairs"], response["pairs"], blank)
        if kind == "ordering":
            words = [
                data["sequence"][int(v)] if v else blank for v in response["order"]
            ]
            return {"lines": [" ".join(words)]}
        if kind in ("dictation", "short_writing"):
            return {"lines": [response["text"].strip() or blank]}
        if kind == "pointer":
            if data["action"] != "drag":
                return {"lines": [data["targets"][int(response["targets"][0])]]}
            return _paired(data["pairs"], response["targets"], blank)
        if kind == "typing":
            return {"lines": [response["text"].strip() or blank]}
        if kind == "timed_choice":
            if not response.get("choice"):
                return {"lines": [_("Temps écoulé : pas de réponse")]}
            return {"lines": [data["choices"][int(response["choice"])]]}
        if kind in ("form_filling", "tab_form"):
            return {
                "marked": True,
                "lines": [
                    f"{f['label']} : {v.strip() or blank}"
                    for f, v in zip(data["fields"], response["fields"], strict=True)
                ],
            }
    except (KeyError, IndexError, ValueError, TypeError, AttributeError, StopIteration):
        return None
    return None  # an oral answer: the recording is the answer
