"""Draw the PLN map as a self-contained SVG, on the server, with no script and no style sheet.

Everything a person wrote (names, topic names) is escaped and names are wrapped in Unicode
isolates (FSI…PDI) so a right-to-left override cannot spill over (T-22, T-26). Ties carry
their direction in colour AND dash pattern; mutual ties are thicker with a dot; dormant ties
are faded. Presentation attributes only (no <style>): the picture looks the same inline under
the page's CSP, in an <img>, or served on its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date

from django.utils.html import escape

from connective.discovery.services.pln_map import Group, Tie, profile_urls, quiet_words
from connective.network.models import Direction

WIDTH, MAP_HEIGHT, LEGEND_HEIGHT = 1240, 800, 170
HEIGHT = MAP_HEIGHT + LEGEND_HEIGHT
CX, CY = WIDTH / 2, MAP_HEIGHT / 2
RINGS = (165, 220, 275)
LABEL_RADIUS = 330
LABEL_LIMIT = 80  # more people than this: names only in tooltips and the list beside the map
MIN_SPAN = 0.3  # radians a sector gets at least
TEXT = "#1c2128"
MUTED = "#596170"
STYLES: dict[str, tuple[str, str, str]] = {  # direction → (colour, dash pattern, legend text)
    Direction.LEARN_FROM: ("#2c5d8c", "", "You learn from them"),
    Direction.LEARN_WITH: ("#2a6a31", "10 6", "You learn with them"),
    Direction.HELP: ("#9a4a00", "2 6", "You help them"),
}
# A published copy is read by others: the middle is the owner, named below it, not "you".
PUBLIC_LEGEND: dict[str, str] = {
    Direction.LEARN_FROM: "Learns from them",
    Direction.LEARN_WITH: "Learns with them",
    Direction.HELP: "Helps them",
}
SECTOR_FILLS = ("#eef3f9", "#faf6ee")

NameFor = Callable[[Tie], str]


def isolate(text: str, limit: int = 28) -> str:
    """Escaped text, shortened, inside FSI…PDI so its direction stays its own."""
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return escape(f"\u2068{short}\u2069")


def _point(angle: float, radius: float) -> tuple[float, float]:
    return CX + radius * math.cos(angle), CY + radius * math.sin(angle)


def _spans(groups: list[Group]) -> list[float]:
    """Each sector's angle: proportional to its people, at least MIN_SPAN, summing to 2π."""
    total = sum(len(g.ties) for g in groups) or 1
    raw = [max(MIN_SPAN, 2 * math.pi * len(g.ties) / total) for g in groups]
    scale = 2 * math.pi / sum(raw) if raw else 1
    return [r * scale for r in raw]


def _wedge(start: float, span: float, fill: str) -> str:
    if span >= 2 * math.pi - 1e-6:
        return f'<circle cx="{CX}" cy="{CY}" r="{RINGS[-1] + 30}" fill="{fill}"/>'
    x1, y1 = _point(start, RINGS[-1] + 30)
    x2, y2 = _point(start + span, RINGS[-1] + 30)
    large = 1 if span > math.pi else 0
    return (
        f'<path d="M{CX:.1f},{CY:.1f} L{x1:.1f},{y1:.1f} A{RINGS[-1] + 30},{RINGS[-1] + 30} 0 '
        f'{large} 1 {x2:.1f},{y2:.1f} Z" fill="{fill}"/>'
    )


def _sector_label(group: Group, angle: float) -> str:
    x, y = _point(angle, LABEL_RADIUS)
    anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="20" font-weight="700" '
        f'fill="{MUTED}">{isolate(group.name, 24)} ({len(group.ties)})</text>'
    )


def _tie(
    tie: Tie, angle: float, radius: float, name: str, labelled: bool, href: str, owner: str | None
) -> str:
    colour, dash, _text = STYLES.get(tie.direction, STYLES[Direction.LEARN_FROM])
    x, y = _point(angle, radius)
    width = 4 if tie.mutual else 2
    dash_attr = f' stroke-dasharray="{dash}" stroke-linecap="round"' if dash else ""
    parts = [
        # A dormant tie fades its line, never its name: the name must stay readable.
        f'<g class="tie{" tie--dormant" if tie.dormant else ""}">',
        f"<title>{isolate(name, 80)} — {_words(tie, owner)}</title>",
        f'<line x1="{CX}" y1="{CY}" x2="{x:.1f}" y2="{y:.1f}" stroke="{colour}" '
        f'stroke-width="{width}"{dash_attr} stroke-opacity="{0.3 if tie.dormant else 1}"/>',
    ]
    if tie.mutual:
        mx, my = _point(angle, radius / 2)
        parts.append(f'<circle cx="{mx:.1f}" cy="{my:.1f}" r="5" fill="{colour}"/>')
    parts.append(f'<a href="{escape(href)}">' if href else "")
    parts.append(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="#ffffff" stroke="{colour}" '
        f'stroke-width="3"/>'
    )
    if labelled:
        italic = ' font-style="italic"' if tie.dormant else ""
        lx, ly = _point(angle, radius + 14)
        anchor = "start" if math.cos(angle) >= 0 else "end"
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + 5:.1f}" text-anchor="{anchor}" font-size="19" '
            f'fill="{MUTED if tie.dormant else TEXT}"'
            f"{italic}>{isolate(name, 22)}</text>"
        )
    parts.append("</a>" if href else "")
    parts.append("</g>")
    return "".join(parts)


def _words(tie: Tie, owner: str | None) -> str:
    """The tie in words, escaped, the owner's name (a public copy) isolated."""
    if owner is None:
        return str(escape(tie.words))
    mark = "\ue000"  # stands for the name until the rest is escaped
    return str(escape(tie.words_for(mark))).replace(mark, isolate(owner, 40))


def _legend(public: bool) -> str:
    top = MAP_HEIGHT + 10
    rows = [
        f'<g transform="translate({CX - 380:.0f},0)">',
        f'<text x="24" y="{top + 8}" font-size="17" font-weight="700" fill="{TEXT}">Legend</text>',
    ]
    for i, (direction, (colour, dash, text)) in enumerate(STYLES.items()):
        text = PUBLIC_LEGEND[direction] if public else text
        y = top + 32 + i * 24
        dash_attr = f' stroke-dasharray="{dash}" stroke-linecap="round"' if dash else ""
        rows.append(
            f'<line x1="24" y1="{y}" x2="84" y2="{y}" stroke="{colour}" stroke-width="2"'
            f"{dash_attr}/>"
            f'<text x="96" y="{y + 4}" font-size="16" fill="{TEXT}">{escape(text)}</text>'
        )
    y = top + 32
    rows.append(
        f'<line x1="400" y1="{y}" x2="460" y2="{y}" stroke="{MUTED}" stroke-width="4"/>'
        f'<circle cx="430" cy="{y}" r="5" fill="{MUTED}"/>'
        f'<text x="472" y="{y + 4}" font-size="16" fill="{TEXT}">'
        f"Mutual: {'connected' if public else 'you connect'} both ways</text>"
        f'<g opacity="0.3"><line x1="400" y1="{y + 24}" x2="460" y2="{y + 24}" '
        f'stroke="{MUTED}" stroke-width="2"/></g>'
        f'<text x="472" y="{y + 28}" font-size="16" fill="{TEXT}">Faded: dormant, '
        f"{quiet_words()}</text>"
    )
    rows.append("</g>")
    return "".join(rows)


def render_map(
    owner_name: str,
    groups: list[Group],
    when: date,
    *,
    name_for: NameFor | None = None,
    public: bool = False,
) -> str:
    """The whole map as an SVG document string; `name_for` may withhold names. A `public`
    copy (a published snapshot) speaks of its owner by name, not as "you", and links nowhere."""
    name_for = name_for or (lambda tie: tie.person.name)
    owner = owner_name if public else None
    profile_url = profile_urls()
    count = sum(len(g.ties) for g in groups)
    title = f"Map of the learning network of {owner_name} on {when.isoformat()}"
    desc = f"{count} {'person' if count == 1 else 'people'} in {len(groups)} topic groups"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="pln-title pln-desc" font-family="system-ui, sans-serif">',
        f'<title id="pln-title">{isolate(title, 200)}</title>',
        f'<desc id="pln-desc">{escape(desc)}</desc>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    spans = _spans(groups)
    start = -math.pi / 2
    # Every sector's background first, so no sector covers a neighbour's long names.
    for i, span in enumerate(spans):
        out.append(_wedge(start, span, SECTOR_FILLS[i % 2]))
        start += span
    start = -math.pi / 2
    for group, span in zip(groups, spans, strict=True):
        out.append(_sector_label(group, start + span / 2))
        n = len(group.ties)
        for j, tie in enumerate(group.ties):
            radius = RINGS[j % len(RINGS)] if n > 4 else RINGS[1]
            href = "" if public else (tie.url or profile_url(tie.person))
            angle = start + span * (j + 0.5) / n
            out.append(_tie(tie, angle, radius, name_for(tie), count <= LABEL_LIMIT, href, owner))
        start += span
    out.append(_centre(owner_name, count, "You" if owner is None else ""))
    out.append(_legend(owner is not None))
    out.append("</svg>")
    return "\n".join(out)


def _centre(owner_name: str, count: int, label: str) -> str:
    parts = [
        f'<circle cx="{CX}" cy="{CY}" r="36" fill="#2c5d8c"/>',
        f'<text x="{CX}" y="{CY + 6}" text-anchor="middle" font-size="16" font-weight="700" '
        f'fill="#ffffff">{label}</text>',
        f'<text x="{CX}" y="{CY + 56}" text-anchor="middle" font-size="16" fill="{TEXT}">'
        f"{isolate(owner_name, 30)}</text>",
    ]
    if not count:
        parts.append(
            f'<text x="{CX}" y="{CY + 90}" text-anchor="middle" font-size="14" fill="{MUTED}">'
            f"No connections yet</text>"
        )
    return "".join(parts)
