"""Filling a practice item's answer form as a hurried learner would (shared by the
locust scenarios and the wrk bench)."""

from __future__ import annotations

import html
import re
import uuid

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
FORM = re.compile(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)
TAG = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
ATTR = re.compile(r'([\w-]+)(?:="([^"]*)")?')
OPTION = re.compile(r'<option[^>]*value="([^"]+)"')
RECORDER_MIN = re.compile(r'class="recorder" data-min="(\d+)"')
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 300
FORM_TYPE = {"Content-Type": "application/x-www-form-urlencoded"}


def answer_fields(page: str) -> tuple[list[tuple[str, str]], bool]:
    """Fill the answer form as a hurried learner would; say if it wants a recording."""
    form = next((f for f in FORM.findall(page) if 'name="position"' in f), "")
    pairs: list[tuple[str, str]] = []
    radios: set[str] = set()
    wants_file = False
    for tag, raw in TAG.findall(form):
        attrs = {k: html.unescape(v or "") for k, v in ATTR.findall(raw)}
        name, kind = attrs.get("name"), attrs.get("type", "text").lower()
        if not name:
            continue
        if kind == "file":
            wants_file = True
        elif kind == "radio":
            if name not in radios:
                radios.add(name)
                pairs.append((name, attrs.get("value", "")))
        elif kind == "checkbox":
            if name not in radios:
                radios.add(name)
                pairs.append((name, attrs.get("value", "on")))
        elif tag.lower() == "select":
            pass  # filled below, one value per select
        elif tag.lower() == "textarea":
            pairs.append((name, "Bonjour, je voudrais prendre un rendez-vous."))
        elif kind in ("hidden",):
            pairs.append((name, attrs.get("value", "")))
        elif kind not in ("submit", "button"):
            pairs.append((name, attrs.get("value") or "réponse"))
    for select in re.findall(
        r"<select\b[^>]*name=\"([^\"]+)\"[^>]*>(.*?)</select>", form, re.S
    ):
        options = OPTION.findall(select[1])
        pairs.append((select[0], options[0] if options else ""))
    if wants_file:
        # A recording as long as the task asks at the least (the recorder's data-min):
        # a shorter one is refused, as it should be, with « trop court ».
        shortest = RECORDER_MIN.search(page)
        seconds = shortest.group(1) if shortest else "30"
        pairs = [(k, v) for k, v in pairs if k != "seconds"] + [("seconds", seconds)]
    return pairs, wants_file


def multipart(pairs: list[tuple[str, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in pairs
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="audio"; '
        f'filename="a.webm"\r\nContent-Type: audio/webm\r\n\r\n'.encode()
        + WEBM
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
