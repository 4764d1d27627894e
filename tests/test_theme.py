"""Every label and digit of every figure is readable: at least WCAG AA's 4.5:1 against what is
behind it, in both themes, computed from the theme itself (the colours the renderer uses)."""

import numpy as np
import pytest

from figures import draw, render, theme as th
from figures.config import Config

AA = 4.5


@pytest.mark.parametrize("t", [th.LIGHT, th.DARK], ids=lambda t: t.name)
def test_labels_and_text_on_the_background(t):
    assert th.contrast(t.text, t.background) >= AA
    for role, colour in t.label.items():
        assert th.contrast(colour, t.background) >= AA, (role, colour)


@pytest.mark.parametrize("t", [th.LIGHT, th.DARK], ids=lambda t: t.name)
def test_digits_on_every_cell_fill_and_every_shade(t):
    for role, fill in t.fill.items():
        assert th.contrast(t.digit(role, fill), fill) >= AA, (role, fill)
    for role, colour in t.strong.items():  # panels that tint a cell by its value
        for amount in np.linspace(*th.SHADE_RANGE, 51):
            fill = th.mix(colour, t.background, float(amount))
            assert th.contrast(t.digit(role, fill), fill) >= AA, (role, amount)


@pytest.mark.parametrize("t", [th.LIGHT, th.DARK], ids=lambda t: t.name)
def test_a_hatch_never_runs_through_a_digit(t):
    """Digits in padding and inserted zeros are drawn on a halo of their cell's fill, so what is
    behind them is the fill (checked above), not the hatch lines."""
    scene = render.scene_for(Config("transposed", (2, 2), (3, 3), (2, 2), (1, 1), (1, 1), (1, 1)))
    renderer = draw.Renderer(scene, t)
    hatched = [(key, text) for key, text in renderer.cell_text.items() if key[0] == "input"
               and scene.input.cells[key[1]][key[2]] in th.HATCH]
    assert {scene.input.cells[r][c] for (_, r, c), _ in hatched} == set(th.HATCH)  # both kinds present
    for (_, r, c), text in hatched:
        (effect,) = text.get_path_effects()
        fill = t.fill[scene.input.cells[r][c]]
        assert effect._gc["foreground"] == fill and text.get_color() == t.muted  # noqa: SLF001
    renderer.close()


def test_the_hatches_stay_visible_patterns():
    for t in (th.LIGHT, th.DARK):
        for role in th.HATCH:
            assert th.contrast(t.hatch[role], t.fill[role]) >= 1.3, (t.name, role)


@pytest.mark.parametrize("t", [th.LIGHT, th.DARK], ids=lambda t: t.name)
def test_channel_tints_are_distinct_readable_and_in_the_palette(t):
    """The pixel shuffle's cells keep their channel's tint: distinct shades, every digit readable
    on each, each an exact colour of the GIF palette."""
    assert len(set(t.tints)) == len(t.tints) == th.TINTS
    for fill in t.tints:
        assert th.contrast(t.digit("input", fill), fill) >= AA, fill
        assert fill in t.colours(tints=True) and fill not in t.colours()  # only where a figure shows them
    lum = [th.luminance(c) for c in t.tints]
    assert lum == sorted(lum, reverse=t.name == "light")  # from faint to strong
