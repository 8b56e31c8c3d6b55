"""Babel extractor for the exercise bank: the units' titles and « Je peux… » can-do
statements are shown to learners in their language, so `flask translate extract`
collects them into messages.pot (registered in pyproject.toml's babel mappings as
`exercises.extract:extract_bank`). The text is taken as the loader keeps it (strip)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml

TRANSLATED_KEYS = ("title", "can_do")


def extract_bank(
    fileobj: IO[bytes],
    keywords: Any,
    comment_tags: Any,
    options: Any,
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Yield (line, function, message, comments) for each unit's title and can-do."""
    node = yaml.compose(fileobj.read().decode("utf-8"))
    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        if key.value in TRANSLATED_KEYS and isinstance(value, yaml.ScalarNode):
            text = str(value.value).strip()
            if text:
                comment = "unit title" if key.value == "title" else "can-do"
                yield value.start_mark.line + 1, None, text, [comment]
