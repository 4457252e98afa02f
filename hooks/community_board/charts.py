"""Inline SVG bar charts made at build time: no JavaScript, no library at view time.

Stacked bars, one per category (a month), one segment per series (a column). Every series
has a colour of at least 4.5:1 against white *and* a pattern, so the chart still reads in
grey print or for colour-blind readers; totals are written above the bars. Only presentation
attributes, never `style=`: the site's CSP (`style-src 'self'`) would drop inline styles.
The output is a pure function of its input: same data, same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

# Dark enough for >= 4.5:1 against white (tests check it); distinct hues.
PALETTE = ("#1f4e9c", "#b22222", "#1b6e3a", "#6a3d9a", "#8c4a00", "#00646e", "#a0207a", "#4d4d4d")
# White marks drawn over the colour: (name, SVG path inside an 8x8 tile or "" for solid).
PATTERNS = (
    ("solid", ""),
    ("diagonal", "M-2 2L2 -2M0 8L8 0M6 10L10 6"),
    ("dots", "M2 2h1.6v1.6h-1.6zM6 6h1.6v1.6h-1.6z"),
    ("horizontal", "M0 2H8M0 6H8"),
    ("cross", "M0 0L8 8M8 0L0 8"),
    ("vertical", "M2 0V8M6 0V8"),
    ("backslash", "M-2 6L2 10M0 0L8 8M6 -2L10 2"),
    ("grid", "M0 4H8M4 0V8"),
)
INK = "#1a1a1a"
GRID = "#c8c8c8"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]  # one per category
    style: int  # index into PALETTE/PATTERNS: stable per series across charts


def _hex(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def contrast_ratio(a: str, b: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def lum(colour: str) -> float:
        r, g, b_ = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in _hex(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def colour_of(style: int) -> str:
    return PALETTE[style % len(PALETTE)]


def _fill(chart_id: str, style: int) -> str:
    return colour_of(style) if not PATTERNS[style % len(PATTERNS)][1] else f"url(#{chart_id}-p{style})"


def _defs(chart_id: str, styles: list[int]) -> str:
    out = []
    for s in styles:
        path = PATTERNS[s % len(PATTERNS)][1]
        if not path:
            continue
        out.append(f'<pattern id="{chart_id}-p{s}" patternUnits="userSpaceOnUse" width="8" height="8">'
                   f'<rect width="8" height="8" fill="{colour_of(s)}"/>'
                   f'<path d="{path}" stroke="#ffffff" stroke-width="1.6" fill="#ffffff"/></pattern>')
    return "<defs>" + "".join(out) + "</defs>" if out else ""


def _nice_step(top: int) -> int:
    """A tick step of 1, 2, 5, 10, 20, 50… giving at most 5 ticks."""
    step = 1
    while True:
        for k in (1, 2, 5):
            if top <= 5 * step * k:
                return step * k
        step *= 10


def _text_width(text: str, size: float) -> float:
    return sum(size if ord(ch) > 0x2e7f else size * 0.6 for ch in text)


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def stacked_bars(chart_id: str, title: str, desc: str, categories: tuple[str, ...],
                 series: tuple[Series, ...], width: int = 480) -> str:
    """An accessible stacked bar chart as one line of SVG markup."""
    e = escape
    shown = [s for s in series if any(s.values)]
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    top = max(totals + [1])
    step = _nice_step(top)
    y_max = step * -(-top // step)
    font, small = 18, 15  # big enough after a phone scales 480 units down to ~350 px
    left, right, head = 40, 8, 44
    plot_w = width - left - right
    plot_h = 200
    # Legend rows under the axis labels: entries wrap at the chart's width.
    legend, x, row = [], left, 0
    for s in shown:
        w = 22 + _text_width(s.name, small) + 18
        if x + w > width - right and x > left:
            x, row = left, row + 1
        legend.append((s, x, row))
        x += w
    axis_y = head + plot_h
    legend_y = axis_y + 44
    height = legend_y + (row + 1) * 24 + (2 if shown else -14)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="cb-chart" role="img" '
           f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {height}" '
           f'width="100%" preserveAspectRatio="xMidYMid meet">',
           f'<title id="{chart_id}-title">{e(title)}</title><desc id="{chart_id}-desc">{e(desc)}</desc>',
           _defs(chart_id, sorted({s.style for s in shown})),
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{left}" y="24" font-size="{font}" font-weight="bold" fill="{INK}">{e(title)}</text>']
    for k in range(0, y_max + 1, step):
        y = axis_y - plot_h * k / y_max
        out.append(f'<line x1="{left}" y1="{_n(y)}" x2="{width - right}" y2="{_n(y)}" stroke="{GRID}" stroke-width="1"/>'
                   f'<text x="{left - 6}" y="{_n(y + 4)}" font-size="{small}" text-anchor="end" fill="{INK}">{k}</text>')
    slot = plot_w / len(categories)
    bar = min(56.0, slot * 0.62)
    for i, name in enumerate(categories):
        cx = left + slot * (i + 0.5)
        x0 = cx - bar / 2
        y = axis_y
        for s in series:
            v = s.values[i]
            if not v:
                continue
            h = plot_h * v / y_max
            y -= h
            out.append(f'<rect x="{_n(x0)}" y="{_n(y)}" width="{_n(bar)}" height="{_n(h)}" fill="{_fill(chart_id, s.style)}" '
                       f'stroke="#ffffff" stroke-width="1"><title>{e(name)} {e(s.name)}：{v}</title></rect>')
        if totals[i]:
            out.append(f'<text x="{_n(cx)}" y="{_n(y - 5)}" font-size="{small}" text-anchor="middle" '
                       f'font-weight="bold" fill="{INK}">{totals[i]}</text>')
        out.append(f'<text x="{_n(cx)}" y="{axis_y + 20}" font-size="{small}" text-anchor="middle" fill="{INK}">{e(name)}</text>')
    out.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="{INK}" stroke-width="1"/>')
    for s, lx, r in legend:
        ly = legend_y + r * 24
        out.append(f'<rect x="{_n(lx)}" y="{ly - 13}" width="16" height="16" fill="{_fill(chart_id, s.style)}" '
                   f'stroke="{colour_of(s.style)}" stroke-width="1"/>'
                   f'<text x="{_n(lx + 22)}" y="{ly}" font-size="{small}" fill="{INK}">{e(s.name)}</text>')
    out.append("</svg>")
    return "".join(out)
