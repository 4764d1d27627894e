"""Every colour, size and font of the figures, in one place.

The colour roles are fixed across the whole site (Okabe–Ito, safe for colour-blind readers):
input blue, output bluish green, kernel footprint orange, current output cell vermillion,
padding grey with a diagonal hatch, inserted zeros reddish purple with a dotted hatch
(so padding and zeros differ by pattern as well as by colour).
"""

from __future__ import annotations

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


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02X}" for c in rgb)


def _rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


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
    strong: dict  # role → label text and outlines
    hatch: dict  # role → hatch colour

    def colours(self) -> list[str]:
        """Every exact colour the theme uses (for the encoder's palette)."""
        return sorted({self.background, self.text, self.muted, self.line,
                       *self.fill.values(), *self.strong.values(), *self.hatch.values()})


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
    return Theme(name, background, text, muted, line, fill, strong, hatch)


LIGHT = _theme("light", "#FFFFFF", "#1A1A1A", "#5F5F5F", "#4D4D4D", 0.28)
# Material's slate background is hsl(232, 15%, 14%)
DARK = _theme("dark", "#1E2129", "#EDEDED", "#B4B4B4", "#A8ACB5", 0.42)

THEMES = {"light": LIGHT, "dark": DARK}


def get(name: str) -> Theme:
    if name not in THEMES:
        raise ValueError(f"theme={name!r}: theme must be one of {', '.join(THEMES)}")
    return THEMES[name]
