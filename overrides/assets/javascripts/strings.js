// Interface strings of the site's scripts, in both languages; the page's <html lang> chooses.
// Captions print the numbers of the step data (figures/steps.py); nothing here computes them.
// A classic script (not a module): the offline copy runs it from file://, where modules are refused.
window.SiteStrings = (() => {
const STRINGS = {
  en: {
    play: "Play",
    pause: "Pause",
    previous: "Previous step",
    next: "Next step",
    scrubber: "Step",
    enlarge: "Enlarge the figure",
    figurePage: "The figure's page: its files, PDF, SVG, video and citation",
    close: "Close",
    player: "Figure player",
    counter: (n, total) => `${n} / ${total}`,
    done: "Every output cell is computed.",
    cell: (r, c) => `Y[${r},${c}]`,
    zeroInserted: "On the zero-inserted grid, with the flipped kernel: ",
    max: "max",
    trace: (label, rows, cols, cells) =>
      `The output cell reaches rows ${rows[0]}–${rows[1]}, columns ${cols[0]}–${cols[1]} of ${label}: ${cells} cells.`,
    panel: (n, total) => `Step ${n} of ${total}.`,
    // a step of a figure of blocks (C×H×W tensors): where its cells came from
    reads: (r) => {
      const span = (a, one, many) => (a[0] === a[1] ? `${one} ${a[0]}` : `${many} ${a[0]}–${a[1]}`);
      const channels = r.channels.length === 1 ? `channel ${r.channels[0]}` : `channels ${r.channels.join(", ")}`;
      const rows = span(r.rows, "row", "rows");
      const cols = span(r.cols, "column", "columns");
      return ` — read from ${r.label}: ${channels}, ${rows}, ${cols}${r.kernel ? `, with ${r.kernel}` : ""}.`;
    },
  },
  zh: {
    play: "播放",
    pause: "暂停",
    previous: "上一步",
    next: "下一步",
    scrubber: "步骤",
    enlarge: "放大这张图",
    figurePage: "这张图的单独页面：文件、PDF、SVG、视频与引用",
    close: "关闭",
    player: "图的播放器",
    counter: (n, total) => `${n} / ${total}`,
    done: "所有输出格子都已算出。",
    cell: (r, c) => `Y[${r},${c}]`,
    zeroInserted: "在插零后的网格上，用翻转后的卷积核：",
    max: "max",
    trace: (label, rows, cols, cells) =>
      `输出格子追溯到 ${label} 的第 ${rows[0]}–${rows[1]} 行、第 ${cols[0]}–${cols[1]} 列，共 ${cells} 格。`,
    panel: (n, total) => `第 ${n} 步，共 ${total} 步。`,
    reads: (r) => {
      const span = (a) => (a[0] === a[1] ? `${a[0]}` : `${a[0]}–${a[1]}`);
      const kernel = r.kernel ? `，用卷积核 ${r.kernel}` : "";
      return `——读取 ${r.label} 的通道 ${r.channels.join("、")}，第 ${span(r.rows)} 行、第 ${span(r.cols)} 列${kernel}。`;
    },
  },
};

const pick = (lang) => STRINGS[String(lang || "").toLowerCase().startsWith("zh") ? "zh" : "en"];
// a page's own script adds its strings to the same table: add(name, { en: {…}, zh: {…} })
pick.add = (name, tables) => {
  for (const lang of Object.keys(STRINGS)) STRINGS[lang][name] = tables[lang];
};
return pick;
})();
