"""Small charts drawn on the server as SVG: no chart library, nothing from a CDN.

Each chart is an ``<svg role="img">`` with a title and a description a screen reader reads;
the review page also shows the numbers as a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

INK = "#1d2330"
MUTED = "#5b6475"
GRID = "#d9dde5"
BAR = "#1f5fbf"
BAR_2 = "#8fb3e8"
TARGET = "#b3261e"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    note: str = ""  # shown above the bar (default: the value)
    dim: bool = False  # e.g. a weekend


def _svg(width: int, height: int, title: str, desc: str, body: str, chart_id: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" font-family="system-ui, sans-serif">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step:
            return step
    return value


def _grid(*, top_value: float, left: int, right_x: int, top: int, plot_h: int) -> list[str]:
    """Horizontal grid lines with their values: whole numbers only (these are counts)."""
    divisions = int(top_value) if top_value <= 5 else (5 if top_value % 5 == 0 else 4)
    parts = []
    for i in range(divisions + 1):
        y = top + plot_h - plot_h * i / divisions
        parts.append(f'<line x1="{left}" x2="{right_x}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="{MUTED}">'
            f"{top_value * i / divisions:g}</text>"
        )
    return parts


def bar_chart(
    bars: Sequence[Bar], *, title: str, chart_id: str, target: float | None = None, target_label: str = ""
) -> SafeString:
    """Vertical bars with labels under them and an optional dashed target line."""
    width, height = 640, 260
    left, right, top, bottom = 36, 12, 24, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max([b.value for b in bars] + [target or 0, 1]))
    n = max(len(bars), 1)
    slot = plot_w / n
    bar_w = min(56.0, slot * 0.6)
    parts = _grid(top_value=top_value, left=left, right_x=width - right, top=top, plot_h=plot_h)
    for i, bar in enumerate(bars):
        h = plot_h * bar.value / top_value
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h - h
        colour = BAR_2 if bar.dim else BAR
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{max(h, 0):.1f}" rx="3" fill="{colour}">'
            f"<title>{escape(bar.label)}: {escape(bar.note or f'{bar.value:g}')}</title></rect>"
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 5:.1f}" font-size="12" text-anchor="middle" fill="{INK}">'
            f"{escape(bar.note or f'{bar.value:g}')}</text>"
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 18}" font-size="12" text-anchor="middle" '
            f'fill="{MUTED}">{escape(bar.label)}</text>'
        )
    if target is not None and target > 0:
        y = top + plot_h - plot_h * target / top_value
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{TARGET}" '
            f'stroke-dasharray="6 4" stroke-width="2"/>'
        )
        if target_label:
            parts.append(
                f'<text x="{width - right}" y="{y - 6:.1f}" font-size="12" text-anchor="end" fill="{TARGET}">'
                f"{escape(target_label)}</text>"
            )
    desc = "; ".join(f"{b.label}: {b.note or f'{b.value:g}'}" for b in bars)
    if target is not None:
        desc += f". {target_label or 'Target'}: {target:g}"
    return _svg(width, height, title, desc, "".join(parts), chart_id)


def paired_bars(
    groups: Sequence[tuple[str, float, float]], *, names: tuple[str, str], title: str, chart_id: str
) -> SafeString:
    """Two bars per group (e.g. asks sent and asks answered, week by week), with a legend."""
    width, height = 640, 260
    left, right, top, bottom = 36, 12, 34, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max([max(a, b) for _, a, b in groups] + [1]))
    n = max(len(groups), 1)
    slot = plot_w / n
    bar_w = min(24.0, slot * 0.35)
    parts = [
        f'<rect x="{left}" y="6" width="12" height="12" fill="{BAR}"/>'
        f'<text x="{left + 18}" y="16" font-size="12" fill="{INK}">{escape(names[0])}</text>'
        f'<rect x="{left + 150}" y="6" width="12" height="12" fill="{BAR_2}"/>'
        f'<text x="{left + 168}" y="16" font-size="12" fill="{INK}">{escape(names[1])}</text>'
    ]
    parts += _grid(top_value=top_value, left=left, right_x=width - right, top=top, plot_h=plot_h)
    for i, (label, a, b) in enumerate(groups):
        centre = left + slot * i + slot / 2
        for offset, value, colour, name in ((-bar_w, a, BAR, names[0]), (0.0, b, BAR_2, names[1])):
            h = plot_h * value / top_value
            parts.append(
                f'<rect x="{centre + offset:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" '
                f'height="{max(h, 0):.1f}" rx="2" fill="{colour}"><title>{escape(label)}: {value:g} '
                f"{escape(name.lower())}</title></rect>"
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{height - bottom + 18}" font-size="12" text-anchor="middle" '
            f'fill="{MUTED}">{escape(label)}</text>'
        )
    desc = "; ".join(f"{label}: {a:g} {names[0].lower()}, {b:g} {names[1].lower()}" for label, a, b in groups)
    return _svg(width, height, title, desc, "".join(parts), chart_id)


def funnel(steps: Sequence[tuple[str, int]], *, title: str, chart_id: str) -> SafeString:
    """Horizontal bars, widest first: how many openings reached each stage."""
    width = 640
    row = 34
    left, right, top = 110, 60, 8
    height = top * 2 + row * max(len(steps), 1)
    top_value = max([v for _, v in steps] + [1])
    plot_w = width - left - right
    parts = []
    for i, (label, value) in enumerate(steps):
        y = top + row * i
        w = plot_w * value / top_value
        x = left + (plot_w - w) / 2
        parts.append(
            f'<text x="{left - 10}" y="{y + row / 2 + 4:.1f}" font-size="13" text-anchor="end" fill="{INK}">'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 4}" width="{max(w, 2):.1f}" height="{row - 8}" rx="3" fill="{BAR}">'
            f"<title>{escape(label)}: {value}</title></rect>"
        )
        parts.append(
            f'<text x="{width - right + 10}" y="{y + row / 2 + 4:.1f}" font-size="13" fill="{INK}">{value}</text>'
        )
    desc = "; ".join(f"{label}: {value}" for label, value in steps)
    return _svg(width, height, title, desc, "".join(parts), chart_id)


def meter(value: float, total: float, *, title: str, chart_id: str, label: str) -> SafeString:
    """One horizontal bar filled to value/total (e.g. new employers reached against the plan)."""
    width, height = 640, 48
    share = 0.0 if total <= 0 else min(value / total, 1.0)
    inner = width - 4
    body = (
        f'<rect x="2" y="8" width="{inner}" height="24" rx="12" fill="{GRID}"/>'
        f'<rect x="2" y="8" width="{inner * share:.1f}" height="24" rx="12" fill="{BAR}"/>'
        f'<text x="{width / 2}" y="45" font-size="0" fill="{INK}">{escape(label)}</text>'
    )
    return _svg(width, height, title, label, body, chart_id)
