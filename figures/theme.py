"""Every colour, size and font of the figures, in one place.

The colour roles are fixed across the whole site (Okabe–Ito, safe for colour-blind readers):
input blue, output bluish green, kernel footprint orange, current output cell vermillion,
padding grey with a diagonal hatch, inserted zeros reddish purple with a dotted hatch
(so padding and zeros differ by pattern as well as by colour).

Every label and digit is at least TEXT_CONTRAST (WCAG AA's 4.5:1, with a margin) against what
is behind it, in both themes: labels take their role's colour made just dark (light theme) or
light (dark theme) enough, the digits in padding and inserted zeros are drawn on a halo of their
cell's fill so the hatch never runs through them, and the tests compute every pair from here.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

# Okabe & Ito (2008), "Color Universal Design"
BLUE = "#0072B2"
GREEN = "#009E73"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#999999"

ROLES = ("input", "output", "kernel", "pad", "zero", "current")

CELL_PX = 36  # one cell, in pixels
DPI = 100
FONT = "DejaVu Sans"  # ships with matplotlib: the same glyphs on every machine
LABEL_PT = 11.0
NUMBER_PT = 9.5
HATCH = {"pad": "/", "zero": ".."}
HATCH_LW = 0.8
# Lines and outlines are drawn without anti-aliasing, on whole pixels (1 pt = DPI/72 px): crisp
# edges, and a moving outline changes only its own pixels, not a fringe of blended shades
# (smaller GIFs). Text keeps its anti-aliasing.
LINE_LW = 0.72  # cell borders: 1 px
FOOTPRINT_LW = 2.16  # outline of the kernel's footprint: 3 px
CURRENT_LW = 2.16  # outline of the current output cell: 3 px
TEXT_CONTRAST = 4.6  # every label and digit against what is behind it (WCAG AA asks 4.5)
HALO_LW = 2.5  # points of cell fill drawn around a digit in a hatched cell
EXTREMES = ("#000000", "#FFFFFF")  # digits on a mid-tone shaded cell


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02X}" for c in rgb)


def _rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(colour: str) -> float:
    """WCAG relative luminance of "#RRGGBB"."""
    c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in _rgb(colour)]
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def readable(colour: str, *behind: str, ratio: float = TEXT_CONTRAST) -> str:
    """``colour`` with its lightness moved (same hue) just far enough to reach ``ratio`` against
    every colour in ``behind``: darker on light backgrounds, lighter on dark ones."""
    darker = luminance(behind[0]) > 0.18
    h, l, s = colorsys.rgb_to_hls(*_rgb(colour))
    while min(contrast(_hex(colorsys.hls_to_rgb(h, l, s)), b) for b in behind) < ratio:
        l = max(0.0, l - 0.005) if darker else min(1.0, l + 0.005)
        if l in (0.0, 1.0):
            break
    return _hex(colorsys.hls_to_rgb(h, l, s))


SHADE_RANGE = (0.08, 0.58)  # how much of a role's colour tints a cell shaded by its value, least to most


TINTS = 4  # shades of the input's colour for cells told apart by their channel (pixel shuffle)


def shade(value: float, lo: float, hi: float) -> float:
    """The amount of its role's colour in a cell shaded by ``value`` between ``lo`` and ``hi``."""
    return SHADE_RANGE[0] + (SHADE_RANGE[1] - SHADE_RANGE[0]) * (value - lo) / ((hi - lo) or 1)


def mix(colour: str, background: str, amount: float) -> str:
    """``amount`` of ``colour`` over ``background`` (0 = background, 1 = colour)."""
    a, b = _rgb(colour), _rgb(background)
    return _hex(tuple(amount * x + (1 - amount) * y for x, y in zip(a, b)))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    text: str
    muted: str  # numbers in padding and inserted zeros
    line: str  # cell borders
    fill: dict  # role → cell fill
    strong: dict  # role → outlines and marks
    hatch: dict  # role → hatch colour
    label: dict  # role → a label's text: the role's colour, readable on the background
    tints: tuple = ()  # TINTS shades of the input's colour, lightest first: cells told apart by their channel

    def digit(self, role: str, fill: str) -> str:
        """The colour of a digit in a cell of ``role`` filled with ``fill``: muted in padding and
        inserted zeros, else the text colour, or the background's where a strongly shaded fill
        leaves the text colour below TEXT_CONTRAST (or pure white or black, for a mid-tone fill:
        one of them is always at least 4.58:1)."""
        first = self.muted if role in HATCH else self.text
        if contrast(first, fill) >= TEXT_CONTRAST:
            return first
        return max((self.text, self.background, *EXTREMES), key=lambda colour: contrast(colour, fill))

    def colours(self, tints: bool = False) -> list[str]:
        """Every exact colour the theme uses (for the encoder's palette); the channel ``tints`` only
        for a figure that shows them (four more entries cost every other GIF bytes: the classics
        about 1%)."""
        return sorted({self.background, self.text, self.muted, self.line, *self.fill.values(),
                       *self.strong.values(), *self.hatch.values(), *self.label.values(),
                       *(self.tints if tints else ()), *EXTREMES})


def _theme(name: str, background: str, text: str, muted: str, line: str, tint: float) -> Theme:
    strong = {"input": BLUE, "output": GREEN, "kernel": ORANGE, "current": VERMILLION,
              "pad": GREY, "zero": PURPLE}
    if name == "dark":  # lighter strokes so they stand out on the slate background
        strong = {role: mix(c, "#FFFFFF", 0.8) for role, c in strong.items()}
    fill = {
        "input": mix(BLUE, background, tint),
        "output": mix(GREEN, background, tint),
        "kernel": mix(ORANGE, background, tint),
        "pad": mix(GREY, background, tint * 0.9),
        "zero": mix(PURPLE, background, tint),
        "empty": background,
    }
    hatch = {"pad": mix(GREY, background, 0.75), "zero": mix(PURPLE, background, 0.9)}
    label = {role: readable(colour, background) for role, colour in strong.items()}
    muted = readable(muted, *(fill[role] for role in HATCH))  # on the halo of its cell's fill
    tints = tuple(mix(strong["input"], background, shade(n, 0, TINTS - 1)) for n in range(TINTS))
    return Theme(name, background, text, muted, line, fill, strong, hatch, label, tints)


LIGHT = _theme("light", "#FFFFFF", "#1A1A1A", "#5F5F5F", "#4D4D4D", 0.28)
# Material's slate background is hsl(232, 15%, 14%)
DARK = _theme("dark", "#1E2129", "#EDEDED", "#B4B4B4", "#A8ACB5", 0.42)

THEMES = {"light": LIGHT, "dark": DARK}


def get(name: str) -> Theme:
    if name not in THEMES:
        raise ValueError(f"theme={name!r}: theme must be one of {', '.join(THEMES)}")
    return THEMES[name]


# Material's palettes: the scheme a page shows each theme's figures under
SCHEMES = {"light": "default", "dark": "slate"}


def css() -> str:
    """The themes' colours as CSS custom properties, one block per Material colour scheme, for
    pages that draw grids themselves (the explorer): generated from here, never copied by hand.
    ``--fig-ROLE-digit`` is the digit on that role's fill (``Theme.digit``)."""
    blocks = ["/* Generated from figures/theme.py (css()): the figures' colours. Do not edit. */"]
    for name, scheme in SCHEMES.items():
        t = THEMES[name]
        props = {"background": t.background, "text": t.text, "muted": t.muted, "line": t.line}
        for role in ROLES:
            if role in t.fill:
                props[f"{role}-fill"] = t.fill[role]
                props[f"{role}-digit"] = t.digit(role, t.fill[role])
            props[f"{role}-strong"] = t.strong[role]
            props[f"{role}-label"] = t.label[role]
        for role, colour in t.hatch.items():
            props[f"{role}-hatch"] = colour
        lines = "".join(f"  --fig-{key}: {value};\n" for key, value in props.items())
        blocks.append(f'[data-md-color-scheme="{scheme}"] {{\n{lines}}}')
    return "\n".join(blocks) + "\n"
