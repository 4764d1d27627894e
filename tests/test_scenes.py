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
    assert scene.formula.endswith(f"= {r}") and max(rows) - min(rows) + 1 == r  # the span, holes or not


def test_gridding_leaves_holes():
    """Three 3×3 layers, all with dilation 2: the span is 13×13, but only the even rows and
    columns reach the output cell (49 of 169 cells); the figure leaves the others empty."""
    scene = render.scene_for(catalog.get("dilation-gridding").config())
    reached = set(scene.frames[-1].traced[0])
    assert reached == {(r, c) for r in range(0, 13, 2) for c in range(0, 13, 2)}
    holes = [(r, c) for r in range(13) for c in range(13) if (r, c) not in reached]
    assert len(holes) == 120 and all(scene.grids[0].values[r][c] == 0 for r, c in holes)


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


def _values(panel):
    return torch.tensor(panel.grid.values, dtype=torch.float64)


@pytest.mark.parametrize("entry", [e for e in catalog.CATALOG if e.kind == "conv"], ids=lambda e: e.name)
def test_unread_cells_are_crossed_out(entry):
    """The crossed-out cells of the last frame are exactly those with no influence on the output:
    zero gradient of the output's sum, by autograd, with a kernel of ones."""
    scene = render.scene_for(entry.config())
    config = entry.config()
    grid = torch.tensor(scene.input.values, dtype=torch.float64, requires_grad=True)
    ones = torch.ones(1, 1, *config.kernel, dtype=torch.float64)
    F.conv2d(grid[None, None], ones, stride=config.stride, dilation=config.dilation).sum().backward()
    expected = {(r, c) for r, c in zip(*torch.nonzero(grid.grad == 0, as_tuple=True)) for r, c in [(int(r), int(c))]}
    assert set(scene.frames[-1].unread) == expected
    assert all(not f.unread for f in scene.frames[:-1])


def test_strides_unread_crosses_out_the_last_row_and_column():
    scene = render.scene_for(catalog.get("strides-unread").config())
    assert set(scene.frames[-1].unread) == {(5, c) for c in range(6)} | {(r, 5) for r in range(6)}


def test_equivariance_shift_the_input_shift_the_map():
    scene = render.scene_for(catalog.get("equivariance").config())
    first = None
    for row, note in zip(scene.rows, scene.notes):
        x, w, y = (_values(p) for p in row if not isinstance(p, str))
        shift = int(note.split("=")[1])
        assert torch.equal(F.conv2d(x[None, None], w[None, None])[0, 0], y)
        if first is None:
            first = (x, y)
            continue
        assert torch.equal(x[:, shift:], first[0][:, : x.shape[1] - shift]) and not x[:, :shift].any()
        assert torch.equal(y[:, shift:], first[1][:, : y.shape[1] - shift]) and not y[:, :shift].any()
    assert [n for n in scene.notes] == ["Δ = 0", "Δ = 2", "Δ = 4"]


def test_padding_modes_are_what_the_layer_pads():
    from torch import nn

    scene = render.scene_for(catalog.get("padding-modes").config())
    x = torch.arange(1., 17, dtype=torch.float64).reshape(1, 1, 4, 4)
    assert [p.grid.label for p in scene.panels] == ["zeros", "reflect", "replicate", "circular"]
    for panel in scene.panels:
        layer = nn.Conv2d(1, 1, 3, padding=2, padding_mode=panel.grid.label, bias=False, dtype=torch.float64)
        grid = _values(panel)
        assert torch.equal(grid[2:6, 2:6], x[0, 0])
        assert torch.allclose(F.conv2d(grid[None, None], layer.weight), layer(x))
    reflect = _values(scene.panels[1])
    assert reflect[0, 0] == 11 and reflect[2, 0] == 3  # reflect skips the edge: 1 2 3 → 3 2 1 2 3


def test_dilation_coverage_steps_both_kernels_together():
    scene = render.scene_for(catalog.get("dilation-coverage").config())
    (x1, w1, y1), (x2, w2, y2) = ([_values(p) for p in row if not isinstance(p, str)] for row in scene.rows)
    x = torch.arange(1., 50, dtype=torch.float64).reshape(1, 1, 7, 7)
    assert torch.equal(y1, F.conv2d(x, w1[None, None])[0, 0])
    assert torch.equal(y2, F.conv2d(x, w2[None, None], padding=1, dilation=2)[0, 0])
    assert len(scene.frames) == 26
    for n, frame in enumerate(scene.frames[:-1]):
        a, _, out1, b, _, out2 = frame.states
        assert out1.current == out2.current == divmod(n, 5) and out1.shown == out2.shown == n + 1
        centre = lambda cells: (sum(r for r, _ in cells) / 9, sum(c for _, c in cells) / 9)  # noqa: E731
        c1, c2 = centre(a.footprint), centre(b.footprint)
        assert (c1[0], c1[1]) == (c2[0] - 1, c2[1] - 1)  # the same input cell (grid 2 is padded by 1)
        assert max(r for r, _ in b.footprint) - min(r for r, _ in b.footprint) == 4  # span d·(k−1)+1 = 5
        assert sum(x2[cell] for cell in b.footprint) == y2[divmod(n, 5)]
    assert scene.notes[1].endswith("d·(k−1)+1 = 5")


def test_channel_sum_is_the_layers_output():
    from torch import nn

    from figures import experiments

    scene = render.scene_for(catalog.get("channel-sum").config())
    record = experiments.record_channels()
    layer = nn.Conv2d(3, 1, 3, dtype=torch.float64)
    layer.weight.data.copy_(record.weight[None])
    layer.bias.data.fill_(record.bias)
    panels = scene.panels
    for c in range(3):
        x, w, y = (_values(p) for p in panels[3 * c: 3 * c + 3])
        assert torch.equal(x, record.input[c]) and torch.equal(w, layer.weight[0, c])
        assert torch.equal(y, F.conv2d(x[None, None], w[None, None])[0, 0])
    partial = [_values(p) for p in panels[9:12]]
    bias, total = _values(panels[12]), _values(panels[13])
    assert torch.equal(total, layer(record.input[None])[0, 0].detach())
    assert torch.equal(sum(partial) + bias, total)
    for n, frame in enumerate(scene.frames[:-1]):
        assert frame.states[-1].shown == n + 1 and frame.states[-1].current == divmod(n, 2)


def test_photo_figures_show_the_two_layers():
    from figures import experiments

    photo = experiments.photograph()
    assert photo.shape == (144, 144) and 0 <= photo.min() and photo.max() <= 1
    edges = render.scene_for(catalog.get("photo-edges").config())
    x = _values(edges.panels[0])
    assert torch.allclose(x, photo)
    maps = []
    for n in range(4):
        w, h = _values(edges.panels[1 + 2 * n]), _values(edges.panels[2 + 2 * n])
        assert torch.equal(w, torch.tensor(experiments.EDGE_KERNELS[n]))
        assert torch.allclose(h, F.conv2d(x[None, None], w[None, None], padding=1)[0, 0])
        maps.append(h)
    stride = render.scene_for(catalog.get("photo-stride").config())
    blur = torch.tensor(experiments.BLUR, dtype=torch.float64)[None, None] / 16
    for n in range(2):
        h, g = _values(stride.panels[2 * n]), _values(stride.panels[2 * n + 1])
        assert torch.allclose(h, maps[n])
        assert g.shape == (72, 72)
        assert torch.allclose(g, F.conv2d(h[None, None], blur, stride=2, padding=1)[0, 0])


def test_scatter_view_adds_up_to_conv_transpose2d():
    scene = render.scene_for(catalog.get("transposed-scatter").config())
    x, w, _, y = scene.panels
    x, w, y = _values(x), _values(w), _values(y)
    assert torch.equal(y, F.conv_transpose2d(x[None, None], w[None, None], stride=2)[0, 0])
    total = torch.zeros(5, 5, dtype=torch.float64)
    for n, frame in enumerate(scene.frames[:-1]):
        i, j = divmod(n, 2)
        assert frame.states[0].current == (i, j)
        stamp = torch.tensor(frame.states[2].values, dtype=torch.float64)
        assert torch.equal(stamp, x[i, j] * w)
        total[2 * i: 2 * i + 3, 2 * j: 2 * j + 3] += stamp
        shown = torch.tensor(frame.states[3].values, dtype=torch.float64)
        reached = ~shown.isnan()
        assert torch.equal(shown[reached], total[reached])  # the partial sums so far
        assert set(frame.states[3].footprint) == {(2 * i + a, 2 * j + b) for a in range(3) for b in range(3)}
    assert frame.states[3].values is not None and not torch.tensor(frame.states[3].values).isnan().any()


def test_two_input_sizes_give_one_output_size():
    scene = render.scene_for(catalog.get("output-padding-ambiguity").config())
    (x7, w7, y7), (x8, w8, y8) = ([_values(p) for p in row if not isinstance(p, str)] for row in scene.rows)
    for n, (grid, w, y) in zip((7, 8), ((x7, w7, y7), (x8, w8, y8))):
        x = torch.arange(1., n * n + 1, dtype=torch.float64).reshape(1, 1, n, n)
        assert torch.equal(grid[1:-1, 1:-1], x[0, 0])
        assert torch.equal(y, F.conv2d(x, w[None, None], stride=2, padding=1)[0, 0])
    assert y7.shape == y8.shape == (4, 4) and len(scene.frames) == 17
    assert [note.endswith("= 4") for note in scene.notes] == [True, True]


def test_tf_same_padding_pads_after_and_matches_torch_on_the_padded_input():
    """tf-same-padding: 6×6 is padded (0, 1), 5×5 (1, 1), on both axes; every window's sum, every
    output and the notes' numbers are torch's on F.pad of the input (and JAX's "SAME", if installed)."""
    scene = render.scene_for(catalog.get("tf-same-padding").config())
    rows = [[_values(p) for p in row if not isinstance(p, str)] for row in scene.rows]
    roles = [row[0].grid.cells for row in scene.rows]
    for n, (before, after), (grid, w, y), cells in zip((6, 5), ((0, 1), (1, 1)), rows, roles):
        x = torch.arange(1., n * n + 1, dtype=torch.float64).reshape(1, 1, n, n)
        padded = F.pad(x, (before, after, before, after))
        assert torch.equal(grid, padded[0, 0]) and grid.shape == (7, 7)
        assert [r for r, row in enumerate(cells) if all(c == "pad" for c in row)] == (list(range(before)) + [6])
        assert all(row[6] == "pad" for row in cells) and all(row[0] == "pad" for row in cells) == (before == 1)
        assert torch.equal(y, F.conv2d(padded, w[None, None], stride=2)[0, 0]) and y.shape == (3, 3)
        try:
            from jax import lax
        except ImportError:
            continue
        same = lax.conv_general_dilated(x.numpy(), w[None, None].numpy(), (2, 2), "SAME")
        assert torch.equal(torch.from_numpy(same.__array__()[0, 0].copy()), y)
    assert len(scene.frames) == 10
    for k, frame in enumerate(scene.frames[:-1]):
        a, _, out1, b, _, out2 = frame.states
        assert out1.current == out2.current == divmod(k, 3)
        for window, (grid, _, y) in ((a, rows[0]), (b, rows[1])):
            assert min(window.footprint) == (2 * (k // 3), 2 * (k % 3))  # stride 2 from the top left
            assert sum(grid[cell] for cell in window.footprint) == y[divmod(k, 3)]
    assert scene.notes == ("k=3   s=2      ⌈6 / 2⌉ = 3      (3 − 1)·2 + 3 − 6 = 1 = 0 + 1",
                           "k=3   s=2      ⌈5 / 2⌉ = 3      (3 − 1)·2 + 3 − 5 = 2 = 1 + 1")

@pytest.mark.parametrize("entry", [e for e in catalog.CATALOG if isinstance(e, catalog.PanelEntry)], ids=lambda e: e.name)
def test_panel_figures_declare_their_frames(entry):
    """config.PANEL_FIGURES states each panel figure's frame count without torch (for the build's
    scheduling and the gallery); it must be what the scene has."""
    assert len(render.scene_for(entry.config()).frames) == entry.config().steps()


def test_a_photograph_is_only_written_as_png():
    with pytest.raises(ValueError, match="format='gif'"):
        render.figure_bytes(catalog.get("photo-stride").config(), fmt="gif")


def test_conv_matrix_rows_are_the_windows():
    scene = render.scene_for(catalog.get("conv-matrix").config())
    x, w, y, c, vec = (_values(p) for p in scene.panels)
    # built here without autograd: put the kernel where each window lies
    expected = torch.zeros(4, 16, dtype=torch.float64)
    for i in range(2):
        for j in range(2):
            block = torch.zeros(4, 4, dtype=torch.float64)
            block[i:i + 3, j:j + 3] = w
            expected[2 * i + j] = block.flatten()
    assert torch.equal(c, expected)
    assert torch.equal(vec[0], x.flatten())
    assert torch.equal(y, F.conv2d(x[None, None], w[None, None])[0, 0])
    assert torch.equal((c @ x.flatten()).reshape(2, 2), y)
    g = torch.arange(1.0, 5, dtype=torch.float64)
    assert torch.equal((c.T @ g).reshape(4, 4), F.conv_transpose2d(g.reshape(1, 1, 2, 2), w[None, None])[0, 0])
    for n, frame in enumerate(scene.frames[:-1]):  # the window in X is the lit row of C
        window, row = frame.states[0].footprint, frame.states[3].footprint
        assert {r * 4 + q for r, q in window} == {j for _, j in row} == set(torch.nonzero(c[n]).flatten().tolist())
        assert frame.states[2].current == divmod(n, 2)


def test_upsampling_compared_is_each_torch_operation():
    from figures import experiments

    scene = render.scene_for(catalog.get("upsampling-compared").config())
    images = [_values(p) for p in scene.panels]
    x, outs = images[0], images[1:]
    pooled, indices = F.max_pool2d(experiments.photograph(72)[None, None], 2, return_indices=True)
    assert torch.allclose(x, pooled[0, 0])
    b = x[None, None]
    blur = torch.tensor(experiments.BLUR, dtype=torch.float64)[None, None] / 16
    expected = [
        F.interpolate(b, scale_factor=2, mode="nearest"),
        F.interpolate(b, scale_factor=2, mode="bilinear", align_corners=False),
        F.interpolate(b, scale_factor=2, mode="bilinear", align_corners=True),
        F.max_unpool2d(b, indices, 2),
        F.conv_transpose2d(b, torch.full((1, 1, 3, 3), 0.25, dtype=torch.float64), stride=2, padding=1, output_padding=1),
        F.pixel_shuffle(F.conv2d(b, blur.expand(4, 1, 3, 3), padding=1), 2),
        F.conv2d(F.interpolate(b, scale_factor=2, mode="nearest"), blur, padding=1),
    ]
    assert len(outs) == len(expected) == 7
    for got, want in zip(outs, expected):
        assert got.shape == (72, 72)
        assert torch.allclose(got, want[0, 0])


def test_overlap_counts_are_conv_transpose_of_ones():
    scene = render.scene_for(catalog.get("overlap-counts").config())
    maps = [_values(p) for p in scene.panels]
    one_d, two_d = maps[:4], maps[4:]
    for got, (k, layers) in zip(one_d, [(3, 1), (4, 1), (3, 2), (4, 2)]):
        t = torch.ones(1, 1, 6, dtype=torch.float64)
        for _ in range(layers):
            t = F.conv_transpose1d(t, torch.ones(1, 1, k, dtype=torch.float64), stride=2, padding=1,
                                   output_padding=k % 2)
        assert torch.equal(got[0], t[0, 0])
    for got, (layers, k) in zip(two_d, [(1, 3), (1, 4), (2, 3), (2, 4)]):
        t = torch.ones(1, 1, 3, 3, dtype=torch.float64)
        for _ in range(layers):
            t = F.conv_transpose2d(t, torch.ones(1, 1, k, k, dtype=torch.float64), stride=2, padding=1,
                                   output_padding=k % 2)
        assert torch.equal(got, t[0, 0])
    # k=3 alternates in the interior; k=4 is even there
    assert set(two_d[0][1:4, 1:4].flatten().tolist()) == {1.0, 2.0, 4.0}
    assert set(two_d[1][1:5, 1:5].flatten().tolist()) == {4.0}


def test_checkerboard_constant_is_the_untrained_stacks_output():
    from figures import growing

    scene = render.scene_for(catalog.get("checkerboard-constant").config())
    outs = [_values(p) for p in scene.panels]
    x = torch.ones(1, 8, 6, 6, dtype=torch.float64)
    for got, kind in zip(outs, growing.STACKS):
        with torch.no_grad():
            assert torch.allclose(got, growing.untrained_stack(kind)(x)[0, 0])
        assert got.shape == (48, 48)
    inner = [o[8:40, 8:40] for o in outs]
    # the transposed stacks repeat a pattern every 2³ = 8 cells; resize-convolution stays flat
    for o in inner[:2]:
        assert o.std() > 0.01 and torch.allclose(o[:8, :8], o[8:16, 16:24])
    assert inner[2].std() < 1e-12


def test_encoder_decoder_stages_are_the_layers_outputs():
    from figures import experiments, growing

    scene = render.scene_for(catalog.get("encoder-decoder").config())
    x, d1, d2, u1, u2, skip_up, skip, mixed = (_values(p) for p in scene.panels)
    assert torch.allclose(x, experiments.photograph())
    blur = torch.tensor(experiments.BLUR, dtype=torch.float64)[None, None] / 16
    bil = growing.bilinear_kernel(2)[None, None]
    assert torch.allclose(d1, F.conv2d(x[None, None], blur, stride=2, padding=1)[0, 0])
    assert torch.allclose(d2, F.conv2d(d1[None, None], blur, stride=2, padding=1)[0, 0])
    assert torch.allclose(u1, F.conv_transpose2d(d2[None, None], bil, stride=2, padding=1)[0, 0])
    assert torch.allclose(u2, F.conv_transpose2d(u1[None, None], bil, stride=2, padding=1)[0, 0])
    assert [t.shape[0] for t in (x, d1, d2, u1, u2)] == [144, 72, 36, 72, 144]
    assert torch.equal(skip_up, u1) and torch.equal(skip, d1)
    assert torch.allclose(mixed, (u1 + d1) / 2)


def test_bilinear_kernel_transposed_convolution_is_bilinear_upsampling():
    from figures import growing

    x = torch.rand(2, 3, 5, 7, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    for factor in (2, 3, 4):
        want = F.interpolate(x, scale_factor=factor, mode="bilinear", align_corners=False)
        assert torch.allclose(growing.bilinear_transposed(x, factor), want)
