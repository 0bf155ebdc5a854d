"""Server-side SVG charts (no JavaScript, no CDN): vertical and horizontal bar charts.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` listing the values, so
screen readers get the numbers; the pages also show them in tables.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.console.render import e

BAR, BAR_ALT, TEXT, GRID = "#1f5f99", "#8a4b08", "#1a1a1a", "#c8c8c8"


def columns(chart_id: str, title: str, labels: Sequence[str], values: Sequence[float],
            tick_every: int = 1, color: str = BAR) -> str:
    """A column chart; ``labels`` under every ``tick_every``-th column."""
    width, height, left, bottom, top = 640, 220, 40, 36, 12
    n = max(len(values), 1)
    peak = max(max(values, default=0), 1)
    slot = (width - left - 8) / n
    bars, ticks = [], []
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        h = (height - top - bottom) * value / peak
        x = left + i * slot + slot * 0.15
        y = height - bottom - h
        bars.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{color}">'
                    f"<title>{e(label)}: {e(_num(value))}</title></rect>")
        if i % tick_every == 0:
            ticks.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
                         f"{e(label)}</text>")
    grid = "".join(
        f'<line x1="{left}" x2="{width - 4}" y1="{height - bottom - (height - top - bottom) * f:.1f}" '
        f'y2="{height - bottom - (height - top - bottom) * f:.1f}" stroke="{GRID}"/>'
        f'<text x="{left - 6}" y="{height - bottom - (height - top - bottom) * f + 4:.1f}" text-anchor="end">'
        f"{e(_num(peak * f))}</text>" for f in (0, 0.5, 1))
    desc = "; ".join(f"{label}: {_num(v)}" for label, v in zip(labels, values, strict=False))
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-t '
            f'{chart_id}-d" font-size="11" fill="{TEXT}"><title id="{chart_id}-t">{e(title)}</title>'
            f'<desc id="{chart_id}-d">{e(desc)}</desc>{grid}{"".join(bars)}{"".join(ticks)}</svg>')


def bars(chart_id: str, title: str, labels: Sequence[str], values: Sequence[float],
         colors: Sequence[str] | None = None) -> str:
    """A horizontal bar chart with the value at the end of each bar."""
    width, row, label_w = 640, 26, 230
    height = max(len(values), 1) * row + 8
    peak = max(max(values, default=0), 1)
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        w = (width - label_w - 70) * value / peak
        y = 4 + i * row
        color = colors[i % len(colors)] if colors else BAR
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{e(short)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{color}"/>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + 16}">{e(_num(value))}</text>')
    desc = "; ".join(f"{label}: {_num(v)}" for label, v in zip(labels, values, strict=False)) or "keine Daten"
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-t '
            f'{chart_id}-d" font-size="12" fill="{TEXT}"><title id="{chart_id}-t">{e(title)}</title>'
            f'<desc id="{chart_id}-d">{e(desc)}</desc>{"".join(parts)}</svg>')


def _num(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if float(value).is_integer() else f"{value:.1f}".replace(".", ",")
