"""The pages' charts, drawn here as inline SVG (no script, no CDN): a stacked bar chart of
events per day, a circular network of country pairs, horizontal bars, sparklines.

Every function returns markup that is safe to embed: text goes through `esc`."""
from __future__ import annotations

import math
from datetime import date, timedelta
from html import escape

# One hue family per PLOVER quad class: 1 verbal cooperation (blues), 2 material
# cooperation (greens), 3 verbal conflict (ambers), 4 material conflict (reds).
QUAD_COLOURS = {
    1: ["#1f4e89", "#2f6fb8", "#5b93d1", "#93b9e3"],
    2: ["#1d6b3a", "#2f9154", "#62b47f"],
    3: ["#8a5a00", "#b27a00", "#d89e1f", "#eec266", "#f5dca0"],
    4: ["#8e1b1b", "#b83232", "#d9605f", "#eb9a98"],
}
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
              4: "material conflict"}
CATEGORY_QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "SANCTION": 3, "THREATEN": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}


def category_colour(category: str) -> str:
    quad = CATEGORY_QUAD.get(category, 1)
    members = [c for c, q in CATEGORY_QUAD.items() if q == quad]
    return QUAD_COLOURS[quad][members.index(category) % len(QUAD_COLOURS[quad])] if category in members else "#888"


def esc(value) -> str:
    return escape(str(value), quote=True)


def _nice_max(value: float) -> int:
    if value <= 5:
        return 5
    magnitude = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return int(10 * magnitude)


def stacked_days(rows: list[dict], start: date, end: date, value: str = "stories") -> str:
    """Bars per day (or per week past 120 days), stacked by category in quad order."""
    days = (end - start).days + 1
    bucket = 1 if days <= 120 else 7
    nbuckets = (days + bucket - 1) // bucket
    stacks: list[dict[str, int]] = [{} for _ in range(nbuckets)]
    for r in rows:
        i = (r["day"] - start).days // bucket
        if 0 <= i < nbuckets:
            stacks[i][r["category"]] = stacks[i].get(r["category"], 0) + int(r[value])
    top = _nice_max(max((sum(s.values()) for s in stacks), default=0))
    width, height, left, bottom, top_pad = 900, 260, 40, 28, 10
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    bar_w = plot_w / nbuckets
    order = sorted(CATEGORY_QUAD, key=lambda c: (CATEGORY_QUAD[c], list(CATEGORY_QUAD).index(c)))
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{esc(value)} per {"day" if bucket == 1 else "week"} by PLOVER category">']
    ticks = top if top <= 5 else 5 if top % 5 == 0 else 4
    for k in range(ticks + 1):
        y = top_pad + plot_h - plot_h * k / ticks
        out.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                   f'<text x="{left - 4}" y="{y + 4:.1f}" class="axis" text-anchor="end">{top * k // ticks}</text>')
    for i, stack in enumerate(stacks):
        x = left + i * bar_w
        y = top_pad + plot_h
        day0 = start + timedelta(days=i * bucket)
        for cat in order:
            n = stack.get(cat, 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            out.append(f'<rect x="{x + 0.5:.1f}" y="{y:.1f}" width="{max(bar_w - 1, 0.8):.1f}" height="{h:.1f}" '
                       f'fill="{category_colour(cat)}"><title>{day0.isoformat()} {esc(cat)}: {n} {esc(value)}</title></rect>')
    ticks = 6 if nbuckets > 6 else nbuckets
    for k in range(ticks):
        i = round(k * (nbuckets - 1) / max(ticks - 1, 1))
        day0 = start + timedelta(days=i * bucket)
        x = left + (i + 0.5) * bar_w
        anchor = "start" if k == 0 and ticks > 1 else "end" if k == ticks - 1 and ticks > 1 else "middle"
        x = left if anchor == "start" else width - 10 if anchor == "end" else x
        out.append(f'<text x="{x:.1f}" y="{height - 8}" class="axis" text-anchor="{anchor}">{day0.isoformat()}</text>')
    out.append("</svg>")
    return "".join(out)


def legend(categories: list[str]) -> str:
    items = []
    for quad in (1, 2, 3, 4):
        cats = [c for c in CATEGORY_QUAD if CATEGORY_QUAD[c] == quad and c in categories]
        if not cats:
            continue
        swatches = "".join(f'<span class="swatch"><i style="background:{category_colour(c)}"></i>{esc(c)}</span>'
                           for c in cats)
        items.append(f'<span class="quad"><b>{quad} · {esc(QUAD_NAMES[quad])}</b> {swatches}</span>')
    return f'<div class="legend">{"".join(items)}</div>'


def network(pairs: list[dict], names: dict[str, dict], link) -> str:
    """Countries on a circle, one chord per pair, its width by stories; `link(a, b)` gives
    the dyad page of a pair."""
    nodes: dict[str, int] = {}
    for p in pairs:
        for c in (p["a"], p["b"]):
            nodes[c] = nodes.get(c, 0) + int(p["stories"])
    if not nodes:
        return '<p class="empty">No country pairs in this period.</p>'
    order = sorted(nodes, key=lambda c: (-nodes[c], c))
    size, radius = 560, 190
    cx = cy = size / 2
    pos = {}
    for i, code in enumerate(order):
        angle = -math.pi / 2 + 2 * math.pi * i / len(order)
        pos[code] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle)
    most = max(int(p["stories"]) for p in pairs)
    out = [f'<svg class="chart network" viewBox="0 0 {size} {size}" role="img" '
           f'aria-label="country pairs by stories">']
    for p in sorted(pairs, key=lambda p: int(p["stories"])):
        (x1, y1, _), (x2, y2, _) = pos[p["a"]], pos[p["b"]]
        w = 1 + 7 * int(p["stories"]) / most
        out.append(f'<a href="{esc(link(p["a"], p["b"]))}" target="_self">'
                   f'<path d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}" class="edge" '
                   f'stroke-width="{w:.1f}"><title>{esc(p["a"])}–{esc(p["b"])}: {int(p["stories"])} stories</title></path></a>')
    for code in order:
        x, y, angle = pos[code]
        r = 4 + 10 * math.sqrt(nodes[code] / max(nodes.values()))
        lx, ly = cx + (radius + r + 8) * math.cos(angle), cy + (radius + r + 8) * math.sin(angle)
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        ar = (names.get(code) or {}).get("ar") or code
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" class="node"><title>{esc(code)} {esc(ar)}: '
                   f'{nodes[code]} stories</title></circle>'
                   f'<text x="{lx:.1f}" y="{ly:.1f}" class="label" text-anchor="{anchor}" dominant-baseline="middle">'
                   f'<tspan class="code">{esc(code)}</tspan> <tspan class="ar" direction="rtl">{esc(ar)}</tspan></text>')
    out.append("</svg>")
    return "".join(out)


def hbars(rows: list[tuple[str, float, str]], unit: str) -> str:
    """Horizontal bars: (label, value, title) each."""
    if not rows:
        return '<p class="empty">Nothing in this period.</p>'
    most = max(v for _, v, _ in rows) or 1
    bar_h, label_w, width = 22, 120, 560
    height = bar_h * len(rows) + 4
    out = [f'<svg class="chart bars" viewBox="0 0 {width} {height}" role="img" aria-label="{esc(unit)}">']
    for i, (label, value, title) in enumerate(rows):
        y = 2 + i * bar_h
        w = (width - label_w - 50) * value / most
        out.append(f'<text x="{label_w - 6}" y="{y + 15}" class="axis" text-anchor="end">{esc(label)}</text>'
                   f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 1):.1f}" height="{bar_h - 6}" class="bar">'
                   f'<title>{esc(title)}</title></rect>'
                   f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" class="axis">{value:g}</text>')
    out.append("</svg>")
    return "".join(out)


def sparkline(days: list[dict], width: int = 140, height: int = 28) -> str:
    """New items per logical date; failed days as red marks under the line."""
    if not days:
        return ""
    most = max(int(d["items_new"] or 0) for d in days) or 1
    step = width / max(len(days) - 1, 1)
    pts = " ".join(f"{i * step:.1f},{height - 4 - (height - 8) * int(d['items_new'] or 0) / most:.1f}"
                   for i, d in enumerate(days))
    fails = "".join(f'<rect x="{max(i * step - 2, 0):.1f}" y="{height - 3}" width="4" height="3" class="fail"/>'
                    for i, d in enumerate(days) if d["failed"])
    title = ", ".join(f"{d['day']}: {d['items_new']}{' (failed)' if d['failed'] else ''}" for d in days)
    return (f'<svg class="spark" viewBox="-2 0 {width + 4} {height}" width="{width}" height="{height}" role="img" '
            f'aria-label="new items per day"><title>{esc(title)}</title>'
            f'<polyline points="{pts}" class="line"/>{fails}</svg>')
