"""The figure pooling-aliasing: every number it shows is torch's (max pooling with stride 2, and
max with stride 1, the [1, 2, 1]/4 blur and stride 2, of a signal rolled by 0, 1 and 2 cells)."""

import torch
import torch.nn.functional as F

from figures import catalog, render


def _values(panel):
    return torch.tensor(panel.grid.values, dtype=torch.float64)


def _blur_pool(x):
    """Written out independently of figures.experiments: max of each cell and the next one (the
    last with the first), then (left + 2·centre + right)/4 at the even cells, wrapping around."""
    m = torch.maximum(x, torch.roll(x, -1))
    b = (torch.roll(m, 1) + 2 * m + torch.roll(m, -1)) / 4
    return b[::2]


def test_pooling_aliasing_is_what_torch_computes():
    scene = render.scene_for(catalog.get("pooling-aliasing").config())
    x0 = torch.tensor([0., 0., 1., 1., 0., 0., 1., 1.], dtype=torch.float64)
    assert len(scene.rows) == 3 and len(scene.frames) == 1
    shown = []
    for shift, row in enumerate(scene.rows):
        x, y, z = (_values(p)[0] for p in row if not isinstance(p, str))
        assert torch.equal(x, torch.roll(x0, shift))
        assert torch.equal(y, F.max_pool1d(x[None, None], 2)[0, 0])
        assert torch.allclose(z, _blur_pool(x))
        assert [p.grid.label for p in row if not isinstance(p, str)] == [
            f"X{'₀₁₂'[shift]}  1×8", f"Y{'₀₁₂'[shift]}  1×4", f"Z{'₀₁₂'[shift]}  1×4"]
        shown.append((y, z))
    (y0, z0), (y1, z1), (y2, z2) = shown
    assert y0.tolist() == [0, 1, 0, 1] and y1.tolist() == [1, 1, 1, 1]
    assert torch.equal(y2, torch.roll(y0, 1)) and torch.allclose(z2, torch.roll(z0, 1))
    assert scene.notes == (
        "Δ = 0      Y: max k=2 s=2      Z: max k=2 s=1 → [1 2 1]/4 s=2",
        f"Δ = 1      max|Y₁ − Y₀| = {(y1 - y0).abs().max():g}      max|Z₁ − Z₀| = {(z1 - z0).abs().max():g}",
        "Δ = 2      Y₂ = roll(Y₀, 1)      Z₂ = roll(Z₀, 1)",
    )
    assert "= 1 " in scene.notes[1] and scene.notes[1].endswith("= 0.25")


def test_pooling_aliasing_leaves_zero_cells_white():
    scene = render.scene_for(catalog.get("pooling-aliasing").config())
    for panel in scene.panels:
        for value, role in zip(panel.grid.values[0], panel.grid.cells[0]):
            assert (role == "empty") == (value == 0)
