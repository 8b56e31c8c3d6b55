"""Read an item's document (plain text in the bank) into blocks shaped by its kind.

The bank writes documents as plain lines (exercises/FORMAT.md); `document_kind` says
what they are. This module recognises the parts a reader expects of each kind (the
rows of a timetable, the « De : » and « Objet : » lines of an e-mail, the date and the
greeting of a letter, the turns of a conversation) so that the template can draw a
table, a message bubble or a letter. A line that does not fit stays plain text, and a
document where nothing is recognised is shown as its lines (`Document.parsed` false).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from exercises.dialogue import BULLET, Turn, labelled, speaker_turns

BlockType = Literal[
    "title", "text", "list", "table", "fields", "headers", "date", "object",
    "greeting", "signature", "turns", "sender", "time",
    "screen_title", "screen_counter", "screen_timer", "screen_buttons",
]  # fmt: skip

DATE_LINE = re.compile(
    r"^(?:[A-ZÀ-Ý][\w’'\- ]{1,40},\s*)?le\s+\d{1,2}(?:er)?\s+\w+\s+\d{4}\.?$",
    re.IGNORECASE,
)
GREETING = re.compile(
    r"^(?:Madame|Monsieur|Mesdames|Messieurs|Mademoiselle|Cher|Chère|Chers|Chères"
    r"|Bonjour|Bonsoir|Salut|Coucou)\b[^.?]{0,50}[,!]$"
)
TIME_LINE = re.compile(r"^\d{1,2}\s?(?:h|:)\s?\d{2}$")
HEADER_LABELS = {"de", "à", "a", "objet", "date", "cc", "envoyé", "pour", "expéditeur"}
PROSE_KINDS = {"lettre", "courriel", "note"}
KINDS = {
    "sms", "lettre", "courriel", "affiche", "etiquette", "annonce", "horaires",
    "formulaire", "note", "dialogue", "ticket", "ecran",
}  # fmt: skip
# The lines of an exam screen (`ecran`) that draw its frame; the others are its body.
SCREEN_LINES = {
    "titre": "screen_title",
    "question": "screen_counter",
    "temps restant": "screen_timer",
    "boutons": "screen_buttons",
}
TERMINAL = tuple(".!?:;…»")


@dataclass(frozen=True)
class Table:
    caption: str | None
    head: tuple[str, ...] | None  # the column headers when the first row names them
    rows: tuple[tuple[str, ...], ...]  # the first cell of a row is its header


@dataclass(frozen=True)
class Block:
    type: BlockType
    text: str = ""
    lines: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    table: Table | None = None
    turns: tuple[Turn, ...] = ()


@dataclass
class Document:
    kind: str
    blocks: list[Block] = field(default_factory=list)
    parsed: bool = True

    def has(self, block_type: str) -> bool:
        return any(block.type == block_type for block in self.blocks)


def _cells(line: str) -> list[str] | None:
    """The cells of a timetable line: « | » separated, or columns aligned by spaces;
    « Label : a | b » gives the label as first cell."""
    stripped = line.strip()
    if "|" in stripped:
        pair = labelled(stripped.split("|", 1)[0])
        cells = [c.strip() for c in stripped.split("|")]
        if pair is not None:
            cells[0] = pair[1]
            cells.insert(0, pair[0])
        cells = [c for c in cells if c]
        return cells if len(cells) >= 2 else None
    columns = [c.strip() for c in re.split(r"\s{2,}|\t+", stripped) if c.strip()]
    if len(columns) >= 2:
        return columns
    pair = labelled(stripped)
    if pair is not None and pair[1] and len(pair[1]) <= 40:
        return [pair[0], pair[1]]
    return None


def _is_header(cells: list[str]) -> bool:
    return all(not re.search(r"\d", c) for c in cells)


def _timetable(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    run: list[list[str]] = []
    texts: list[str] = []

    def flush_texts() -> None:
        for text in texts:
            blocks.append(Block("text", lines=(text,)))
        texts.clear()

    def flush_run() -> None:
        if len(run) >= 2:
            caption = None
            if len(blocks) == 1 and blocks[0].type == "title":
                caption = blocks.pop().text
            head = tuple(run[0]) if _is_header(run[0]) and len(run) >= 3 else None
            rows = run[1:] if head else run
            width = max(len(r) for r in run)
            padded = tuple(tuple(r + [""] * (width - len(r))) for r in rows)
            if head:
                head = head + ("",) * (width - len(head))
            blocks.append(Block("table", table=Table(caption, head, padded)))
        else:
            for row in run:
                texts.append(row_text[id(row)])
            flush_texts()
        run.clear()

    row_text: dict[int, str] = {}
    for index, line in enumerate(lines):
        if not line.strip():
            flush_run()
            flush_texts()
            continue
        cells = _cells(line) if index or "|" in line or "  " in line.strip() else None
        if cells is not None and run and len(cells) != len(run[-1]):
            flush_run()
        if cells is None:
            flush_run()
            if index == 0:
                blocks.append(Block("title", text=line.strip()))
            else:
                texts.append(line.strip())
                flush_texts()
            continue
        row_text[id(cells)] = line.strip()
        run.append(cells)
    flush_run()
    flush_texts()
    return blocks


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """Lines grouped by blank lines; a long line that does not end a sentence was
    wrapped by hand and is joined to the next one."""
    groups: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            if groups[-1]:
                groups.append([])
            continue
        current = groups[-1]
        text = line.strip()
        if (
            current
            and len(current[-1]) >= 60
            and not current[-1].endswith(TERMINAL)
            and not BULLET.match(text)
        ):
            current[-1] = f"{current[-1]} {text}"
        else:
            current.append(text)
    return [g for g in groups if g]


def _prose(group: list[str]) -> list[Block]:
    """A paragraph: its bullet lines become a list, the others text lines."""
    blocks: list[Block] = []
    texts: list[str] = []
    items: list[str] = []
    for line in group:
        bullet = BULLET.match(line)
        if bullet:
            if texts:
                blocks.append(Block("text", lines=tuple(texts)))
                texts = []
            items.append(bullet.group(1))
        else:
            if items:
                blocks.append(Block("list", lines=tuple(items)))
                items = []
            texts.append(line)
    if texts:
        blocks.append(Block("text", lines=tuple(texts)))
    if items:
        blocks.append(Block("list", lines=tuple(items)))
    return blocks


def _letter(lines: list[str], kind: str) -> list[Block]:
    """A letter, an e-mail or a note: header lines, date, object, greeting, body and
    the signature (the short lines after the closing formula)."""
    blocks: list[Block] = []
    body = list(lines)
    if kind == "courriel":
        headers: list[tuple[str, str]] = []
        while body and not body[0].strip():
            body.pop(0)
        while body and (pair := labelled(body[0])) and pair[0].lower() in HEADER_LABELS:
            headers.append(pair)
            body.pop(0)
        if headers:
            blocks.append(Block("headers", pairs=tuple(headers)))
    groups = _paragraphs(body)
    flat = [(gi, line) for gi, group in enumerate(groups) for line in group]
    greeting_at = next(
        (n for n, (_, line) in enumerate(flat) if GREETING.match(line)), None
    )
    # The signature: the last group when it is short lines after the body, or the
    # short lines that follow a closing formula ending with a comma.
    signature: list[str] = []
    if greeting_at is not None and len(flat) - greeting_at > 2:
        tail = flat[greeting_at + 1 :]
        last_group = tail[-1][0]
        last = [line for gi, line in tail if gi == last_group]
        if (
            len(last) <= 3
            and all(len(x) <= 50 for x in last)
            and last_group != tail[0][0]
        ):
            signature = last
        else:
            closing = next(
                (n for n in range(len(last) - 1, -1, -1)
                 if last[n].endswith(",") and len(last[n]) <= 40),
                None,
            )  # fmt: skip
            if closing is not None and 0 < len(last) - closing - 1 <= 2:
                signature = last[closing + 1 :]
        if (
            not signature
            and len(last[-1]) <= 45
            and not last[-1].endswith(tuple(".!?:"))
        ):
            signature = last[-1:]  # « La maîtresse, Mme Lopez »
        before = len(flat) - len(signature) - 1
        if (
            signature
            and before > greeting_at
            and flat[before][1].endswith(",")
            and len(flat[before][1]) <= 30
        ):
            signature.insert(0, flat[before][1])  # « Bises, »
    signed = len(flat) - len(signature)
    current: list[str] = []
    current_group = -1
    for n, (gi, line) in enumerate(flat[:signed]):
        if gi != current_group and current:
            blocks.extend(_prose(current))
            current = []
        current_group = gi
        pair = labelled(line)
        if n == greeting_at:
            blocks.extend(_prose(current))
            current = []
            blocks.append(Block("greeting", text=line))
        elif greeting_at is not None and n < greeting_at and DATE_LINE.match(line):
            blocks.extend(_prose(current))
            current = []
            blocks.append(Block("date", text=line))
        elif pair is not None and pair[0].lower() == "objet" and pair[1]:
            blocks.extend(_prose(current))
            current = []
            blocks.append(Block("object", pairs=(pair,)))
        else:
            current.append(line)
    blocks.extend(_prose(current))
    if signature:
        blocks.append(Block("signature", lines=tuple(signature)))
    return [b for b in blocks if b.lines or b.text or b.pairs or b.type != "text"]


def _sms(lines: list[str]) -> list[Block]:
    text_lines = [line.strip() for line in lines if line.strip()]
    blocks: list[Block] = []
    for start in (0, 1):
        turns = speaker_turns(text_lines[start:])
        if turns:
            if start:
                blocks.append(Block("title", text=text_lines[0]))
            blocks.append(Block("turns", turns=tuple(turns)))
            return blocks
    if (
        len(text_lines) > 1
        and len(text_lines[0]) <= 50
        and not text_lines[0].endswith(TERMINAL + (",",))
    ):
        blocks.append(Block("sender", text=text_lines.pop(0)))
    elif (
        text_lines
        and (pair := labelled(text_lines[0]))
        and pair[0] == pair[0].upper()
        and pair[1]
    ):
        blocks.append(Block("sender", text=pair[0]))
        text_lines[0] = pair[1]
    time = None
    if text_lines and TIME_LINE.match(text_lines[-1]):
        time = text_lines.pop()
    blocks.extend(
        Block("text", lines=tuple(group)) for group in _paragraphs(text_lines)
    )
    if time:
        blocks.append(Block("time", text=time))
    return blocks


def _labelled_lines(lines: list[str], *, title: bool) -> list[Block]:
    """Forms, tickets and labels: « Label : value » lines become fields."""
    blocks: list[Block] = []
    pairs: list[tuple[str, str]] = []
    for index, line in enumerate(line for line in lines if line.strip()):
        pair = labelled(line)
        if pair is not None:
            pairs.append(pair)
            continue
        if pairs:
            blocks.append(Block("fields", pairs=tuple(pairs)))
            pairs = []
        if index == 0 and title:
            blocks.append(Block("title", text=line.strip()))
        else:
            blocks.append(Block("text", lines=(line.strip(),)))
    if pairs:
        blocks.append(Block("fields", pairs=tuple(pairs)))
    return blocks


def _poster(lines: list[str]) -> list[Block]:
    text_lines = [line.strip() for line in lines]
    while text_lines and not text_lines[0]:
        text_lines.pop(0)
    if not text_lines:
        return []
    blocks = [Block("title", text=text_lines[0])]
    for group in _paragraphs(text_lines[1:]):
        blocks.extend(_prose(group))
    return blocks


def _screen(lines: list[str]) -> list[Block]:
    """A computer exam screen: its title bar, question counter, timer and buttons
    (« Boutons : A | B »), then its body text (a question and its choices)."""
    frame: list[Block] = []
    body: list[str] = []
    for line in lines:
        label, _colon, value = line.partition(":")
        block_type = SCREEN_LINES.get(label.strip().casefold()) if _colon else None
        if block_type == "screen_buttons":
            buttons = tuple(b.strip() for b in value.split("|") if b.strip())
            frame.append(Block("screen_buttons", lines=buttons))
        elif block_type == "screen_title" and value.strip():
            frame.append(Block("screen_title", text=value.strip()))
        elif block_type is not None and value.strip():  # the counter, the timer
            frame.append(Block(block_type, text=line.strip()))  # type: ignore[arg-type]
        elif line.strip():
            body.append(line.strip())
    if not frame:
        return []
    return [*frame, *([Block("text", lines=tuple(body))] if body else [])]


def read(text: str, kind: str | None) -> Document:
    """The document's blocks for its kind; plain lines when nothing fits."""
    lines = text.strip("\n").splitlines()
    name = kind if kind in KINDS else "texte"
    blocks: list[Block] = []
    if name == "horaires":
        blocks = _timetable(lines)
        if not any(b.type == "table" for b in blocks):
            blocks = []
    elif name in PROSE_KINDS:
        blocks = _letter(lines, name)
        if all(b.type in ("text", "list") for b in blocks):
            blocks = blocks if any(b.type == "list" for b in blocks) else []
    elif name == "sms":
        blocks = _sms(lines)
    elif name == "dialogue":
        turns = speaker_turns(lines)
        blocks = [Block("turns", turns=tuple(turns))] if turns else []
    elif name in ("formulaire", "ticket", "etiquette"):
        blocks = _labelled_lines(lines, title=True)
        if not any(b.type == "fields" for b in blocks):
            blocks = []
    elif name in ("affiche", "annonce"):
        blocks = _poster(lines)
    elif name == "ecran":
        blocks = _screen(lines)
    if not blocks:
        return Document(name, [Block("text", lines=tuple(lines))], parsed=False)
    return Document(name, blocks)
