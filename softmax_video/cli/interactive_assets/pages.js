/* pages.js: the widgets of the interactive pages. Each page embeds its data (the
 * lecture's configuration for its chapter, and anything precomputed in Python) as JSON in
 * #page-data; DATA.kind picks the widget below. All math comes from SoftmaxMath
 * (softmax-math.js). window.page exposes the current state for tests and the console.
 */
(function () {
  "use strict";
  const M = window.SoftmaxMath;
  const DATA = JSON.parse(document.getElementById("page-data").textContent);
  const THEME = DATA.theme;
  const CLASSES = DATA.classes;
  const P = numbers(DATA.params);
  const app = document.getElementById("app");
  // No "share to Plotly Cloud" button: the pages never send anything anywhere.
  const PLOT_CONFIG = { displaylogo: false, responsive: true, showSendToCloud: false, showLink: false };

  /* ---------------------------------------------------------------- helpers */

  function numbers(value) {
    if (value === "-Infinity") return -Infinity;
    if (value === "Infinity") return Infinity;
    if (Array.isArray(value)) return value.map(numbers);
    if (value && typeof value === "object") {
      const out = {};
      for (const key of Object.keys(value)) out[key] = numbers(value[key]);
      return out;
    }
    return value;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "style") node.style.cssText = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function fmt(x, digits = 4) {
    if (x === null || x === undefined || Number.isNaN(x)) return "–";
    if (x === Infinity) return "∞";
    if (x === -Infinity) return "−∞";
    const a = Math.abs(x);
    if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2).replace("-", "−");
    return x.toFixed(digits).replace("-", "−");
  }

  function tex(node, source, display = false) {
    if (window.katex) {
      window.katex.render(source, node, { throwOnError: false, displayMode: display });
    } else {
      node.textContent = source;
    }
    return node;
  }

  function formula(parent, source) {
    return parent.appendChild(tex(el("div", { class: "formula" }), source, true));
  }

  function rgba(hex, alpha) {
    const n = parseInt(hex.slice(1), 16);
    return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
  }

  function className(k) {
    return CLASSES[k].name;
  }

  function color(k) {
    return CLASSES[k].color;
  }

  function layout(controlsTitle) {
    const controls = el("section", { class: "controls" }, el("h2", {}, controlsTitle));
    const view = el("section", { class: "view" });
    app.append(el("div", { class: "layout" }, controls, view));
    return { controls, view };
  }

  let controlCount = 0;
  function slider(parent, { label, min, max, step, value, name, format = (v) => fmt(v, 2), onInput }) {
    const id = `control-${++controlCount}`;
    const input = el("input", { type: "range", id, min, max, step, value });
    if (name) input.dataset.control = name;
    const output = el("output", { for: id });
    const labelNode = el("span", {});
    if (label instanceof Node) labelNode.append(label);
    else labelNode.textContent = label;
    parent.append(
      el("div", { class: "control" }, el("label", { for: id }, labelNode, output), input),
    );
    const update = () => {
      const v = Number(input.value);
      output.textContent = format(v);
      return v;
    };
    input.addEventListener("input", () => onInput(update()));
    update();
    return {
      input,
      get value() {
        return Number(input.value);
      },
      set(v) {
        input.value = v;
        update();
      },
    };
  }

  function checkbox(parent, { label, checked, swatch, onChange }) {
    const id = `control-${++controlCount}`;
    const input = el("input", { type: "checkbox", id });
    input.checked = checked;
    const parts = [input];
    if (swatch) parts.push(el("span", { class: "swatch", style: `background:${swatch}` }));
    parts.push(el("label", { for: id }, label));
    parent.append(el("div", { class: "control check" }, ...parts));
    input.addEventListener("change", () => onChange(input.checked));
    return input;
  }

  function select(parent, { label, options, value, onChange }) {
    const id = `control-${++controlCount}`;
    const node = el("select", { id });
    for (const option of options) {
      const item = el("option", { value: option.value }, option.label);
      if (String(option.value) === String(value)) item.selected = true;
      node.append(item);
    }
    parent.append(el("div", { class: "control" }, el("label", { for: id }, label, node)));
    node.addEventListener("change", () => onChange(node.value));
    return node;
  }

  function button(parent, label, onClick) {
    const node = el("button", { type: "button" }, label);
    node.addEventListener("click", onClick);
    parent.append(el("div", { class: "control" }, node));
    return node;
  }

  function plotDiv(parent, height = 520) {
    return parent.appendChild(el("div", { class: "plot", style: `height:${height}px` }));
  }

  function axis(extra) {
    return Object.assign(
      {
        gridcolor: rgba(THEME.muted, 0.25),
        zerolinecolor: rgba(THEME.muted, 0.6),
        linecolor: THEME.muted,
        color: THEME.text,
      },
      extra,
    );
  }

  function baseLayout(extra) {
    return Object.assign(
      {
        paper_bgcolor: THEME.background,
        plot_bgcolor: THEME.background,
        font: { color: THEME.text, family: "system-ui, sans-serif", size: 13 },
        margin: { l: 55, r: 20, t: 40, b: 45 },
        showlegend: true,
        legend: { bgcolor: "rgba(0,0,0,0)", y: 0.92 },
        uirevision: "keep",
      },
      extra,
    );
  }

  function axis3(title, range) {
    return {
      title: { text: title },
      range,
      backgroundcolor: THEME.background,
      gridcolor: rgba(THEME.muted, 0.35),
      zerolinecolor: THEME.muted,
      color: THEME.text,
      showbackground: true,
    };
  }

  function scene(x, y, z, extra) {
    return Object.assign(
      {
        xaxis: axis3(x[0], x[1]),
        yaxis: axis3(y[0], y[1]),
        zaxis: axis3(z[0], z[1]),
        bgcolor: THEME.background,
        aspectmode: "manual",
        aspectratio: { x: 1, y: 1, z: 0.6 },
        camera: { eye: { x: 1.5, y: -1.5, z: 1.0 } },
      },
      extra,
    );
  }

  /* Plots are redrawn at most once a frame (a dragged slider fires many input events);
   * the first drawing of a plot is immediate, so that it exists when the page is ready. */
  const pendingDraws = new Map();
  let drawScheduled = false;
  let drawing = Promise.resolve();
  function draw(div, traces, layoutExtra) {
    const figure = [traces, baseLayout(layoutExtra)];
    if (!div.data) {
      Plotly.newPlot(div, figure[0], figure[1], PLOT_CONFIG);
      return;
    }
    pendingDraws.set(div, figure);
    if (!drawScheduled) {
      drawScheduled = true;
      requestAnimationFrame(() => {
        drawScheduled = false;
        const jobs = [...pendingDraws];
        pendingDraws.clear();
        drawing = drawing.then(() => Promise.all(jobs.map(([d, [t, l]]) => Plotly.react(d, t, l, PLOT_CONFIG))));
      });
    }
  }
  /* Resolves once every requested drawing is on screen (used by the tests). */
  window.drawsSettled = async function () {
    while (drawScheduled || pendingDraws.size) await new Promise((resolve) => requestAnimationFrame(resolve));
    await drawing;
  };

  function linspace(a, b, n) {
    return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
  }

  function flatColorscale(hex) {
    return [
      [0, hex],
      [1, hex],
    ];
  }

  function readout(parent) {
    return parent.appendChild(el("div", { class: "readout" }));
  }

  function table(node, header, rows) {
    node.replaceChildren(
      el(
        "table",
        {},
        el("tr", {}, ...header.map((h) => el("th", {}, h))),
        ...rows.map((row) => el("tr", {}, ...row.map((c) => el("td", {}, c)))),
      ),
    );
  }

  function classCell(k) {
    return el("span", {}, el("span", { class: "swatch", style: `background:${color(k)}` }), " ", className(k));
  }

  /* Arrow segments (shaft and head) as one line trace with null separators. */
  function arrowTrace(starts, vectors, colorHex, width = 1.6) {
    const xs = [];
    const ys = [];
    for (let i = 0; i < starts.length; i++) {
      const [x, y] = starts[i];
      const [u, v] = vectors[i];
      const length = Math.hypot(u, v);
      if (!(length > 1e-9)) continue;
      const ex = x + u;
      const ey = y + v;
      const head = Math.min(0.35 * length, 0.18);
      const ux = u / length;
      const uy = v / length;
      xs.push(x, ex, null, ex, ex - head * (ux * 0.87 - uy * 0.5), null, ex, ex - head * (ux * 0.87 + uy * 0.5), null);
      ys.push(y, ey, null, ey, ey - head * (uy * 0.87 + ux * 0.5), null, ey, ey - head * (uy * 0.87 - ux * 0.5), null);
    }
    return { type: "scatter", mode: "lines", x: xs, y: ys, line: { color: colorHex, width }, hoverinfo: "skip", name: "descent" };
  }

  function mostLikely(p) {
    const top = Math.max(...p);
    const tied = p.map((v, k) => (v === top ? className(k) : null)).filter((n) => n !== null);
    return tied.length > 1 ? `tie between ${tied.join(", ")}` : `most likely: ${tied[0]}`;
  }

  /* ---------------------------------------------------------------- SigmoidRecap */

  function sigmoidPage() {
    const { controls, view } = layout("Input");
    const ext = P.x_extent;
    const div = plotDiv(view);
    formula(controls, String.raw`\sigma(x) = \frac{1}{1 + e^{-x}}`);
    formula(controls, String.raw`\sigma'(x) = \sigma(x)\,(1 - \sigma(x))`);
    const state = {};
    const out = readout(controls);
    const x = slider(controls, { label: "x", min: -ext, max: ext, step: 0.01, value: Math.min(1.5, ext), onInput: update });
    const xs = linspace(-ext, ext, 401);
    function update() {
      const v = x.value;
      const p = M.sigmoid(v);
      Object.assign(state, { x: v, p, derivative: M.sigmoidDerivative(v) });
      table(out, ["", "value"], [
        [el("span", {}, "P(", classCell(0), ") = σ(x)"), fmt(p)],
        [el("span", {}, "P(", classCell(1), ") = 1 − σ(x)"), fmt(1 - p)],
        ["σ′(x)", fmt(state.derivative)],
      ]);
      draw(div, [
        { type: "scatter", mode: "lines", x: xs, y: xs.map(M.sigmoid), name: `σ(x) = P(${className(0)})`, line: { color: color(0), width: 3 } },
        { type: "scatter", mode: "lines", x: xs, y: xs.map((t) => 1 - M.sigmoid(t)), name: `1 − σ(x) = P(${className(1)})`, line: { color: color(1), width: 2, dash: "dot" } },
        { type: "scatter", mode: "lines", x: xs, y: xs.map(M.sigmoidDerivative), name: "σ′(x)", line: { color: THEME.muted, width: 2, dash: "dash" } },
        { type: "scatter", mode: "markers", x: [v, v], y: [p, 1 - p], name: "at x", marker: { size: 12, color: [color(0), color(1)], line: { color: THEME.text, width: 1 } } },
      ], { xaxis: axis({ title: { text: "x" }, range: [-ext, ext] }), yaxis: axis({ title: { text: "probability" }, range: [-0.02, 1.02] }), title: { text: `σ(${fmt(v, 2)}) = ${fmt(p)}` } });
    }
    if (out.parentNode === controls) controls.append(out);
    update();
    return { state: () => ({ ...state }) };
  }

  /* ---------------------------------------------------------------- logits → probabilities */

  function barsPage() {
    const chapter = DATA.chapter.name;
    const { controls, view } = layout("Logits");
    const config = P.logits;
    const finite = config.filter(Number.isFinite);
    const range = Math.max(6, Math.ceil(Math.max(...finite.map(Math.abs))) + 1);
    const z = [0, 0, 0, 0, 0].map((_, k) => (k < config.length ? Math.max(-range, config[k]) : 0));
    const state = { K: config.length, T: 1, c: 0, big: 0 };
    const div = plotDiv(view, 470);
    const out = readout(view);
    formula(controls, String.raw`p_k = \frac{e^{z_k/T}}{\sum_j e^{z_j/T}}`);
    select(controls, {
      label: "classes",
      options: [2, 3, 4, 5].map((k) => ({ value: k, label: `${k} classes` })),
      value: state.K,
      onChange: (v) => {
        state.K = Number(v);
        buildSliders();
        update();
      },
    });
    const sliderBox = controls.appendChild(el("div", {}));
    let sliders = [];
    function buildSliders() {
      sliderBox.replaceChildren();
      sliders = [];
      for (let k = 0; k < state.K; k++) {
        const label = el("span", {}, el("span", { class: "swatch", style: `background:${color(k)}` }), ` z${k + 1} (${className(k)})`);
        sliders.push(slider(sliderBox, { label, min: -range, max: range, step: 0.01, value: z[k], onInput: (v) => { z[k] = v; update(); } }));
      }
      if (P.varied_class && P.varied_class <= state.K) {  // the logit the chapter raises and lowers
        sliders[P.varied_class - 1].input.parentElement.style.outline = `2px solid ${THEME.accent}`;
      }
    }
    buildSliders();
    controls.append(el("h2", {}, "Temperature"));
    const lowT = Math.min(0.01, P.temperature_range ? P.temperature_range[0] : 0.01);
    const highT = Math.max(100, P.temperature_range ? P.temperature_range[1] : 100);
    const temperature = slider(controls, {
      label: "T (log scale)",
      name: "temperature",
      min: Math.log10(lowT),
      max: Math.log10(highT),
      step: 0.01,
      value: 0,
      format: (v) => fmt(10 ** v, 3),
      onInput: (v) => {
        state.T = 10 ** v;
        update();
      },
    });
    if (P.low_temperature !== undefined) {
      const presets = el("div", { class: "control presets" }, "the chapter's temperatures: ");
      for (const t of [P.low_temperature, 1, P.high_temperature]) {
        const b = el("button", { type: "button" }, `T = ${t}`);
        b.addEventListener("click", () => {
          temperature.set(Math.log10(Math.max(t, lowT)));
          state.T = Math.max(t, lowT);
          update();
        });
        presets.append(b, " ");
      }
      controls.append(presets);
    }
    controls.append(el("h2", {}, "Shift every logit by c"));
    const shiftRange = P.shift_range || [-3, 3];
    const shift = slider(controls, {
      label: "c",
      min: Math.min(-5, shiftRange[0]),
      max: Math.max(5, shiftRange[1]),
      step: 0.01,
      value: 0,
      onInput: (v) => {
        state.c = v;
        update();
      },
    });
    const example = P.shift_example === undefined ? 1000 : P.shift_example;
    checkbox(controls, {
      label: `also add ${fmt(example, 0)} to every logit`,
      checked: false,
      onChange: (on) => {
        state.big = on ? example : 0;
        update();
      },
    });
    if (chapter === "Temperature") {
      temperature.input.parentElement.style.outline = `2px solid ${THEME.accent}`;
    }
    if (chapter === "ShiftInvariance") {
      shift.input.parentElement.style.outline = `2px solid ${THEME.accent}`;
    }

    function update() {
      const K = state.K;
      const logits = z.slice(0, K);
      const c = state.c + state.big;
      const shifted = logits.map((v) => v + c);
      const T = state.T;
      const p = M.softmax(shifted, T);
      const p0 = M.softmax(logits, T);
      const top = Math.max(...shifted) / T;
      const relative = !(top < 50);
      const exps = shifted.map((v) => Math.exp(relative ? v / T - top : v / T));
      const total = exps.reduce((a, b) => a + b, 0);
      const H = M.entropy(p);
      const maxChange = Math.max(...p.map((v, i) => Math.abs(v - p0[i])));
      Object.assign(state, { logits, shifted, probs: p, probsUnshifted: p0, entropy: H, maxChange, lse: M.logsumexp(shifted.map((v) => v / T)) });
      const names = logits.map((_, k) => className(k));
      const colors = logits.map((_, k) => color(k));
      const faded = logits.map((_, k) => rgba(color(k), 0.35));
      const traces = [
        { type: "bar", x: names, y: shifted, marker: { color: colors }, text: shifted.map((v) => fmt(v, 2)), textposition: "outside", xaxis: "x", yaxis: "y", name: "logits z + c", showlegend: false },
        { type: "bar", x: names, y: exps, marker: { color: faded, line: { color: colors, width: 2 } }, text: exps.map((v) => fmt(v, 3)), textposition: "outside", xaxis: "x2", yaxis: "y2", name: "exponentials", showlegend: false },
        { type: "bar", x: names, y: p, marker: { color: colors }, text: p.map((v) => fmt(v, 3)), textposition: "outside", xaxis: "x3", yaxis: "y3", name: "probabilities", showlegend: false },
      ];
      for (let k = 0; k < K; k++) {
        traces.push({ type: "bar", x: ["Σ p = 1"], y: [p[k]], marker: { color: colors[k], line: { color: THEME.background, width: 1 } }, xaxis: "x4", yaxis: "y3", name: names[k], showlegend: false, hovertemplate: `${names[k]}: %{y:.4f}<extra></extra>` });
      }
      const expTitle = relative ? "exponentials ÷ e^(max/T) (too large)" : "exponentials e^((z + c)/T)";
      draw(div, traces, {
        barmode: "stack",
        margin: { l: 50, r: 10, t: 60, b: 40 },
        xaxis: axis({ domain: [0, 0.3], anchor: "y" }),
        yaxis: axis({}),
        xaxis2: axis({ domain: [0.36, 0.64], anchor: "y2" }),
        yaxis2: axis({ anchor: "x2", rangemode: "tozero" }),
        xaxis3: axis({ domain: [0.72, 0.92], anchor: "y3" }),
        yaxis3: axis({ anchor: "x3", range: [0, 1.15] }),
        xaxis4: axis({ domain: [0.93, 1], anchor: "y3" }),
        annotations: [
          { text: "logits z + c", x: 0.15, y: 1.1, xref: "paper", yref: "paper", xanchor: "center", showarrow: false },
          { text: expTitle, x: 0.5, y: 1.1, xref: "paper", yref: "paper", xanchor: "center", showarrow: false },
          { text: `probabilities = exponentials ÷ Σ`, x: 0.86, y: 1.1, xref: "paper", yref: "paper", xanchor: "center", showarrow: false },
          { text: `Σ = ${fmt(total, 4)}`, x: 0.86, y: 1.03, xref: "paper", yref: "paper", xanchor: "center", showarrow: false, font: { color: THEME.muted } },
        ],
      });
      const logK = Math.log(K);
      table(out, ["class", "z", "z + c", "p(z + c)", "p(z)"], logits.map((v, k) => [classCell(k), fmt(v, 2), fmt(shifted[k], 2), fmt(p[k], 6), fmt(p0[k], 6)]));
      out.append(
        el("p", {}, `T = ${fmt(T, 3)} · entropy H = ${fmt(H, 4)} nats of at most log ${K} = ${fmt(logK, 4)} · predictability 1 − H / log K = ${fmt(1 - H / logK, 3)} · ${mostLikely(p)}`),
        el("p", { class: maxChange < 1e-12 ? "ok" : "" }, `shift check: adding c = ${fmt(c, 2)} to every logit changes the probabilities by at most ${maxChange === 0 ? "0" : maxChange.toExponential(1)}: e^(c/T) cancels.`),
      );
    }
    if (out.parentNode === controls) controls.append(out);
    update();
    return { state: () => JSON.parse(JSON.stringify(state)) };
  }

  /* ---------------------------------------------------------------- SigmoidToSoftmax */

  function sigmoid2Page() {
    const { controls, view } = layout("Logits");
    const ext = P.z1_extent;
    const div = plotDiv(view);
    const out = readout(controls);
    formula(controls, String.raw`\frac{e^{z_1}}{e^{z_1} + e^{z_2}} = \frac{1}{1 + e^{-(z_1 - z_2)}}`);
    formula(controls, String.raw`= \sigma(z_1 - z_2)`);
    const state = {};
    const z2 = slider(controls, { label: `z2 (${className(1)}), held fixed`, min: -10, max: 10, step: 0.01, value: P.fixed_logit, onInput: update });
    const z1 = slider(controls, { label: `z1 (${className(0)})`, min: -10 - ext, max: 10 + ext, step: 0.01, value: P.fixed_logit + 1.5, onInput: update });
    function update() {
      const a = z1.value;
      const b = z2.value;
      const xs = linspace(b - ext, b + ext, 301);
      const p = M.softmax([a, b]);
      const s = M.sigmoid(a - b);
      Object.assign(state, { z1: a, z2: b, softmax: p, sigmoid: s });
      table(out, ["", "value"], [
        ["softmax(z1, z2)₁", fmt(p[0], 8)],
        ["σ(z1 − z2)", fmt(s, 8)],
        ["difference", Math.abs(p[0] - s).toExponential(1)],
      ]);
      draw(div, [
        { type: "scatter", mode: "lines", x: xs, y: xs.map((t) => M.softmax([t, b])[0]), name: `softmax(z1, ${fmt(b, 2)})₁ = P(${className(0)})`, line: { color: color(0), width: 6 } },
        { type: "scatter", mode: "lines", x: xs, y: xs.map((t) => M.sigmoid(t - b)), name: `σ(z1 − ${fmt(b, 2)})`, line: { color: THEME.accent, width: 2, dash: "dash" } },
        { type: "scatter", mode: "lines", x: xs, y: xs.map((t) => M.softmax([t, b])[1]), name: `P(${className(1)})`, line: { color: color(1), width: 2 } },
        { type: "scatter", mode: "markers", x: [a], y: [p[0]], name: "z1", marker: { size: 12, color: color(0), line: { color: THEME.text, width: 1 } } },
      ], { xaxis: axis({ title: { text: "z1" }, range: [b - ext, b + ext] }), yaxis: axis({ title: { text: "probability" }, range: [-0.02, 1.02] }), shapes: [{ type: "line", x0: b, x1: b, y0: 0, y1: 1, line: { color: THEME.muted, dash: "dot" } }] });
    }
    if (out.parentNode === controls) controls.append(out);
    update();
    return { state: () => ({ ...state }) };
  }

  /* ---------------------------------------------------------------- 2 classes in 3D */

  function twoClassPage() {
    const derivatives = DATA.chapter.name === "TwoClassDerivatives";
    const { controls, view } = layout("Show");
    const e = P.extent;
    const n = 41;
    const grid = linspace(-e, e, n);
    const div = plotDiv(view, 620);
    const out = readout(controls);
    const show = { p1: !derivatives, p2: !derivatives, d1: false, d2: false, loss: derivatives, cones: derivatives };
    const state = { target: (P.target_class || 1) - 1, t: 0 };
    formula(controls, String.raw`p_1 = \sigma(z_1 - z_2),\qquad L = -\log p_t`);
    formula(controls, String.raw`\frac{\partial p_1}{\partial z_1} = p_1 p_2 = -\frac{\partial p_1}{\partial z_2}`);
    const toggles = [
      ["p1", `p1 = P(${className(0)})`, color(0)],
      ["p2", `p2 = P(${className(1)})`, color(1)],
      ["d1", "∂p1/∂z1", THEME.accent],
      ["d2", "∂p1/∂z2", THEME.muted],
      ["loss", "loss −log p(target)", THEME.loss],
      ["cones", "descent arrows (cones)", THEME.gradient],
    ];
    for (const [key, label, swatch] of toggles) {
      checkbox(controls, { label, swatch, checked: show[key], onChange: (on) => { show[key] = on; update(); } });
    }
    select(controls, {
      label: "target class",
      options: [0, 1].map((k) => ({ value: k, label: `${k + 1}: ${className(k)}` })),
      value: state.target,
      onChange: (v) => { state.target = Number(v); update(); },
    });
    const point = P.slide_point || [1.5, -0.5];
    const slideRange = P.slide_range || [-2, 2];
    const slide = slider(controls, { label: "slide the dot by t·(1, 1)", min: slideRange[0], max: slideRange[1], step: 0.01, value: 0, onInput: (v) => { state.t = v; update(); } });
    const cap = P.loss_cap || 6;
    function update() {
      const target = state.target;
      const P1 = grid.map((b) => grid.map((a) => M.softmax([a, b])[0]));
      const P2 = grid.map((b) => grid.map((a) => M.softmax([a, b])[1]));
      const D = grid.map((b) => grid.map((a) => { const p = M.softmax([a, b]); return p[0] * p[1]; }));
      const L = grid.map((b) => grid.map((a) => Math.min(cap, M.nllLoss([a, b], target))));
      const traces = [];
      const surface = (zs, hex, name, opacity = THEME.surface_opacity) => ({ type: "surface", x: grid, y: grid, z: zs, colorscale: flatColorscale(hex), showscale: false, opacity, name, showlegend: true, hovertemplate: `${name}<br>z1=%{x:.2f} z2=%{y:.2f}<br>%{z:.4f}<extra></extra>`, contours: { z: { show: false } } });
      if (show.p1) traces.push(surface(P1, color(0), "p1"));
      if (show.p2) traces.push(surface(P2, color(1), "p2"));
      if (show.d1) traces.push(surface(D, THEME.accent, "∂p1/∂z1"));
      if (show.d2) traces.push(surface(D.map((row) => row.map((v) => -v)), THEME.muted, "∂p1/∂z2"));
      if (show.loss) traces.push(surface(L, THEME.loss, `−log p${target + 1} (cut at ${cap})`, 0.6));
      if (show.cones) {
        const m = P.arrows_per_side || 9;
        const g = linspace(-e * 0.9, e * 0.9, m);
        const xs = [], ys = [], zs = [], us = [], vs = [], ws = [];
        for (const b of g) for (const a of g) {
          const grad = M.nllGradient([a, b], target);
          xs.push(a); ys.push(b); zs.push(show.loss ? Math.min(cap, M.nllLoss([a, b], target)) : 0);
          us.push(-grad[0]); vs.push(-grad[1]); ws.push(0);
        }
        traces.push({ type: "cone", x: xs, y: ys, z: zs, u: us, v: vs, w: ws, sizemode: "scaled", sizeref: 0.9, anchor: "tail", colorscale: flatColorscale(THEME.gradient), showscale: false, name: "descent −∇L", showlegend: true });
      }
      const a = point[0] + state.t;
      const b = point[1] + state.t;
      const p = M.softmax([a, b]);
      traces.push({ type: "scatter3d", mode: "markers", x: [a], y: [b], z: [p[0]], marker: { size: 6, color: THEME.accent, line: { color: THEME.text, width: 1 } }, name: "dot" });
      const diag = linspace(-e, e, 2);
      const offset = point[0] - point[1];
      traces.push({ type: "scatter3d", mode: "lines", x: diag.map((s) => s + offset / 2), y: diag.map((s) => s - offset / 2), z: diag.map(() => p[0]), line: { color: THEME.accent, width: 4, dash: "dash" }, name: "(1, 1) through the dot" });
      Object.assign(state, { z: [a, b], probs: p, loss: M.nllLoss([a, b], target), gradient: M.nllGradient([a, b], target) });
      table(out, ["at the dot", "value"], [
        ["(z1, z2)", `(${fmt(a, 2)}, ${fmt(b, 2)})`],
        ["p1, p2", `${fmt(p[0])}, ${fmt(p[1])}`],
        [`loss −log p${target + 1}`, fmt(state.loss)],
        ["−∇L", `(${fmt(-state.gradient[0])}, ${fmt(-state.gradient[1])})`],
      ]);
      draw(div, traces, { scene: scene(["z1", [-e, e]], ["z2", [-e, e]], ["", show.loss ? [-0.3, cap] : [show.d2 ? -0.3 : 0, 1]], { camera: { eye: { x: 1.75, y: 0.55, z: 0.75 } } }), margin: { l: 0, r: 0, t: 10, b: 0 } });
    }
    if (out.parentNode === controls) controls.append(out);
    update();
    return { state: () => JSON.parse(JSON.stringify(state)) };
  }

  /* ---------------------------------------------------------------- 3 classes in 3D */

  /* A polar grid filling the regular hexagon of radius e: 2D x and y arrays (rows by
   * radius, columns by angle), so that surfaces end on the hexagon's straight edges. */
  function hexGrid(e, nr = 26, nt = 73) {
    const h = e * Math.cos(Math.PI / 6);
    const X = [];
    const Y = [];
    for (const r of linspace(0, 1, nr)) {
      const xs = [];
      const ys = [];
      for (const t of linspace(0, 2 * Math.PI, nt)) {
        const reach = h / Math.max(...[0, 1, 2].map((i) => Math.abs(Math.cos(t - (i * Math.PI) / 3))));
        xs.push(r * reach * Math.cos(t));
        ys.push(r * reach * Math.sin(t));
      }
      X.push(xs);
      Y.push(ys);
    }
    return { X, Y };
  }

  function threeClassPage() {
    const { controls, view } = layout("Show");
    const e = P.extent;
    const { X, Y } = hexGrid(e);
    const div = plotDiv(view, 640);
    const out = readout(controls);
    const vertices = M.classVertices(3);
    const show = { 0: true, 1: true, 2: true, regions: true, rays: true, centre: true };
    const state = { t: 0 };
    formula(controls, String.raw`p = \operatorname{softmax}(x\,b_1 + y\,b_2)`);
    formula(controls, String.raw`b_1, b_2 \perp (1, 1, 1)`);
    for (let k = 0; k < 3; k++) {
      checkbox(controls, { label: `p${k + 1} = P(${className(k)})`, swatch: color(k), checked: true, onChange: (on) => { show[k] = on; update(); } });
    }
    checkbox(controls, { label: "regions (largest class)", checked: true, onChange: (on) => { show.regions = on; update(); } });
    checkbox(controls, { label: "tie rays (two classes equal)", checked: true, onChange: (on) => { show.rays = on; update(); } });
    checkbox(controls, { label: "centre: every p = 1/3", checked: true, onChange: (on) => { show.centre = on; update(); } });
    const example = P.example_logits || [1.2, 0.4, -0.6];
    const slideRange = P.slide_range || [-1, 1];
    slider(controls, { label: "example logits + t·(1, 1, 1)", min: slideRange[0], max: slideRange[1], step: 0.01, value: 0, onInput: (v) => { state.t = v; update(); } });
    const probs = X.map((row, i) => row.map((x, j) => M.softmax(M.fromPlane([x, Y[i][j]]))));
    function update() {
      const traces = [];
      for (let k = 0; k < 3; k++) {
        if (!show[k]) continue;
        traces.push({ type: "surface", x: X, y: Y, z: probs.map((row) => row.map((p) => p[k])), colorscale: flatColorscale(color(k)), showscale: false, opacity: THEME.surface_opacity, name: `p${k + 1} ${className(k)}`, showlegend: true, hovertemplate: `P(${className(k)}) = %{z:.4f}<extra></extra>` });
      }
      if (show.regions) {
        const scale = [[0, color(0)], [0.333, color(0)], [0.334, color(1)], [0.666, color(1)], [0.667, color(2)], [1, color(2)]];
        traces.push({ type: "surface", x: X, y: Y, z: probs.map((row) => row.map(() => 0)), surfacecolor: probs.map((row) => row.map((p) => M.argmax(p))), cmin: 0, cmax: 2, colorscale: scale, showscale: false, opacity: 0.45, name: "regions", showlegend: true, hoverinfo: "skip" });
        const tri = [0, 1, 2, 0].map((k) => vertices[k]);
        traces.push({ type: "scatter3d", mode: "lines+markers+text", x: tri.map((v) => v[0]), y: tri.map((v) => v[1]), z: [0, 0, 0, 0], text: [0, 1, 2, 0].map((k, i) => (i < 3 ? className(k) : "")), textfont: { color: THEME.text }, marker: { size: 4, color: [0, 1, 2, 0].map(color) }, line: { color: THEME.muted, width: 3 }, name: "one-hot logits (class triangle)" });
      }
      if (show.rays) {
        for (let k = 0; k < 3; k++) {
          const v = vertices[k];
          const norm = Math.hypot(v[0], v[1]);
          const s = linspace(0, e * Math.cos(Math.PI / 6), 40);
          const xs = s.map((r) => (-v[0] / norm) * r);
          const ys = s.map((r) => (-v[1] / norm) * r);
          const others = [0, 1, 2].filter((i) => i !== k);
          const zs = xs.map((x, i) => M.softmax(M.fromPlane([x, ys[i]]))[others[0]]);
          traces.push({ type: "scatter3d", mode: "lines", x: xs, y: ys, z: xs.map(() => 0), line: { color: THEME.text, width: 5 }, name: `tie ${className(others[0])} = ${className(others[1])}`, showlegend: k === 0, legendgroup: "rays" });
          traces.push({ type: "scatter3d", mode: "lines", x: xs, y: ys, z: zs, line: { color: THEME.text, width: 3, dash: "dash" }, showlegend: false, hoverinfo: "skip", legendgroup: "rays" });
        }
      }
      if (show.centre) {
        traces.push({ type: "scatter3d", mode: "lines+markers", x: [0, 0], y: [0, 0], z: [0, 1 / 3], marker: { size: [4, 7], color: THEME.accent }, line: { color: THEME.accent, width: 3, dash: "dot" }, name: "centre (1/3 each)" });
      }
      const logits = example.map((v) => v + state.t);
      const xy = M.toPlane(logits);
      const p = M.softmax(logits);
      Object.assign(state, { logits, plane: xy, probs: p });
      traces.push({ type: "scatter3d", mode: "markers", x: [xy[0], xy[0], xy[0]], y: [xy[1], xy[1], xy[1]], z: p, marker: { size: 6, color: [0, 1, 2].map(color), symbol: "diamond", line: { color: THEME.text, width: 1 } }, name: "example logits" });
      table(out, ["class", "logit", "p"], logits.map((v, k) => [classCell(k), fmt(v, 2), fmt(p[k])]));
      out.append(el("p", {}, `plane coordinates (${fmt(xy[0])}, ${fmt(xy[1])}) do not change with t.`));
      draw(div, traces, { scene: scene(["x", [-e, e]], ["y", [-e, e]], ["p", [0, 1]]), margin: { l: 0, r: 0, t: 10, b: 0 } });
    }
    if (out.parentNode === controls) controls.append(out);
    update();
    return { state: () => JSON.parse(JSON.stringify(state)) };
  }

  /* ---------------------------------------------------------------- descent field, 3 classes */

  function descent(xy, target) {
    const gradient = M.nllGradient(M.fromPlane(xy), target);
    return M.toPlane(gradient).map((v) => -v);
  }

  function gradients3Page() {
    const { controls, view } = layout("Target and point");
    const e = P.extent;
    const div = plotDiv(view, 640);
    const out = readout(controls);
    const state = { target: (P.target_classes ? P.target_classes[0] : 1) - 1, start: [...(P.start_point || [-1.5, -1.2])], steps: P.descent_steps || 12, lr: P.step_size || 0.6 };
    formula(controls, String.raw`-\nabla_z L = \operatorname{onehot}(t) - \operatorname{softmax}(z)`);
    select(controls, {
      label: "target class",
      options: [0, 1, 2].map((k) => ({ value: k, label: `${k + 1}: ${className(k)}` })),
      value: state.target,
      onChange: (v) => { state.target = Number(v); update(); },
    });
    slider(controls, { label: "descent steps", min: 1, max: 200, step: 1, value: state.steps, format: (v) => String(v), onInput: (v) => { state.steps = v; update(); } });
    slider(controls, { label: "step size", min: 0.05, max: 5, step: 0.05, value: state.lr, onInput: (v) => { state.lr = v; update(); } });
    const sx = slider(controls, { label: "start x", min: -e, max: e, step: 0.01, value: state.start[0], onInput: (v) => { state.start[0] = v; update(); } });
    const sy = slider(controls, { label: "start y", min: -e, max: e, step: 0.01, value: state.start[1], onInput: (v) => { state.start[1] = v; update(); } });
    controls.append(el("p", { class: "muted" }, "Or click the plane to place the start point."));
    const n = 121;
    const g = linspace(-e, e, n);
    const regions = g.map((y) => g.map((x) => M.argmax(M.softmax(M.fromPlane([x, y])))));
    function path() {
      const points = [state.start.slice()];
      for (let i = 0; i < state.steps; i++) {
        const last = points[points.length - 1];
        const d = descent(last, state.target);
        points.push([last[0] + state.lr * d[0], last[1] + state.lr * d[1]]);
      }
      return points;
    }
    function update() {
      const target = state.target;
      const m = P.arrows_per_side || 15;
      const ag = linspace(-e, e, m);
      const starts = [];
      const vectors = [];
      const spacing = (2 * e) / (m - 1);
      for (const y of ag) for (const x of ag) {
        starts.push([x, y]);
        vectors.push(descent([x, y], target).map((v) => v * spacing * 0.85 / Math.SQRT2));
      }
      const loss = g.map((y) => g.map((x) => M.nllLoss(M.fromPlane([x, y]), target)));
      const pts = path();
      const end = pts[pts.length - 1];
      const pEnd = M.softmax(M.fromPlane(end));
      Object.assign(state, { path: pts, lossStart: M.nllLoss(M.fromPlane(pts[0]), target), lossEnd: M.nllLoss(M.fromPlane(end), target), probsEnd: pEnd });
      const scale = [[0, rgba(color(0), 0.28)], [0.333, rgba(color(0), 0.28)], [0.334, rgba(color(1), 0.28)], [0.666, rgba(color(1), 0.28)], [0.667, rgba(color(2), 0.28)], [1, rgba(color(2), 0.28)]];
      const vertices = M.classVertices(3);
      draw(div, [
        { type: "heatmap", x: g, y: g, z: regions, zmin: 0, zmax: 2, colorscale: scale, showscale: false, hovertemplate: "click to start here<br>x=%{x:.2f} y=%{y:.2f}<extra></extra>", name: "regions" },
        { type: "contour", x: g, y: g, z: loss, contours: { coloring: "lines", start: 0.25, end: 6, size: 0.5 }, line: { width: 1 }, colorscale: flatColorscale(rgba(THEME.muted, 0.8)), showscale: false, hoverinfo: "skip", name: `loss −log p${target + 1}` },
        arrowTrace(starts, vectors, THEME.gradient),
        { type: "scatter", mode: "markers+text", x: vertices.map((v) => v[0]), y: vertices.map((v) => v[1]), text: [0, 1, 2].map(className), textposition: "top center", marker: { size: 10, color: [0, 1, 2].map(color), symbol: "diamond" }, name: "one-hot logits" },
        { type: "scatter", mode: "lines+markers", x: pts.map((p) => p[0]), y: pts.map((p) => p[1]), line: { color: THEME.accent, width: 3 }, marker: { size: 6, color: THEME.accent }, name: "gradient descent path" },
      ], { xaxis: axis({ title: { text: "x (plane)" }, range: [-e, e], scaleanchor: "y" }), yaxis: axis({ title: { text: "y (plane)" }, range: [-e, e] }), title: { text: `target: ${className(target)}` } });
      table(out, ["", "value"], [
        ["start", `(${fmt(pts[0][0], 2)}, ${fmt(pts[0][1], 2)})`],
        ["loss at start", fmt(state.lossStart)],
        [`after ${state.steps} steps`, `(${fmt(end[0], 2)}, ${fmt(end[1], 2)})`],
        ["loss at end", fmt(state.lossEnd)],
        [`P(${className(target)}) at end`, fmt(pEnd[target])],
      ]);
    }
    function placePoint(x, y) {
      state.start = [Math.max(-e, Math.min(e, x)), Math.max(-e, Math.min(e, y))];
      sx.set(state.start[0]);
      sy.set(state.start[1]);
      update();
    }
    controls.append(out);
    update();
    div.on("plotly_click", (event) => {
      if (event && event.points && event.points.length) placePoint(event.points[0].x, event.points[0].y);
    });
    return { state: () => JSON.parse(JSON.stringify(state)), placePoint };
  }

  /* ---------------------------------------------------------------- logit paths */

  function pathsPage() {
    const { controls, view } = layout("Replay");
    const runs = DATA.data.runs;
    const labels = DATA.data.labels;
    const frames = runs[0].steps.length;
    const div = plotDiv(view, 600);
    const out = readout(controls);
    const state = { frame: frames - 1, trails: true, playing: false };
    formula(controls, String.raw`L = -\frac{1}{N}\sum_n \log \operatorname{softmax}(z_n)_{y_n}`);
    const step = slider(controls, { label: "training step", min: 0, max: frames - 1, step: 1, value: state.frame, format: (v) => String(runs[0].steps[v]), onInput: (v) => { state.frame = v; update(); } });
    checkbox(controls, { label: "trails (the path of every logit)", checked: true, onChange: (on) => { state.trails = on; update(); } });
    let timer = null;
    const play = button(controls, "▶ play", () => {
      if (timer) { clearInterval(timer); timer = null; play.textContent = "▶ play"; return; }
      if (state.frame >= frames - 1) state.frame = 0;
      play.textContent = "❚❚ pause";
      timer = setInterval(() => {
        state.frame += 1;
        step.set(state.frame);
        update();
        if (state.frame >= frames - 1) { clearInterval(timer); timer = null; play.textContent = "▶ play"; }
      }, 80);
    });
    controls.append(el("p", { class: "muted" }, `${labels.length} training points of 3 classes, a 3-${P.hidden}-${P.hidden}-3 network with its last layer zeroed: every logit starts at the centre.`));
    const ranges = runs.map((run) => {
      let m = 0;
      for (const frame of run.logits) for (const z of frame) for (const v of z) if (v !== null) m = Math.max(m, Math.abs(v));
      return [-m * 1.05 - 0.01, m * 1.05 + 0.01];
    });
    function update() {
      const f = state.frame;
      const traces = [];
      runs.forEach((run, r) => {
        const sceneName = r === 0 ? "scene" : "scene2";
        for (let k = 0; k < 3; k++) {
          const members = labels.map((label, i) => (label === k ? i : -1)).filter((i) => i >= 0);
          if (state.trails) {
            const xs = [], ys = [], zs = [];
            for (const i of members) {
              for (let t = 0; t <= f; t++) { const z = run.logits[t][i]; xs.push(z[0]); ys.push(z[1]); zs.push(z[2]); }
              xs.push(null); ys.push(null); zs.push(null);
            }
            traces.push({ type: "scatter3d", mode: "lines", x: xs, y: ys, z: zs, scene: sceneName, line: { color: color(k), width: 2 }, opacity: 0.5, hoverinfo: "skip", showlegend: false });
          }
          traces.push({ type: "scatter3d", mode: "markers", scene: sceneName, x: members.map((i) => run.logits[f][i][0]), y: members.map((i) => run.logits[f][i][1]), z: members.map((i) => run.logits[f][i][2]), marker: { size: 4, color: color(k) }, name: `label ${className(k)}`, legendgroup: `c${k}`, showlegend: r === 0 });
        }
      });
      Object.assign(state, { step: runs[0].steps[f], loss: runs.map((run) => run.loss[f]), accuracy: runs.map((run) => run.accuracy[f]) });
      const sceneFor = (r) => scene([`z1 (${className(0)})`, ranges[r]], [`z2 (${className(1)})`, ranges[r]], [`z3 (${className(2)})`, ranges[r]], { domain: { x: r === 0 ? [0, 0.49] : [0.51, 1], y: [0, 1] }, aspectratio: { x: 1, y: 1, z: 1 }, camera: { eye: { x: 1.7, y: -1.7, z: 1.2 } } });
      draw(div, traces, {
        scene: sceneFor(0),
        scene2: sceneFor(1),
        margin: { l: 0, r: 0, t: 30, b: 0 },
        legend: { orientation: "h", y: -0.02 },
        annotations: runs.map((run, r) => ({ text: `${run.label} (learning rate ${run.learning_rate})`, x: r === 0 ? 0.24 : 0.76, y: 1.03, xref: "paper", yref: "paper", xanchor: "center", showarrow: false })),
      });
      table(out, ["step " + state.step, ...runs.map((run) => run.label)], [
        ["loss", ...runs.map((run) => fmt(run.loss[f]))],
        ["accuracy", ...runs.map((run) => fmt(run.accuracy[f], 3))],
      ]);
    }
    if (out.parentNode === controls) controls.append(out);
    update();
    return { state: () => JSON.parse(JSON.stringify(state)) };
  }

  /* ---------------------------------------------------------------- Gaussians, 2 classes */

  function gauss2Page() {
    const { controls, view } = layout("Classes");
    const ext = P.x_extent;
    const div = plotDiv(view, 600);
    const out = readout(controls);
    const state = { means: [...P.means], sigma: P.sigma, prior: 0.5 };
    formula(controls, String.raw`P(1 \mid x) = \frac{\pi_1 \mathcal N_1(x)}{\pi_1 \mathcal N_1(x) + \pi_2 \mathcal N_2(x)}`);
    formula(controls, String.raw`= \sigma(w x + b)`);
    for (let k = 0; k < 2; k++) {
      slider(controls, { label: `mean μ${k + 1} (${className(k)})`, min: -ext, max: ext, step: 0.01, value: state.means[k], onInput: (v) => { state.means[k] = v; update(); } });
    }
    const range = P.sigma_range;
    slider(controls, { label: "spread σ", min: Math.min(0.2, range[0]), max: Math.max(3, range[1]), step: 0.01, value: state.sigma, onInput: (v) => { state.sigma = v; update(); } });
    const prior = slider(controls, { label: `prior π1 of ${className(0)}`, min: 0.01, max: 0.99, step: 0.01, value: 0.5, onInput: (v) => { state.prior = v; update(); } });
    const presets = el("div", { class: "control presets" }, "priors: ");
    for (const [label, value] of [["equal", 0.5], [`the chapter's π1 = ${P.prior_class1}`, P.prior_class1]]) {
      const b = el("button", { type: "button" }, label);
      b.addEventListener("click", () => { prior.set(value); state.prior = value; update(); });
      presets.append(b, " ");
    }
    controls.append(presets);
    const xs = linspace(-ext, ext, 401);
    function update() {
      const means = state.means.map((m) => [m]);
      const priors = [state.prior, 1 - state.prior];
      const { W, b } = M.gaussianLogits(means, state.sigma, priors);
      const w = W[0][0] - W[1][0];
      const bias = b[0] - b[1];
      const dens = [0, 1].map((k) => xs.map((x) => priors[k] * M.gaussianDensity([x], means[k], state.sigma)));
      const posterior = xs.map((_, i) => { const s = dens[0][i] + dens[1][i]; return s > 0 ? dens[0][i] / s : null; });
      const logistic = xs.map((x) => M.sigmoid(w * x + bias));
      let maxDiff = 0;
      posterior.forEach((p, i) => { if (p !== null) maxDiff = Math.max(maxDiff, Math.abs(p - logistic[i])); });
      Object.assign(state, { w, b: bias, maxDiff });
      draw(div, [
        ...[0, 1].map((k) => ({ type: "scatter", mode: "lines", x: xs, y: dens[k], fill: "tozeroy", fillcolor: rgba(color(k), 0.25), line: { color: color(k), width: 2 }, name: `π${k + 1} N(x; μ${k + 1}, σ) ${className(k)}`, xaxis: "x", yaxis: "y" })),
        { type: "scatter", mode: "lines", x: xs, y: posterior, line: { color: color(0), width: 6 }, name: `P(${className(0)} | x) from the densities`, xaxis: "x2", yaxis: "y2" },
        { type: "scatter", mode: "lines", x: xs, y: logistic, line: { color: THEME.accent, width: 2, dash: "dash" }, name: `σ(${fmt(w, 3)} x + ${fmt(bias, 3)})`, xaxis: "x2", yaxis: "y2" },
      ], {
        grid: { rows: 2, columns: 1, pattern: "independent" },
        xaxis: axis({ range: [-ext, ext], anchor: "y" }),
        yaxis: axis({ domain: [0.55, 1], title: { text: "density × prior" }, rangemode: "tozero" }),
        xaxis2: axis({ range: [-ext, ext], anchor: "y2", title: { text: "x" } }),
        yaxis2: axis({ domain: [0, 0.45], range: [-0.02, 1.02], title: { text: "posterior" } }),
        legend: { orientation: "h", y: 1.12 },
        margin: { l: 60, r: 20, t: 70, b: 45 },
      });
      table(out, ["", "value"], [
        ["w = (μ1 − μ2)/σ²", fmt(w)],
        ["b = (μ2² − μ1²)/(2σ²) + log(π1/π2)", fmt(bias)],
        ["max |posterior − σ(wx + b)|", maxDiff.toExponential(1)],
      ]);
    }
    if (out.parentNode === controls) controls.append(out);
    update();
    return { state: () => JSON.parse(JSON.stringify(state)) };
  }

  /* ---------------------------------------------------------------- Gaussians, 3 classes */

  function gauss3Page() {
    const { controls, view } = layout("Classes");
    const e = P.extent;
    const { X, Y } = hexGrid(e);
    const div = plotDiv(view, 640);
    const out = readout(controls);
    const state = { spread: P.spread, sigma: P.sigma, view: "posterior" };
    formula(controls, String.raw`\frac{\mathcal N(x;\mu_k,\sigma)}{\sum_j \mathcal N(x;\mu_j,\sigma)} = \operatorname{softmax}_k(W x + b)`);
    formula(controls, String.raw`W_j = \frac{\mu_j}{\sigma^2},\quad b_j = -\frac{|\mu_j|^2}{2\sigma^2}`);
    slider(controls, { label: "spread (distance of each mean from the centre)", min: 0.2, max: Math.max(4, P.spread), step: 0.01, value: state.spread, onInput: (v) => { state.spread = v; update(); } });
    const range = P.sigma_range;
    slider(controls, { label: "σ", min: Math.min(0.3, range[0]), max: Math.max(2.5, range[1]), step: 0.01, value: state.sigma, onInput: (v) => { state.sigma = v; update(); } });
    select(controls, {
      label: "show",
      options: [{ value: "posterior", label: "posteriors (normalised)" }, { value: "density", label: "densities" }],
      value: state.view,
      onChange: (v) => { state.view = v; update(); },
    });
    const vertices = M.classVertices(3);
    function update() {
      const means = vertices.map((v) => { const r = Math.hypot(v[0], v[1]); return [(state.spread * v[0]) / r, (state.spread * v[1]) / r]; });
      let maxDiff = 0;
      const dens = [[], [], []];
      const post = [[], [], []];
      X.forEach((row, i) => {
        for (let k = 0; k < 3; k++) { dens[k].push([]); post[k].push([]); }
        row.forEach((x, j) => {
          const y = Y[i][j];
          const d = means.map((m) => M.gaussianDensity([x, y], m, state.sigma));
          const s = d[0] + d[1] + d[2];
          const soft = M.gaussianPosterior([x, y], means, state.sigma);
          for (let k = 0; k < 3; k++) {
            dens[k][i].push(d[k]);
            const p = s > 0 ? d[k] / s : null;
            post[k][i].push(p);
            if (p !== null) maxDiff = Math.max(maxDiff, Math.abs(p - soft[k]));
          }
        });
      });
      const { W, b } = M.gaussianLogits(means, state.sigma);
      Object.assign(state, { means, maxDiff, W, b });
      const zs = state.view === "posterior" ? post : dens;
      const top = state.view === "posterior" ? 1 : 1 / (2 * Math.PI * state.sigma ** 2);
      const traces = [0, 1, 2].map((k) => ({ type: "surface", x: X, y: Y, z: zs[k], colorscale: flatColorscale(color(k)), showscale: false, opacity: THEME.surface_opacity, name: `${className(k)}`, showlegend: true, hovertemplate: `${className(k)}: %{z:.4f}<extra></extra>` }));
      traces.push({ type: "scatter3d", mode: "markers+text", x: means.map((m) => m[0]), y: means.map((m) => m[1]), z: [0, 0, 0], text: [0, 1, 2].map((k) => `μ ${className(k)}`), textfont: { color: THEME.text }, marker: { size: 5, color: [0, 1, 2].map(color), symbol: "diamond" }, name: "means" });
      draw(div, traces, { scene: scene(["x", [-e, e]], ["y", [-e, e]], [state.view === "posterior" ? "P(k | x)" : "density", [0, top * 1.05]]), margin: { l: 0, r: 0, t: 10, b: 0 } });
      table(out, ["class", "W (weights)", "b (bias)"], [0, 1, 2].map((k) => [classCell(k), `(${fmt(W[k][0], 3)}, ${fmt(W[k][1], 3)})`, fmt(b[k], 3)]));
      out.append(el("p", { class: maxDiff < 1e-12 ? "ok" : "" }, `max |normalised densities − softmax(Wx + b)| over the plane: ${maxDiff.toExponential(1)}`));
    }
    if (out.parentNode === controls) controls.append(out);
    update();
    return { state: () => JSON.parse(JSON.stringify(state)) };
  }

  /* ---------------------------------------------------------------- 4 and 5 classes */

  function gridFaces(nt, np) {
    const i = [], j = [], k = [];
    for (let a = 0; a < nt - 1; a++) {
      for (let b = 0; b < np - 1; b++) {
        const p = a * np + b;
        i.push(p, p + 1);
        j.push(p + np, p + np);
        k.push(p + 1, p + np + 1);
      }
    }
    return { i, j, k };
  }

  function shapesPage() {
    const { controls, view } = layout("Show");
    const D = DATA.data;
    const faces = gridFaces(D.n_theta, D.n_phi);
    const div = plotDiv(view, 620);
    const out = readout(controls);
    const state = { level: D.four.length - 1, slice: Math.floor(D.five.length / 2), show: [true, true, true, true, true] };
    formula(controls, String.raw`\{x : \operatorname{softmax}(x)_k \ge q\}`);
    select(controls, {
      label: "level q (4 classes)",
      options: D.four.map((f, i) => ({ value: i, label: String(f.level) })),
      value: state.level,
      onChange: (v) => { state.level = Number(v); update(); },
    });
    slider(controls, { label: "fourth coordinate x4 (5 classes)", min: 0, max: D.five.length - 1, step: 1, value: state.slice, format: (v) => fmt(D.five[v].value, 3), onInput: (v) => { state.slice = v; update(); } });
    for (let k = 0; k < 5; k++) {
      checkbox(controls, { label: `${className(k)}${k === 4 ? " (5 classes only)" : ""}`, swatch: color(k), checked: true, onChange: (on) => { state.show[k] = on; update(); } });
    }
    controls.append(el("p", { class: "muted" }, `Bodies cut by the ball of radius ${D.radius}. Class 1 points up the third axis (4 classes) or along x4 (5 classes): moving x4 towards it makes its body appear.`));
    function mesh(points, k, sceneName, name) {
      const xs = [], ys = [], zs = [];
      for (const row of points) for (const p of row) { xs.push(p[0]); ys.push(p[1]); zs.push(p[2]); }
      return { type: "mesh3d", x: xs, y: ys, z: zs, ...faces, color: color(k), opacity: 0.55, flatshading: false, scene: sceneName, name, showlegend: false, hovertemplate: `${name}<extra></extra>` };
    }
    /* The one-hot logits of classes (a tetrahedron), pushed out to the ball, for orientation. */
    function tetrahedron(vertices, classes, sceneName) {
      const scaled = vertices.map((v) => { const r = Math.hypot(...v); return v.map((c) => (c / r) * D.radius * 0.97); });
      const xs = [], ys = [], zs = [];
      for (let a = 0; a < 4; a++) for (let b = a + 1; b < 4; b++) {
        xs.push(scaled[a][0], scaled[b][0], null); ys.push(scaled[a][1], scaled[b][1], null); zs.push(scaled[a][2], scaled[b][2], null);
      }
      return [
        { type: "scatter3d", mode: "lines", x: xs, y: ys, z: zs, scene: sceneName, line: { color: THEME.muted, width: 2 }, hoverinfo: "skip", showlegend: false },
        { type: "scatter3d", mode: "markers+text", scene: sceneName, x: scaled.map((v) => v[0]), y: scaled.map((v) => v[1]), z: scaled.map((v) => v[2]), text: classes.map(className), textfont: { color: THEME.text }, marker: { size: 4, color: classes.map(color) }, hoverinfo: "text", showlegend: false },
      ];
    }
    const four4 = M.classVertices(4);
    const five4 = M.classVertices(5).slice(1).map((v) => v.slice(0, 3));
    function update() {
      const traces = [...tetrahedron(four4, [0, 1, 2, 3], "scene"), ...tetrahedron(five4, [1, 2, 3, 4], "scene2")];
      const four = D.four[state.level];
      four.bodies.forEach((points, k) => { if (state.show[k]) traces.push(mesh(points, k, "scene", `${className(k)} ≥ ${four.level}`)); });
      const five = D.five[state.slice];
      const present = [];
      five.bodies.forEach((points, k) => {
        if (points === null) return;
        present.push(className(k));
        if (state.show[k]) traces.push(mesh(points, k, "scene2", `${className(k)} ≥ ${P.slice_level}`));
      });
      Object.assign(state, { x4: five.value, present });
      const r = [-D.radius, D.radius];
      const sceneFor = (x) => scene(["x1", r], ["x2", r], ["x3", r], { domain: { x, y: [0, 1] }, aspectratio: { x: 1, y: 1, z: 1 } });
      draw(div, traces, {
        scene: sceneFor([0, 0.49]),
        scene2: sceneFor([0.51, 1]),
        margin: { l: 0, r: 0, t: 30, b: 0 },
        annotations: [
          { text: `4 classes: p ≥ ${four.level}`, x: 0.24, y: 0.98, xref: "paper", yref: "paper", xanchor: "center", showarrow: false },
          { text: `5 classes, slice x4 = ${fmt(five.value, 3)}: p ≥ ${P.slice_level}`, x: 0.7, y: 0.98, xref: "paper", yref: "paper", xanchor: "center", showarrow: false },
        ],
      });
      out.replaceChildren(el("p", {}, `In this slice: ${present.join(", ") || "no class"} reach ${P.slice_level}.`));
    }
    if (out.parentNode === controls) controls.append(out);
    update();
    return { state: () => JSON.parse(JSON.stringify(state)) };
  }

  const PAGES = {
    sigmoid: sigmoidPage,
    bars: barsPage,
    sigmoid2: sigmoid2Page,
    twoclass: twoClassPage,
    threeclass: threeClassPage,
    gradients3: gradients3Page,
    paths: pathsPage,
    gauss2: gauss2Page,
    gauss3: gauss3Page,
    shapes: shapesPage,
  };

  window.page = PAGES[DATA.kind]();
  window.page.data = DATA;
  window.pageReady = true;
})();
