"""Figures of tensors drawn as C×H×W blocks: every number is torch's, and every frame highlights
exactly the cells torch read (found here by autograd, independently of the experiments)."""

import json

import pytest
import torch
import torch.nn.functional as F

from figures import catalog, draw, experiments, render, steps, theme
from figures.blocks import BlockScene
from figures.scene import HOLD_MS

NAMES = ("channels-3d", "groups-3d", "depthwise-separable-3d", "pixel-shuffle-3d")


def _t(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float64)


def _read_by(x: torch.Tensor, kernel: tuple, groups: int, c_out: int, out) -> set:
    """The input cells output cell ``out`` = (channel, row, column) depends on: the nonzero
    gradient of that cell of a convolution with weights of ones, same groups (by autograd)."""
    x = x.clone().requires_grad_(True)
    ones = torch.ones(c_out, x.shape[0] // groups, *kernel, dtype=torch.float64)
    F.conv2d(x[None], ones, groups=groups)[0][out].backward()
    return {tuple(int(i) for i in cell) for cell in torch.nonzero(x.grad)}


def _check_conv_row(scene: BlockScene, frames, first: int, weight, bias, groups: int) -> None:
    """Blocks ``first`` … ``first + 2`` are X ⊛ W = Y: Y is F.conv2d(X, weight, bias, groups),
    each frame shows the kernel of its output channel, outlines exactly the cells torch read for
    its current cell, and shows the output cells computed so far."""
    x_block, w_block, y_block = scene.blocks[first:first + 3]
    x, y = _t(x_block.values), _t(y_block.values)
    assert torch.equal(y, F.conv2d(x[None], weight, bias, groups=groups)[0])
    c_out, oh, ow = y.shape
    assert len(frames) == y.numel()
    done = set()
    for n, frame in enumerate(frames):
        xs, ws, ys = frame.states[first:first + 3]
        out = (n // (oh * ow), *divmod(n % (oh * ow), ow))  # output channel by channel, reading order
        assert ys.current == (out,)
        done.add(out)
        assert set(ys.shown) == done
        assert set(xs.footprint) == _read_by(x, tuple(weight.shape[-2:]), groups, c_out, out)
        assert torch.equal(_t(ws.values), weight[out[0]])
        assert ws.label.startswith("WV"[first > 0] + "₀₁₂₃"[out[0]])


def test_channels_3d_is_the_layers_output_channel_by_channel():
    scene = render.scene_for(catalog.get("channels-3d").config())
    record = experiments.record_channels_3d()
    layer = torch.nn.Conv2d(3, 2, 3, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(record.weight)
        layer.bias.copy_(record.bias)
    x = _t(scene.blocks[0].values)
    assert x.shape == (3, 4, 4) and torch.equal(x, record.input)
    assert torch.equal(_t(scene.blocks[2].values), layer(x[None])[0].detach())
    _check_conv_row(scene, scene.frames[:-1], 0, record.weight, record.bias, 1)
    # the first output channel is the channel-sum figure's output (the same weights and bias)
    channel_sum = experiments.record_channels()
    assert torch.equal(_t(scene.blocks[2].values)[0], channel_sum.output)
    assert scene.frames[-1].duration_ms == HOLD_MS
    assert all(s.shown is None and not s.footprint and not s.current for s in scene.frames[-1].states)
    assert [b.label for b in scene.blocks] == ["X  3×4×4", "W₀  3×3×3", "Y  2×2×2"]


def test_groups_3d_reads_only_its_groups_channels():
    scene = render.scene_for(catalog.get("groups-3d").config())
    record = experiments.record_groups_3d()
    assert record.weight.shape == (4, 2, 2, 2)
    _check_conv_row(scene, scene.frames[:-1], 0, record.weight, None, 2)
    for frame in scene.frames[:-1]:
        o = frame.states[2].current[0][0]
        assert {c for c, _, _ in frame.states[0].footprint} == ({0, 1} if o < 2 else {2, 3})


def test_depthwise_separable_3d_is_the_two_layers():
    scene = render.scene_for(catalog.get("depthwise-separable-3d").config())
    record = experiments.record_separable()
    dw, pw = record.depthwise.weight, record.pointwise.weight
    assert dw.shape == (3, 1, 2, 2) and pw.shape == (2, 3, 1, 1)
    depthwise, pointwise = scene.frames[:12], scene.frames[12:-1]
    _check_conv_row(scene, depthwise, 0, dw, None, 3)
    _check_conv_row(scene, pointwise, 3, pw, None, 1)
    for frame in depthwise:  # one channel read per output channel, its own
        o = frame.states[2].current[0][0]
        assert {c for c, _, _ in frame.states[0].footprint} == {o}
        assert frame.states[3].shown == frame.states[2].shown and frame.states[5].shown == ()
    for frame in pointwise:  # every channel of H, one cell of each
        assert len(frame.states[3].footprint) == 3
    assert scene.blocks[3].values == scene.blocks[2].values  # the second row starts from the first's H
    x = _t(scene.blocks[0].values)
    block = torch.nn.Sequential(torch.nn.Conv2d(3, 3, 2, groups=3, bias=False, dtype=torch.float64),
                                torch.nn.Conv2d(3, 2, 1, bias=False, dtype=torch.float64))
    with torch.no_grad():
        block[0].weight.copy_(dw)
        block[1].weight.copy_(pw)
        assert torch.equal(_t(scene.blocks[5].values), block(x[None])[0])


def test_pixel_shuffle_3d_moves_each_channel_to_every_rth_cell():
    scene = render.scene_for(catalog.get("pixel-shuffle-3d").config())
    x_block, y_block = scene.blocks
    x, y = _t(x_block.values), _t(y_block.values)
    assert x.shape == (4, 2, 2) and y.shape == (1, 4, 4)
    assert torch.equal(y, F.pixel_shuffle(x[None], 2)[0])
    landed = set()
    for c, frame in enumerate(scene.frames[:-1]):
        xs, ys = frame.states
        assert set(xs.footprint) == {(c, i, j) for i in range(2) for j in range(2)}
        one = torch.zeros_like(x)
        one[c] = 1
        moved = {tuple(int(i) for i in cell) for cell in torch.nonzero(F.pixel_shuffle(one[None], 2)[0])}
        assert set(ys.current) == moved  # where torch puts channel c
        landed |= moved
        assert set(ys.shown) == landed
        for cell in moved:  # each keeps its channel's tint
            assert y_block.tint[cell[0]][cell[1]][cell[2]] == c
    assert all(x_block.tint[c][i][j] == c for c in range(4) for i in range(2) for j in range(2))


@pytest.mark.parametrize("name", NAMES)
def test_the_renderer_draws_every_frame_in_both_themes(name):
    from contextlib import closing

    entry = catalog.get(name)
    scene = render.scene_for(entry.config())
    assert len(scene.frames) == entry.config().steps()
    for t in (theme.LIGHT, theme.DARK):
        with draw.library_defaults(), closing(render.drawn(scene, t)) as frames:
            shapes = {f.shape for f in frames}
        assert len(shapes) == 1
        (h, w, _), = shapes
        assert w <= 700, "small enough to read on a phone, enlarged"


@pytest.mark.parametrize("name", NAMES)
def test_every_step_names_the_cells_it_computes_and_what_it_read(name):
    entry = catalog.get(name)
    scene = render.scene_for(entry.config())
    data = steps.step_data(scene, "panels", list(range(len(scene.frames))), (1, 1))
    for step, frame in zip(data["steps"], scene.frames):
        current = [(block, cell) for block, state in zip(scene.blocks, frame.states) for cell in state.current]
        assert [(c["label"], tuple(c["cell"])) for c in step["cells"]] == [(b.label.split()[0], cell) for b, cell in current]
        for c, (block, (k, r, q)) in zip(step["cells"], current):
            assert c["value"] == block.values[k][r][q]
        footprint = next((state.footprint for state in frame.states if state.footprint), ())
        if not footprint:
            assert "reads" not in step
            continue
        reads = step["reads"]
        assert reads["channels"] == sorted({c for c, _, _ in footprint}) and reads["cells"] == len(footprint)
    json.dumps(data)
    first = data["steps"][0]
    if name == "channels-3d":
        assert first["cells"] == [{"label": "Y", "cell": [0, 0, 0], "value": 2}]
        assert first["reads"] == {"label": "X", "channels": [0, 1, 2], "rows": [0, 2], "cols": [0, 2], "cells": 27,
                                  "kernel": "W₀"}
    if name == "pixel-shuffle-3d":
        assert [c["cell"] for c in first["cells"]] == [[0, 0, 0], [0, 0, 2], [0, 2, 0], [0, 2, 2]]
        assert "kernel" not in first["reads"]


def test_vector_output_has_a_page_per_step_with_every_number_as_text(tmp_path, monkeypatch):
    """PDF (a page per step) and SVG (the last step) of a block figure: the renderer's pose()
    sets every artist, and every number of every block is text (what a slide can search)."""
    import io
    import xml.etree.ElementTree as ET

    from pypdf import PdfReader

    monkeypatch.setenv("FIGURES_CACHE", str(tmp_path / "cache"))
    entry = catalog.get("channels-3d")
    scene = render.scene_for(entry.config())
    reader = PdfReader(io.BytesIO(render.figure_bytes(entry.config(), "light", "pdf")))
    assert len(reader.pages) == len(scene.frames)
    words = reader.pages[-1].extract_text().split()
    root = ET.fromstring(render.figure_bytes(entry.config(), "dark", "svg"))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text]
    for block in scene.blocks:
        numbers = {draw.fmt(v) for plate in block.values for row in plate for v in row}
        assert numbers <= set(words) and numbers <= set(texts), block.label
