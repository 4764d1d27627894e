// The explorer's interface strings (explore.md), in both languages: added to the site's one table
// (strings.js) on the explorer's page only. A refusal is said from its rule and numbers
// (explore-arith.js), in Chinese as a Chinese author would; the CLI's English line otherwise.
// A classic script (not a module): the offline copy runs it from file://, where modules are refused.
(() => {
// A refusal of the explorer's arithmetic (explore-arith.js: its rule and numbers), in Chinese;
// the same rule as the CLI's English line.
function zhReason(r) {
  const v = r.values;
  const pair = (p) => (p.length === 1 ? `(${p[0]},)` : `(${p.join(", ")})`);
  const axis = r.axis ? { length: "长度方向上，", depth: "深度方向上，", height: "高度方向上，", width: "宽度方向上，" }[r.axis] : "";
  const text = {
    minimum: () => `${v.name}=${v.value}：${{ input: "输入尺寸至少为 1", kernel: "卷积核尺寸至少为 1", stride: "步幅至少为 1",
      dilation: "膨胀率至少为 1", padding: "填充不能是负数", output_padding: "输出填充不能是负数" }[v.name]}`,
    integer: () => `${v.name}=${v.value}：${v.name} 必须是整数`,
    span: () => `kernel=${v.k}：卷积核跨 ${v.span} 格（d·(k − 1) + 1，膨胀率 ${v.d}），超过了填充后的输入 ${v.padded} 格` +
      `（输入 ${v.i} + 填充 ${v.pads.length === 1 ? `2·${v.pads[0]}` : `${v.pads[0]} + ${v.pads[1]}`}）`,
    same_stride: () => `padding='same'：torch 只在步幅为 1 时支持它，这里 stride=${pair(v.stride)}`,
    output_padding: () => `output_padding=${v.a}：输出填充必须小于步幅（${v.s}）和膨胀率（${v.d}）中的较大者`,
    transposed_small: () => `padding=${v.p}：输出会是 ${v.size} 格（${v.formula}）；torch 不接受少于 1 格的输出` +
      `（“Output size is too small”），本站同样不接受`,
    pool_padding: () => `padding=${v.p}：池化的填充最多是核大小的一半（${v.k} // 2 = ${v.half}）`,
    pool_small: () => `kernel=${v.k}：输出会是 ${v.size} 格（${v.formula}），而输出至少要有 1 格`,
    pool_output_padding: () => "池化没有输出填充",
    pool_padding_word: () => `--padding ${v.padding}：池化的填充只能是整数`,
    avg_dilation: () => "平均池化没有膨胀率",
    ceil_mode: () => "只有池化才有 ceil_mode",
    conv_output_padding: () => "只有转置卷积才有输出填充",
    transposed_padding_word: () => `--padding ${v.padding}：转置卷积的填充只能是整数`,
    causal_dims: () => `--padding causal：只有一维卷积才能是因果卷积（--dims 1），这里是 ${v.dims} 维`,
    count: () => `${v.option} ${v.given}：${v.dims} 维的参数给了 ${v.n} 个尺寸（${v.dims > 1 ? `只能给 1 个或 ${v.dims} 个` : "只能给 1 个"}）`,
    pool_causal: () => "--padding causal：只有卷积才有因果填充；池化的填充只能是整数、tf-same 或 same-lower",
    avg_same: () => `--padding ${v.word}：TensorFlow 的 SAME 平均池化求平均时不算填充的格子，F.pad 加 nn.AvgPool${v.dims}d 做不到这一点；` +
      "请填整数填充（或者改用最大池化）",
    ceil_same: () => `--ceil-mode：--padding ${v.word} 已经把输出定为 ⌈输入 / 步幅⌉`,
    avg3d_small: () => `kernel=${v.k}：AvgPool3d 要求每个方向上的输入（不算填充）至少和池化窗口一样大（这里输入是 ${v.i}）`,
  }[r.rule];
  return text ? axis + text() : r.message;
}

const ZH_SIDES = { front: "前", back: "后", top: "上", bottom: "下", left: "左", right: "右" };

window.SiteStrings.add("explore", {
  en: {
    shape: (size) => `Output: ${size}`,
    refused: "torch refuses this configuration: ",
    invalid: "Fix the marked field: ",
    required: (option) => `${option}: give a size (N or HxW)`,
    notSize: (option, text) => `${option}: ${text} is not a size: give N or HxW (whole numbers)`,
    tooSmall: (option, v, rule) => `${option}: ${v} is not allowed, it must be ${rule === 1 ? "positive" : "0 or more"}`,
    tooLong: (option, max) => `${option}: this page computes sizes up to ${max} (the command line takes larger ones)`,
    dropped: "With ceil_mode the division rounds up, but a last window that would start in the padding is dropped (− 1), as torch does.",
    input: "Input", kernel: "Kernel", window: "Window", output: "Output",
    tooLarge: "Grids are drawn for inputs up to 16×16 with at most 32 cells a side; this configuration is larger, so only its sizes are shown.",
    copy: "Copy", copyLine: (what) => `Copy: ${what}`, copied: "Copied", sep: "; ",
    noRender: (size) => `python -m figures render draws grids of at most 32 cells a side; this one would be ${size}.`,
    writes: (cell, n) => `${cell} is added into ${n} output cell${n === 1 ? "" : "s"}.`,
    pads: (sides) => `Padding: ${sides.map(([side, p]) => `${side} ${p}`).join(", ")}`,
    noGrid3d: "A 3-D configuration is shown by its sizes and its formula per axis (depth, height, width): its grids would be a stack of slices too large to read here.",
    // a refusal, said in this language: the CLI's own line
    reason: (r) => r.message,
  },
  zh: {
    shape: (size) => `输出：${size}`,
    refused: "torch 不接受这组参数：",
    invalid: "请改正标出的输入框：",
    required: (option) => `${option}：请填尺寸（N 或 HxW）`,
    notSize: (option, text) => `${option}：${text} 不是有效的尺寸，请填 N 或 HxW（整数）`,
    tooSmall: (option, v, rule) => `${option}：不能是 ${v}，必须${rule === 1 ? "是正整数" : "大于等于 0"}`,
    tooLong: (option, max) => `${option}：这一页只算到 ${max}（命令行可以算更大的）`,
    dropped: "ceil_mode 让除法向上取整，但如果最后一个窗口的起点落在填充区里，这个窗口就不算（− 1），torch 也是这样处理的。",
    input: "输入", kernel: "卷积核", window: "池化窗口", output: "输出",
    tooLarge: "输入不超过 16×16、网格每边不超过 32 格时才画出网格；这组参数更大，只给出尺寸。",
    copy: "复制", copyLine: (what) => `复制：${what}`, copied: "已复制", sep: "；",
    noRender: (size) => `python -m figures render 画的网格每边最多 32 格，这组参数的网格是 ${size} 格。`,
    writes: (cell, n) => `${cell} 会加到 ${n} 个输出格子里。`,
    pads: (sides) => `填充：${sides.map(([side, p]) => `${ZH_SIDES[side]} ${p}`).join("，")}`,
    noGrid3d: "三维的参数只给出每个方向（深度、高度、宽度）的尺寸和公式：画成网格会是一叠切片，在这里太大，看不清。",
    reason: (r) => zhReason(r),
  },
});
})();
