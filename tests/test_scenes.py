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


CONVOLUTIONS = [e for e in catalog.CATALOG if e.kind in ("conv", "transposed")]


@pytest.mark.parametrize("entry", CONVOLUTIONS, ids=lambda e: e.name)
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


@pytest.mark.parametrize("entry", [e for e in catalog.CATALOG if e.kind == "trace"], ids=lambda e: e.name)
def test_trace_shows_autograds_path_counts(entry):
    from torch import nn

    from figures import receptive

    config = entry.config()
    scene = render.scene_for(config)
    layers = nn.Sequential(*[nn.Conv2d(1, 1, k, stride=s, dilation=d, bias=False)
                             for k, s, d in zip(config.kernels, config.strides, config.dilations)])
    out = config.check().output
    cell = (out[0] // 2, out[1] // 2)
    rows, cols = receptive.input_cells(layers, config.input, cell)
    last = scene.frames[-1]
    # the traced input cells are exactly the receptive field: rows × columns
    assert set(last.traced[0]) == {(r, c) for r in rows for c in cols}
    # their numbers are the gradient with all-ones weights, from torch
    x = torch.ones(1, 1, config.input, config.input, dtype=torch.float64, requires_grad=True)
    for layer in layers:
        layer.double().weight.data.fill_(1.0)
    layers(x)[0, 0, cell[0], cell[1]].backward()
    assert torch.equal(torch.tensor(scene.grids[0].values, dtype=torch.float64), x.grad[0, 0])
    # one map back per step: the output cell first, the input last
    assert [sum(1 for t in f.traced if t) for f in scene.frames] == list(range(1, len(scene.grids) + 1))
    r = receptive.receptive_field(layers, config.input)[-1].size[0]
    assert scene.formula.endswith(f"= {r}") and len(rows) == r


def test_erf_grows_as_sqrt_n():
    entry = catalog.get("effective-receptive-field")
    scene = render.scene_for(entry.config())
    for n, sigma, r in zip(scene.depths, scene.spread, scene.theoretical):
        assert abs(sigma - (2 * n / 3) ** 0.5) < 1e-9  # n box filters of variance 2/3
        assert r == 2 * n + 1
    for values in scene.maps:
        assert abs(sum(map(sum, values)) - 1) < 1e-9  # the crop keeps the whole field


@pytest.mark.parametrize("entry", [e for e in catalog.CATALOG if e.kind in ("max", "avg")], ids=lambda e: e.name)
def test_pooling_scene_shows_torchs_numbers(entry):
    config = entry.config()
    scene = render.scene_for(config)
    x, _ = make_values(config.values, config.input, config.kernel, config.seed)
    if config.kind == "max":
        y = F.max_pool2d(x[None, None], config.kernel, config.stride, config.padding, config.dilation,
                         ceil_mode=config.ceil_mode)[0, 0]
    else:
        y = F.avg_pool2d(x[None, None], config.kernel, config.stride, config.padding, ceil_mode=config.ceil_mode)[0, 0]
    assert torch.equal(torch.tensor(scene.output.values, dtype=torch.float64), y)
    assert scene.kernel.label.startswith(config.kind) and not scene.kernel.numbers
    pads = {scene.input.values[r][c] for r, row in enumerate(scene.input.cells) for c, role in enumerate(row)
            if role == "pad"}
    if config.kind == "max":
        assert pads <= {float("-inf")}  # max pooling pads with −∞, never 0
    assert len(scene.frames) == y.numel() + 1
