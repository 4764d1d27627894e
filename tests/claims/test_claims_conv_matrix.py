"""The claims of the convolution-as-a-matrix chapter (docs/en/conv-matrix.md, docs/zh/conv-matrix.md)."""

from __future__ import annotations

import itertools

import torch
import torch.nn.functional as F

from .claim import claim

PAGE = "conv-matrix"
torch.manual_seed(0)
D = torch.float64


def matrix(w, h, wd, ci=1, s=1, p=0, d=1):
    """C, the Jacobian of F.conv2d (no bias) at zero: one row per output cell, one column per input cell."""
    def conv(v):
        return F.conv2d(v.view(1, ci, h, wd), w, stride=s, padding=p, dilation=d).flatten()
    return torch.autograd.functional.jacobian(conv, torch.zeros(ci * h * wd, dtype=D))


def configs():
    for h, wd, k, s, p, d in itertools.product(range(3, 7), (4, 5), range(1, 4), (1, 2), (0, 1), (1, 2)):
        if min(h, wd) + 2 * p >= d * (k - 1) + 1:
            yield h, wd, k, s, p, d


@claim(PAGE, "conv-matrix")
def test_linear_map():
    r"""
    en: Every output cell of a convolution is a weighted sum of input cells, with weights that
    do not depend on the input. So a convolution is a linear map (a bias, if the layer has one, only adds a
    constant after it), and a linear map is a matrix:
    zh: 卷积的每个输出格子都是输入格子的加权和，而权重与输入无关。所以卷积是线性映射（层若带偏置，偏置只是在它之后再加一个常数），线性映射就是矩阵：
    domain: F.conv2d with C_in 1–2, C_out 1–2, random kernels, and every H, W, k, stride, padding, dilation of
    configs(): f(ax + by) = a f(x) + b f(y) for random a, b, x, y; with a bias, f(x) − bias is linear and
    f(0) is the bias; and f(x) is C·vec(x).
    """
    for (h, wd, k, s, p, d), ci, co in itertools.product(configs(), (1, 2), (1, 2)):
        w = torch.randn(co, ci, k, k, dtype=D)
        b = torch.randn(co, dtype=D)
        x, y = torch.randn(2, 1, ci, h, wd, dtype=D)
        a1, a2 = torch.randn(2).tolist()

        def f(v, bias=None):
            return F.conv2d(v, w, bias, stride=s, padding=p, dilation=d)

        assert torch.allclose(f(a1 * x + a2 * y), a1 * f(x) + a2 * f(y))
        assert torch.allclose(f(torch.zeros_like(x), b), b.view(1, co, 1, 1).expand_as(f(x)))
        assert torch.allclose(f(a1 * x + a2 * y, b) - f(torch.zeros_like(x), b), a1 * f(x) + a2 * f(y))
        if ci == co == 1 and s == 1:
            assert torch.allclose(matrix(w, h, wd, ci, s, p, d) @ x.flatten(), f(x).flatten())


@claim(PAGE, "matrix")
def test_rows_hold_the_kernel():
    r"""
    en: Row $i$ holds the kernel's nine numbers in the columns
    of the cells that output cell $i$'s window covers, and zeros everywhere else.
    zh: 第 $i$ 行在第 $i$ 个输出格子的窗口
    所覆盖的那些列里放卷积核的九个数，其余位置全是零。
    domain: no padding (as on the page), inputs 3–6 × 4–5, k 1–3, stride 1–2, dilation 1–2, random kernels
    without zeros: row i has w[a, b] at the column of input cell (r·s + a·d, c·s + b·d) and zero elsewhere.
    """
    for h, wd, k, s, p, d in configs():
        if p:
            continue
        w = torch.rand(1, 1, k, k, dtype=D) + 0.5
        C = matrix(w, h, wd, s=s, d=d)
        ho, wo = (h - d * (k - 1) - 1) // s + 1, (wd - d * (k - 1) - 1) // s + 1
        for r, c in itertools.product(range(ho), range(wo)):
            expect = torch.zeros(h, wd, dtype=D)
            for a, b in itertools.product(range(k), range(k)):
                expect[r * s + a * d, c * s + b * d] = w[0, 0, a, b]
            assert torch.equal(C[r * wo + c], expect.flatten())


@claim(PAGE, "matrix")
def test_jacobian_is_c():
    r"""
    en: Row $i$ of $C$ is the gradient of output cell $i$ with respect to the
    input, so the Jacobian of the convolution *is* $C$:
    zh: $C$ 的第 $i$ 行就是第 $i$ 个输出格子对输入的梯度，所以卷积的雅可比矩阵*就是* $C$：
    domain: every configuration of configs() (with padding, stride, dilation), random kernels: the
    gradient of each output cell (autograd, one backward per cell) is that row of the Jacobian; and the
    matrix built from F.unfold's window indices (1-based, so a padded cell is 0 and left out) is the same.
    """
    for h, wd, k, s, p, d in configs():
        w = torch.randn(1, 1, k, k, dtype=D)
        C = matrix(w, h, wd, s=s, p=p, d=d)
        x = torch.zeros(1, 1, h, wd, dtype=D, requires_grad=True)
        y = F.conv2d(x, w, stride=s, padding=p, dilation=d).flatten()
        for i in (0, y.numel() - 1):
            (g,) = torch.autograd.grad(y[i], x, retain_graph=True)
            assert torch.equal(g.flatten(), C[i])
        idx = F.unfold(torch.arange(1., h * wd + 1, dtype=D).view(1, 1, h, wd), k, dilation=d, padding=p, stride=s)[0]
        U = torch.zeros_like(C)
        for i in range(idx.shape[1]):
            for tap, cell in enumerate(idx[:, i].long().tolist()):
                if cell:
                    U[i, cell - 1] += w.flatten()[tap]
        assert torch.allclose(U, C)


@claim(PAGE, "matrix")
def test_unfold_lists_windows():
    r"""
    en: The same matrix comes out of `unfold`, which lists, for every window, the input cells it
    covers (here their indices): put the kernel's numbers in those columns.
    zh: 用 `unfold` 也能得到同一个矩阵：它列出每个窗口覆盖的输入格子（这里是它们的下标），把卷积核的数填进这些列即可。
    domain: every configuration of configs() (padding, stride, dilation), random inputs: the kernel's
    numbers times unfold's columns is F.conv2d's output (so the columns are the windows, in the kernel's order).
    """
    for h, wd, k, s, p, d in configs():
        x = torch.randn(1, 1, h, wd, dtype=D)
        w = torch.randn(1, 1, k, k, dtype=D)
        cols = F.unfold(x, k, dilation=d, padding=p, stride=s)[0]
        assert torch.allclose(w.flatten() @ cols, F.conv2d(x, w, stride=s, padding=p, dilation=d).flatten())


@claim(PAGE, "transpose")
def test_transpose_is_conv_transpose():
    r"""
    en: Multiplying by $C^\top$ is exactly what `F.conv_transpose2d` computes
    with the same kernel, which is where the name transposed convolution comes from:
    zh: 用同一个卷积核调用 `F.conv_transpose2d`，算的恰好就是乘 $C^\top$，转置卷积的名字正是由此而来：
    domain: every configuration of configs(), random kernels and outputs y: Cᵀy equals
    F.conv_transpose2d(y) with the same stride, padding, dilation and the output padding that gives
    back H × W.
    """
    for h, wd, k, s, p, d in configs():
        w = torch.randn(1, 1, k, k, dtype=D)
        C = matrix(w, h, wd, s=s, p=p, d=d)
        ho, wo = (h + 2 * p - d * (k - 1) - 1) // s + 1, (wd + 2 * p - d * (k - 1) - 1) // s + 1
        y = torch.randn(1, 1, ho, wo, dtype=D)
        a = (h - ((ho - 1) * s - 2 * p + d * (k - 1) + 1), wd - ((wo - 1) * s - 2 * p + d * (k - 1) + 1))
        t = F.conv_transpose2d(y, w, stride=s, padding=p, dilation=d, output_padding=a)
        assert torch.allclose(t.flatten(), C.T @ y.flatten())


@claim(PAGE, "transpose")
def test_adjoint_and_gradient():
    r"""
    en: For real layers (several channels, a stride, padding) the matrix is too big to build, but the
    defining property of a transpose can be checked directly with the two torch functions: for
    every $x$ and $y$,
    zh: 真实的层有多个通道、有步幅和填充，矩阵大得没法构造；但转置的定义性质可以直接用两个 torch 函数来检验：对任意 $x$ 和 $y$，
    domain: C_in 1–3, C_out 1–3, groups 1 (and 3 when both are 3), 7 × 8 inputs, k 1–3, stride 1–3,
    padding 0–1, dilation 1–2, random x, y, w: ⟨conv(x), y⟩ = ⟨x, conv_transpose(y)⟩, and the input's
    gradient of ⟨conv(x), y⟩ is conv_transpose(y).
    """
    for ci, co, k, s, p, d in itertools.product((1, 3), (1, 3), range(1, 4), range(1, 4), (0, 1), (1, 2)):
        for g in ((1, 3) if ci == co == 3 else (1,)):
            w = torch.randn(co, ci // g, k, k, dtype=D)
            x = torch.randn(2, ci, 7, 8, dtype=D, requires_grad=True)
            cx = F.conv2d(x, w, stride=s, padding=p, dilation=d, groups=g)
            y = torch.randn_like(cx)
            a = tuple(n - ((m - 1) * s - 2 * p + d * (k - 1) + 1) for n, m in zip((7, 8), cx.shape[-2:]))
            ty = F.conv_transpose2d(y, w, stride=s, padding=p, dilation=d, groups=g, output_padding=a)
            assert torch.allclose((cx * y).sum(), (x * ty).sum())
            (grad,) = torch.autograd.grad((cx * y).sum(), x)
            assert torch.allclose(grad, ty)


@claim(PAGE, "not-inverse")
def test_rank():
    r"""
    en: $C$ has rank 4: sixteen numbers went in, four came out, and no matrix can recover the other
    twelve.
    zh: $C$ 的秩是 4：进去 16 个数，出来 4 个，剩下 12 个数哪个矩阵也找不回来。
    domain: no padding, stride 1, inputs 3–6 × 4–5, k 2–3, random kernels: the rank of C is the number of
    output cells, below the number of inputs, so a nonzero input (in C's null space) maps to zero.
    """
    for h, wd, k in itertools.product(range(3, 7), (4, 5), (2, 3)):
        C = matrix(torch.randn(1, 1, k, k, dtype=D), h, wd)
        rows = C.shape[0]
        assert torch.linalg.matrix_rank(C) == rows < h * wd
        v = torch.linalg.svd(C, full_matrices=True).Vh[-1]
        assert torch.allclose(C @ v, torch.zeros(rows, dtype=D), atol=1e-10)


@claim(PAGE, "not-inverse")
def test_inverse_is_not_transpose():
    r"""
    en: Even when $C$ is square and invertible (padding 1 keeps 4×4 at 4×4), its inverse
    and its transpose are different matrices (unless $C$ is orthogonal, as for a kernel that is a single
    ±1 in its centre); solving the linear system recovers the input,
    multiplying by $C^\top$ does not:
    zh: 即使 $C$ 是可逆的方阵（填充 1 让 4×4 仍是 4×4），
    它的逆和它的转置也是两个不同的矩阵（除非 $C$ 是正交矩阵，比如卷积核只在中心有一个 ±1）：解线性方程组能还原输入，乘 $C^\top$ 不能：
    domain: padding 1, 3×3 kernels, inputs 3–6 × 3–6: 30 random kernels each (invertible C; the solve
    recovers x; C⁻¹ ≠ Cᵀ and Cᵀ C x ≠ x), and the kernels ±1 in the centre (C = ±I, C⁻¹ = Cᵀ).
    """
    for h, wd in itertools.product(range(3, 7), range(3, 7)):
        for _ in range(30 if (h, wd) == (4, 4) else 3):
            C = matrix(torch.randn(1, 1, 3, 3, dtype=D), h, wd, p=1)
            x = torch.randn(h * wd, dtype=D)
            assert torch.linalg.matrix_rank(C) == h * wd
            assert torch.allclose(torch.linalg.solve(C, C @ x), x)
            assert not torch.allclose(torch.linalg.inv(C), C.T)
            assert not torch.allclose(C.T @ (C @ x), x)
        for sign in (1.0, -1.0):
            w = torch.zeros(1, 1, 3, 3, dtype=D)
            w[0, 0, 1, 1] = sign
            C = matrix(w, h, wd, p=1)
            assert torch.allclose(torch.linalg.inv(C), C.T)


@claim(PAGE, "pitfalls")
def test_untrained_encoder_decoder():
    r"""
    en: $C^\top \ne C^{-1}$: an encoder–decoder does not reconstruct its input until it is trained to.
    zh: $C^\top \ne C^{-1}$：编码器–解码器在训练好之前，并不能重建它的输入。
    domain: torch's default initialisation (seeds 0–9) of Conv2d(1, 4, 3, stride 2, padding 1) followed by
    ConvTranspose2d(4, 1, 4, stride 2, padding 1), on random 8 × 8 inputs: the shape comes back, the
    values do not (mean error above 0.1).
    """
    from torch import nn

    for seed in range(10):
        torch.manual_seed(seed)
        net = nn.Sequential(nn.Conv2d(1, 4, 3, stride=2, padding=1), nn.ConvTranspose2d(4, 1, 4, stride=2, padding=1))
        x = torch.rand(1, 1, 8, 8)
        with torch.no_grad():
            y = net(x)
        assert y.shape == x.shape and (y - x).abs().mean() > 0.1


@claim(PAGE, "pitfalls")
def test_c_is_almost_all_zeros():
    r"""
    en: Never build $C$ for a real layer: one channel of a 3×3 convolution on 64×64 is already a
    3844×4096 matrix, almost all zeros.
    zh: 不要为真实的层构造 $C$：64×64 上的单通道 3×3 卷积，矩阵就已经是 3844×4096，几乎全是零。
    domain: H 3–14 (the Jacobian), random kernels without zeros: C is (H − 2)² × H² with exactly 9(H − 2)²
    nonzeros, so the share of nonzeros 9/H² is 0.22 % at 64 (the page's numbers by the same formula).
    """
    for h in range(3, 15):
        C = matrix(torch.rand(1, 1, 3, 3, dtype=D) + 0.5, h, h)
        assert C.shape == ((h - 2) ** 2, h * h)
        assert int((C != 0).sum()) == 9 * (h - 2) ** 2
    assert (62 ** 2, 64 ** 2, 9 * 62 ** 2) == (3844, 4096, 34596)
    assert 9 * 62 ** 2 / (3844 * 4096) < 0.003


@claim(PAGE, "pitfalls")
def test_column_order():
    r"""
    en: The order of the columns is the order of `flatten()`: row by row. With channels, $C$ has
    $C_\text{out} H_\text{out} W_\text{out}$ rows and $C_\text{in} H W$ columns.
    zh: 列的顺序就是 `flatten()` 的顺序：逐行排列。有多个通道时，$C$ 有 $C_\text{out} H_\text{out} W_\text{out}$ 行、$C_\text{in} H W$ 列。
    domain: C_in 1–3, C_out 1–3, inputs 3–5 × 4, k 1–3, stride 1–2: the Jacobian's shape; column j is the
    output for the one-hot input with x.flatten()[j] = 1 (channel, then row, then column).
    """
    for ci, co, h, k, s in itertools.product(range(1, 4), range(1, 4), (3, 5), range(1, 4), (1, 2)):
        w = torch.randn(co, ci, k, k, dtype=D)

        def conv(v):
            return F.conv2d(v.view(1, ci, h, 4), w, stride=s).flatten()

        C = torch.autograd.functional.jacobian(conv, torch.zeros(ci * h * 4, dtype=D))
        ho, wo = (h - k) // s + 1, (4 - k) // s + 1
        assert C.shape == (co * ho * wo, ci * h * 4)
        for j in (0, ci * h * 4 - 1, (ci * h * 4) // 2):
            e = torch.zeros(ci * h * 4, dtype=D)
            e[j] = 1
            assert torch.equal(C[:, j], conv(e))


@claim(PAGE, "exercises")
def test_nonzeros_per_row_with_padding():
    r"""
    en: A window that hangs over the padding multiplies zeros there; those columns do not exist
    in $C$: 4 at the corners, 6 along the edges, 9 inside.
    zh: 窗口伸到填充区的部分乘的是零，这些列在 $C$ 里并不存在：角上 4 个，边上 6 个，内部 9 个。
    domain: 3×3 kernels without zeros, padding 1, stride 1, inputs 2–7 × 2–7: each row's nonzeros are 4 at
    the corners, 6 along the edges, 9 inside.
    """
    for h, wd in itertools.product(range(2, 8), range(2, 8)):
        C = matrix(torch.rand(1, 1, 3, 3, dtype=D) + 0.5, h, wd, p=1)
        nnz = (C != 0).sum(1).view(h, wd)
        for r, c in itertools.product(range(h), range(wd)):
            on_edge = (r in (0, h - 1)) + (c in (0, wd - 1))
            assert nnz[r, c] == (9, 6, 4)[on_edge]


@claim(PAGE, "exercises")
def test_gradient_of_strided_conv():
    r"""
    en: Check that the gradient of a stride-2 convolution with respect to its input is the
    transposed convolution of the output's gradient.
    zh: 验证：步幅为 2 的卷积对输入的梯度，等于对输出梯度做转置卷积。
    domain: inputs 5–9 × 6, k 1–4, stride 2, padding 0–1, random weights and output gradients, the output
    padding that gives back the input's size.
    """
    for h, k, p in itertools.product(range(5, 10), range(1, 5), (0, 1)):
        x = torch.randn(1, 2, h, 6, dtype=D, requires_grad=True)
        w = torch.randn(3, 2, k, k, dtype=D)
        y = F.conv2d(x, w, stride=2, padding=p)
        g = torch.randn_like(y)
        (grad,) = torch.autograd.grad(y, x, g)
        a = tuple(n - ((m - 1) * 2 - 2 * p + k) for n, m in zip((h, 6), y.shape[-2:]))
        assert torch.allclose(grad, F.conv_transpose2d(g, w, stride=2, padding=p, output_padding=a))
