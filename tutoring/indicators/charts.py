"""Server-rendered bar charts of monthly series (SVG, no script, no other origin)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 480, 240, 52, 30, 14


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    text: str
    hidden: bool


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    return float((int(value / step) + 1) * step)


def bars(values: list[Any], labels: list[str], texts: list[str]) -> dict[str, Any]:
    """Lay out one bar per month; a hidden value is drawn as a short hatched stub."""
    top = _nice_max(max((v for v in values if v is not None), default=0))
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(values), 1)
    laid = []
    for i, value in enumerate(values):
        height = 6.0 if value is None else plot_h * float(value) / top
        laid.append(
            Bar(
                x=round(LEFT + i * slot + slot * 0.15, 1),
                y=round(TOP + plot_h - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=labels[i],
                text=texts[i],
                hidden=value is None,
            )
        )
    step = max(
        1, -(-len(values) // 4)
    )  # four month labels at most, readable on a phone
    ticks = [
        (round(LEFT + i * slot + slot / 2, 1), labels[i])
        for i in range(0, len(values), step)
    ]
    return {
        "bars": laid,
        "ticks": ticks,
        "top": top,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "base": TOP + plot_h,
        "ceiling": TOP,
    }
