"""mkdocs-gen-files adapter: the catalog's figures, and the gallery page, for one language build.

The only code that knows both MkDocs and the figure engine. Figures are rendered through the
engine's cache (outside docs/), so both language builds and every live reload reuse them;
nothing is written into docs/. The gallery is generated from the catalog: every figure, light
and dark, with its configuration, the one command that re-renders it, and the sections that
use it.
"""

import sys
from pathlib import Path

import mkdocs_gen_files

sys.path.insert(0, str(Path(__file__).parent))
from pages import figure_uses, published  # noqa: E402

from figures import catalog, theme  # noqa: E402

for filename, data in published().items():  # verified against the cache's checksums
    with mkdocs_gen_files.open(f"figures/{filename}", "wb") as target:
        target.write(data)

# the figures' colours for pages that draw grids themselves (the explorer; scripts/hooks.py)
with mkdocs_gen_files.open("assets/stylesheets/figure-theme.css", "w", encoding="utf-8") as target:
    target.write(theme.css())

LANG = mkdocs_gen_files.config.theme["language"]
WORDS = {
    "en": {
        "title": "Gallery",
        "description": "Every figure of the site, with its configuration, the command that renders it again, and the chapters that use it.",
        "intro": (
            "Every figure of the site, generated from the figure catalog at build time. Each one is "
            "drawn from the tensors PyTorch produced; the command under it renders it again on your "
            "own machine (see [For instructors](instructors.md#customise)). Click a figure to open "
            "the file; figures are licensed CC BY 4.0. The fifteen classic animations (the seven cases, their "
            "transposes, and dilation) redraw those of Dumoulin and Visin's *A guide to convolution arithmetic for "
            "deep learning* ([2016](references.md#dumoulin-2016)), with PyTorch's numbers in the cells."
        ),
        "light": "light", "dark": "dark", "paren": " ({})", "config": "Configuration", "command": "Command",
        "used": "Used in", "unused": "not used on a page yet",
        "page": "Its page", "page_what": "every file, the commands for PDF, SVG, steps and video, a citation",
        "conv": "convolution", "transposed": "transposed convolution",
        "transposes": "transposed convolution that takes the output of the convolution {conv} ({size}) back to its size",
        "trace": "one output cell traced back through a stack of convolutions",
        "max": "max pooling", "avg": "average pooling",
        "erf": "effective receptive field of stacks of 3×3 convolutions",
        "shift": "translation equivariance: a shifted input and its shifted feature map",
        "aliasing": "stride-2 pooling of a shifted input: max pooling against blur, then subsample",
        "padding-modes": "one input padded by each padding_mode",
        "lockstep": "convolutions stepping together, one per row",
        "same-upper": "TensorFlow's SAME padding with stride 2 on an even and an odd input: where the extra row and column go",
        "channels": "a multi-channel convolution: one convolution per input channel, summed, plus the bias",
        "photo": "feature maps of a photograph",
        "scatter": "transposed convolution, scatter view: each input cell stamps a weighted kernel",
        "matrix": "a convolution as a matrix: each row of C is one window",
        "upsample": "seven ways to upsample one photograph by 2",
        "overlap": "overlap counts of stride-2 transposed convolutions, 1D and 2D, one and two layers",
        "constant": "untrained upsampling stacks on a constant input: checkerboard artifacts",
        "encoder-decoder": "a photograph down and up again, with a skip connection",
        "network": "the receptive field of one cell of each stage of a real network, on a photograph",
        "blocks": "a convolution of C×H×W blocks: each output channel's kernel spans every input channel",
        "groups": "a grouped convolution of C×H×W blocks: each output channel reads only its group's channels",
        "separable": "a depthwise-separable block: each channel filtered on its own, then a 1×1 convolution mixes them",
        "pixel-shuffle": "pixel shuffle: the C·r² channels interleaved into an r-times larger map",
        "sequence": "a 1-D convolution sliding along a signal",
        "causal": "centred padding against causal padding: which inputs each output reads",
        "causal-stack": "a dilated causal stack, its last output traced back to the input",
        "volume": "a 3-D convolution: the kernel moving through a volume, slice by slice",
        "alt": "Figure {name}: {kind}, {params}, {size}",
    },
    "zh": {
        "title": "图库",
        "description": "本站的全部图片，每张都附有配置、重新生成它的命令，以及用到它的章节。",
        "intro": (
            "本站的每一张图，都在构建时由图目录生成，画的都是 PyTorch 真实算出的张量；每张图下面的命令可以"
            "在你自己的电脑上重新生成它（见[教师指南](instructors.md#customise)）。点击图片可打开原文件；"
            "图片采用 CC BY 4.0 许可。十五个经典动画（七种情形、它们的转置，以及空洞卷积）按 Dumoulin 和 Visin 的"
            "《A guide to convolution arithmetic for deep learning》（[2016](references.md#dumoulin-2016)）重画，"
            "格子里是 PyTorch 算出的数。"
        ),
        "light": "浅色", "dark": "深色", "paren": "（{}）", "config": "配置", "command": "命令",
        "used": "用在", "unused": "尚未用在任何页面",
        "page": "单独页面", "page_what": "所有文件，生成 PDF、SVG、逐步图片和视频的命令，以及引用条目",
        "conv": "卷积", "transposed": "转置卷积",
        "transposes": "转置卷积，把卷积 {conv}（{size}）的输出变回原来的尺寸",
        "trace": "沿一串卷积层逐层回溯一个输出格子",
        "max": "最大池化", "avg": "平均池化",
        "erf": "多层 3×3 卷积的有效感受野",
        "shift": "平移等变：输入平移，特征图随之平移",
        "aliasing": "对平移后的输入做步幅为 2 的池化：最大池化对比先模糊再下采样",
        "padding-modes": "同一输入在各种 padding_mode 下的填充结果",
        "lockstep": "几个卷积逐行同步滑动",
        "same-upper": "TensorFlow 的 SAME 填充在步幅 2 下作用于偶数和奇数尺寸的输入：多出的一行一列补在哪里",
        "channels": "多通道卷积：每个输入通道各做一次卷积，相加再加偏置",
        "photo": "真实图片上的特征图",
        "scatter": "转置卷积的散布视角：每个输入格子盖下一个加权的卷积核",
        "matrix": "把卷积写成矩阵：C 的每一行是一个窗口",
        "upsample": "同一张照片的七种 2 倍上采样",
        "overlap": "步幅为 2 的转置卷积的重叠次数：一维和二维，一层和两层",
        "constant": "未训练的上采样网络在常数输入上的输出：棋盘伪影",
        "encoder-decoder": "一张照片先缩小再放大，带跳跃连接",
        "network": "真实网络各阶段一个格子的感受野，画在照片上",
        "blocks": "画成 C×H×W 立体块的卷积：每个输出通道的卷积核贯穿全部输入通道",
        "groups": "画成立体块的分组卷积：每个输出通道只读取本组的输入通道",
        "separable": "深度可分离卷积：先逐通道各自滤波，再用 1×1 卷积把通道混合起来",
        "pixel-shuffle": "亚像素卷积中的像素重排：C·r² 个通道交错排进放大 r 倍的特征图",
        "sequence": "沿信号滑动的一维卷积",
        "causal": "居中填充与因果填充对照：每个输出读取哪些输入",
        "causal-stack": "空洞因果卷积堆叠：把最后一个输出逐层追回输入",
        "volume": "三维卷积：卷积核逐张切片穿过体数据",
        "alt": "图 {name}：{kind}，{params}，{size}",
    },
}[LANG]

uses = figure_uses(Path(mkdocs_gen_files.config.docs_dir))
lines = ["---", f'description: "{WORDS["description"]}"', "---", "",  # the page's summary (link previews)
         f"# {WORDS['title']} {{#gallery}}", "", WORDS["intro"], ""]
for entry in catalog.CATALOG:
    config = entry.config()
    shape = config.check()
    params = entry.params()
    size = f"{shape.input[0]}×{shape.input[1]} → {shape.output[0]}×{shape.output[1]}"
    kind = WORDS[entry.kind]
    if entry.kind == "transposed":  # which convolution it transposes, in words
        conv = catalog.Entry(entry.name, "conv", entry.i, entry.k, entry.s, entry.p, entry.d).config().check()
        kind = WORDS["transposes"].format(
            conv=entry.transposes(), size=f"{conv.input[0]}×{conv.input[1]} → {conv.output[0]}×{conv.output[1]}")
    alt = WORDS["alt"].format(name=entry.name, kind=kind, params=params, size=size)
    lines += [f"## {entry.name} {{#{entry.name}}}", "", '<div class="grid" markdown>', ""]
    for theme in catalog.THEME_NAMES:
        file = f"figures/{entry.filename(theme)}"
        lines.append(f"[![{alt}{WORDS['paren'].format(WORDS[theme])}]({file}){{ loading=lazy }}]({file})")
        lines.append("")
    lines += ["</div>", ""]
    lines.append(f"- **{WORDS['config']}**: {kind}, `{params}`, {size}")
    lines.append(f"- **{WORDS['command']}**: `{entry.command()}`")
    lines.append(f"- **{WORDS['page']}**: [figures/{entry.name}/](figures/{entry.name}.md)"
                 f"{WORDS['paren'].format(WORDS['page_what'])}")
    places = [f"[{title} · {section}]({page}#{anchor})" for page, title, section, anchor in uses.get(entry.name, [])]
    lines.append(f"- **{WORDS['used']}**: " + ("; ".join(places) if places else WORDS["unused"]))
    lines.append("")

with mkdocs_gen_files.open("gallery.md", "w", encoding="utf-8") as page:
    page.write("\n".join(lines))
