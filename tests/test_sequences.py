"""The figures of the sequences chapter (1-D, causal and 3-D convolutions): every number they show
is torch's, recomputed here with nn.Conv1d / nn.Conv3d and F.pad, independently of the scenes."""

import math

import torch
import torch.nn.functional as F
from torch import nn

from figures import catalog, experiments, render, steps

def _values(panel, state=None) -> torch.Tensor:
    values = state.values if state is not None and state.values is not None else panel.grid.values
    return torch.tensor(values, dtype=torch.float64)


def _scene(name):
    return render.scene_for(catalog.get(name).config())


def _conv1d(x, w, padding=(0, 0), dilation=1):
    layer = nn.Conv1d(1, 1, len(w), dilation=dilation, bias=False, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(w, dtype=torch.float64).reshape(1, 1, -1))
        return layer(F.pad(torch.tensor(x, dtype=torch.float64).reshape(1, 1, -1), padding))[0, 0]


def test_conv1d_is_nn_conv1d_and_each_step_reads_its_window():
    scene = _scene("conv1d")
    x, w, y = (_values(p)[0] for p in scene.panels)
    assert x.tolist() == list(experiments.SIGNAL) and w.tolist() == [1, 0, -1]
    assert torch.equal(y, _conv1d(x.tolist(), w.tolist()))
    assert y.tolist() == [-3, -1, 2, 4, 1, -5, -5, 2]
    for t, frame in enumerate(scene.frames[:-1]):
        foot = [c for _, c in frame.states[0].footprint]
        assert foot == [t, t + 1, t + 2] and frame.states[2].current == (0, t)
        assert float(x[foot] @ w) == y[t]
    # each output sits under the centre of its window
    x_panel, _, y_panel = scene.panels
    assert y_panel.pad[0] == 1 and x_panel.pad == (0.0, 0.0)


def test_causal_outputs_never_read_the_future():
    scene = _scene("causal-conv1d")
    xc, yc, xk, yk = scene.panels
    signal = list(range(1, 9))
    # centred: one zero each side; causal: two on the left (d·(k−1)), none on the right
    assert [r for r in xc.grid.cells[0]].count("pad") == 2 and xc.grid.cells[0][0] == xc.grid.cells[0][-1] == "pad"
    assert list(xk.grid.cells[0][:2]) == ["pad", "pad"] and xk.grid.cells[0][-1] == "input"
    assert torch.equal(_values(yc)[0], _conv1d(signal, [1, 1, 1], (1, 1)))
    assert torch.equal(_values(yk)[0], _conv1d(signal, [1, 1, 1], (2, 0)))
    assert _values(yk)[0].tolist() == [1, 3, 6, 9, 12, 15, 18, 21]
    # the figure aligns every output under its own time step: a padded cell's column = its time + 2
    assert xc.pad[0] + 1 == xk.pad[0] + 2 == yc.pad[0] == yk.pad[0] == 2
    for t, frame in enumerate(scene.frames[:-1]):
        centred = [c - 1 for _, c in frame.states[0].footprint]  # input time steps read
        causal = [c - 2 for _, c in frame.states[2].footprint]
        assert centred == [t - 1, t, t + 1] and causal == [t - 2, t - 1, t]
    # torch agrees: changing the future leaves every causal output up to t unchanged
    x = torch.arange(1.0, 9, dtype=torch.float64)
    for t in range(8):
        changed = x.clone()
        changed[t + 1:] += 100
        a, b = (_conv1d(v.tolist(), [1, 1, 1], (2, 0)) for v in (x, changed))
        assert torch.equal(a[:t + 1], b[:t + 1])


def test_the_stack_is_traced_by_autograd_one_layer_per_step():
    scene = _scene("dilated-causal-stack")
    y, h3, h2, h1, x = scene.panels
    assert [p.grid.label.split()[0] for p in scene.panels] == ["Y", "h₃", "h₂", "h₁", "X"]
    # torch again: four causal layers with weights of one, the last output's gradient
    inputs = torch.ones(1, 1, 16, dtype=torch.float64, requires_grad=True)
    maps = [inputs]
    for d in (1, 2, 4, 8):
        maps.append(F.conv1d(F.pad(maps[-1], (d, 0)), torch.ones(1, 1, 2, dtype=torch.float64), dilation=d))
    grads = torch.autograd.grad(maps[-1][0, 0, -1], maps)
    for panel, grad in zip((x, h1, h2, h3, y), grads):
        assert torch.equal(_values(panel)[0], grad[0, 0])
    assert grads[0].count_nonzero() == 1 + (2 - 1) * (1 + 2 + 4 + 8) == 16
    # frame n reaches one map deeper; its lines join every traced cell to the two it read: t and t − d
    reached = [[len(s.footprint) if s.reached else 0 for s in f.states] for f in scene.frames]
    assert reached == [[1, 0, 0, 0, 0], [0, 2, 0, 0, 0], [0, 0, 4, 0, 0], [0, 0, 0, 8, 0], [0, 0, 0, 0, 16]]
    assert [len(f.links) for f in scene.frames] == [0, 2, 6, 14, 30]
    for a, (_, t), b, (_, c) in scene.frames[-1].links:
        d = (8, 4, 2, 1)[a]
        assert b == a + 1 and c in (t, t - d)
    last = scene.frames[-1].states
    assert all(not math.isnan(v) for v in last[4].values[0]) and last[0].current == (0, 15)


def test_conv3d_is_nn_conv3d_and_the_kernel_moves_through_depth():
    scene = _scene("conv3d-slices")
    panels = scene.panels
    xs, ws, ys = panels[:4], panels[4:6], panels[6:]
    volume = torch.stack([_values(p) for p in xs])
    kernel = torch.stack([_values(p) for p in ws])
    out = torch.stack([_values(p) for p in ys])
    gen = torch.Generator().manual_seed(5)
    assert torch.equal(volume, torch.randint(0, 10, (4, 4, 4), generator=gen).double())
    layer = nn.Conv3d(1, 1, (2, 3, 3), bias=False, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(kernel[None, None])
        assert torch.equal(out, layer(volume[None, None])[0, 0])
    assert out.shape == (3, 2, 2) and out[0, 0, 0] == 81
    for n, frame in enumerate(scene.frames[:-1]):
        d, r, c = n // 4, n // 2 % 2, n % 2
        read = [j for j in range(4) if frame.states[j].footprint]
        assert read == [d, d + 1]  # two consecutive slices, one deeper every four steps
        for j in read:
            assert set(frame.states[j].footprint) == {(r + i, c + q) for i in range(3) for q in range(3)}
        assert frame.states[6 + d].current == (r, c)
        block = volume[d:d + 2, r:r + 3, c:c + 3]
        assert float((block * kernel).sum()) == out[d, r, c]


def test_step_data_lists_what_each_step_computed():
    stack = steps.step_data(_scene("dilated-causal-stack"), "panels", list(range(5)), (1, 1))
    cells = [[(c["label"], c["cell"][1]) for c in s["cells"]] for s in stack["steps"]]
    assert cells[0] == [("Y", 15)] and cells[1] == [("Y", 15), ("h₃", 7), ("h₃", 15)]
    assert [c for c in cells[4] if c[0] == "X"] == [("X", t) for t in range(16)]
    volume = steps.step_data(_scene("conv3d-slices"), "panels", list(range(13)), (1, 1))
    assert volume["steps"][0]["cells"] == [{"label": "Y₀", "cell": [0, 0], "value": 81}]
    causal = steps.step_data(_scene("causal-conv1d"), "panels", list(range(9)), (1, 1))
    assert causal["steps"][2]["cells"] == [{"label": "Y", "cell": [0, 2], "value": 9},
                                           {"label": "Y", "cell": [0, 2], "value": 6}]

