"""Scenes: every number a figure of the catalog shows equals torch's result."""

import pytest
import torch
import torch.nn.functional as F

from figures import catalog, render
from figures.experiments import make_values
from figures.scene import HOLD_MS, STEP_MS


def torch_result(config):
    x, w = make_values(config.values, config.input, config.kernel, config.seed)
    if config.kind == "conv":
        y = F.conv2d(x[None, None], w[None, None], stride=config.stride, padding=config.padding,
                     dilation=config.dilation)
    else:
        y = F.conv_transpose2d(x[None, None], w[None, None], stride=config.stride, padding=config.padding,
                               dilation=config.dilation, output_padding=config.output_padding)
    return x, w, y[0, 0]


@pytest.mark.parametrize("entry", catalog.CATALOG, ids=lambda e: e.name)
def test_scene_shows_torchs_numbers(entry):
    config = entry.config()
    scene = render.scene_for(config)
    x, w, y = torch_result(config)
    # the output grid is torch's output, cell for cell
    assert torch.equal(torch.tensor(scene.output.values, dtype=torch.float64), y)
    # the last frame shows every output cell, with torch's value
    last = scene.frames[-1]
    shown = scene.shown_output(last)
    assert len(shown) == y.numel()
    assert all(y[cell].item() == value for cell, value in shown.items())
    # the input grid holds the input's values in its input cells; padding and zeros are 0
    cells = scene.input.cells
    values = [scene.input.values[r][c] for r, row in enumerate(cells) for c, role in enumerate(row) if role == "input"]
    if config.kind == "conv":
        assert values == x.flatten().tolist()
        assert torch.equal(torch.tensor(scene.kernel.values, dtype=torch.float64), w)
    else:
        assert sorted(values) == sorted(x.flatten().tolist())
        assert torch.equal(torch.tensor(scene.kernel.values, dtype=torch.float64), torch.flip(w, (0, 1)))
    assert all(scene.input.values[r][c] == 0 for r, row in enumerate(cells) for c, role in enumerate(row)
               if role in ("pad", "zero"))
    # one frame per output cell, then a held final frame
    assert len(scene.frames) == y.numel() + 1
    assert last.duration_ms == HOLD_MS and last.current is None and not last.footprint
    for n, frame in enumerate(scene.frames[:-1]):
        assert frame.duration_ms == STEP_MS
        assert frame.current == divmod(n, y.shape[1])
        assert frame.filled == n + 1
        # the window sum under the footprint is the output value that frame fills in
        under = [scene.input.values[r][c] for r, c in frame.footprint]
        kernel = [v for row in scene.kernel.values for v in row]
        assert sum(a * b for a, b in zip(under, kernel)) == y[frame.current].item()
    # labels: input and output by symbol and size; no words
    assert scene.input.label.startswith("X ") and f"{x.shape[0]}×{x.shape[1]}" in scene.input.label
    assert scene.output.label == f"Y  {y.shape[0]}×{y.shape[1]}"
    assert scene.formula.endswith(f"= {y.shape[0]}")


def test_padding_and_zeros_are_marked():
    scene = render.scene_for(catalog.get("padding-strides-odd-transposed").config())
    roles = {role for row in scene.input.cells for role in row}
    assert roles == {"input", "pad", "zero"}
    scene = render.scene_for(catalog.get("padding-strides").config())
    assert {role for row in scene.input.cells for role in row} == {"input", "pad"}


def test_dilation_footprint_is_spread():
    scene = render.scene_for(catalog.get("dilation").config())
    first = scene.frames[0].footprint
    assert first == tuple((r, c) for r in (0, 2, 4) for c in (0, 2, 4))
