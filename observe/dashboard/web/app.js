// The sluice dashboard: renders the Frame that /events sends (see
// frame.go). Everything from the run (URLs, reasons, names) is set as
// text, never as HTML.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const PALETTE = ["#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0891b2", "#db2777", "#65a30d", "#ca8a04"];
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
}

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

const fmtInt = (n) => Math.round(n).toLocaleString("en-US");

function fmtNum(n) {
  if (n === 0) return "0";
  if (n >= 100) return fmtInt(n);
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

const fmtAxis = (v) => (v >= 1000 ? fmtInt(v) : String(Number(v.toPrecision(3))));

function fmtDur(s) {
  if (s < 0) return "–";
  if (s < 10) return s.toFixed(1) + "s";
  s = Math.round(s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  if (h) return h + "h " + String(m).padStart(2, "0") + "m";
  if (m) return m + "m " + String(sec).padStart(2, "0") + "s";
  return sec + "s";
}

function fmtMs(ms) {
  if (ms === 0) return "0 ms";
  if (ms >= 1000) return (ms / 1000).toFixed(ms >= 10000 ? 0 : 1) + " s";
  if (ms >= 10) return Math.round(ms) + " ms";
  return ms.toFixed(1) + " ms";
}

function setValue(id, value, text) {
  const e = $(id);
  e.dataset.value = String(value);
  e.textContent = text === undefined ? fmtInt(value) : text;
}

function render(f) {
  renderHeader(f);
  renderLedger(f);
  renderGraph(f);
  renderCharts(f);
  renderHosts(f);
  renderFailures(f);
  renderFooter(f);
}

function renderHeader(f) {
  $("job").textContent = f.job || "waiting for the run…";
  setValue("elapsed", f.elapsed, fmtDur(f.elapsed));
  const st = $("state");
  st.dataset.value = f.state;
  st.textContent = f.state;
  st.className = "pill " + f.state.split(":")[0];
  st.title = f.error || "";
  document.title = (f.state === "running" ? "▶ " : "") + (f.job || "sluice") + " · sluice";
}

function renderLedger(f) {
  const l = f.ledger;
  setValue("ledger-inputs", l.inputs);
  $("ledger-total").textContent = l.total >= 0 ? "of " + fmtInt(l.total) + " inputs" : "total unknown";
  setValue("ledger-done", l.done);
  $("ledger-resumed").textContent = l.resumed ? "+ " + fmtInt(l.resumed) + " from an earlier run" : "";
  setValue("ledger-failed", l.failed);
  $("ledger-failpct").textContent = l.done ? (100 * l.failed / l.done).toFixed(1) + "% of done" : "";
  setValue("ledger-written", l.written);
  $("ledger-rounds").textContent = fmtInt(l.rounds) + " commit rounds";
  setValue("ledger-rate", l.rate, fmtNum(l.rate));
  const running = f.state === "running";
  setValue("ledger-eta", l.eta, running ? fmtDur(l.eta) : f.state === "waiting" ? "–" : "done");
  let pct = -1;
  if (l.total > 0) pct = Math.min(100, 100 * (l.done + l.resumed) / l.total);
  else if (l.total === 0 || (!running && f.state !== "waiting")) pct = 100;
  $("ledger-pct").textContent = pct >= 0 ? pct.toFixed(1) + "%" : "";
  $("progress-bar").style.width = (pct >= 0 ? pct : 0) + "%";
}

// layout places each stage in a column by its depth from the sources.
function layout(stages, edges) {
  const depth = {}, into = {};
  for (const e of edges) (into[e.to] = into[e.to] || []).push(e.from);
  for (const s of stages) {
    depth[s.name] = Math.max(0, ...(into[s.name] || []).map((p) => (depth[p] ?? -1) + 1));
  }
  const cols = [];
  for (const s of stages) (cols[depth[s.name]] = cols[depth[s.name]] || []).push(s);
  return cols.filter(Boolean);
}

const NODE_W = 176, NODE_H = 118, GAP_X = 54, GAP_Y = 22, PAD = 22;

function renderGraph(f) {
  const g = $("graph");
  g.replaceChildren();
  $("bottleneck-why").textContent = f.bottleneck ? "bottleneck: " + f.bottleneck + " — " + f.why : f.why || "";
  if (!f.stages.length) return;
  const cols = layout(f.stages, f.edges);
  const rows = Math.max(...cols.map((c) => c.length));
  const W = PAD * 2 + cols.length * NODE_W + (cols.length - 1) * GAP_X;
  const H = PAD * 2 + rows * NODE_H + (rows - 1) * GAP_Y;
  g.setAttribute("viewBox", `0 0 ${W} ${H}`);
  g.style.maxHeight = H + "px";
  const defs = svg("defs");
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto" });
  marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#94a3b8" }));
  defs.append(marker);
  g.append(defs);
  const pos = {};
  cols.forEach((col, i) => col.forEach((s, j) => {
    const top = PAD + (H - 2 * PAD - (col.length * NODE_H + (col.length - 1) * GAP_Y)) / 2;
    pos[s.name] = { x: PAD + i * (NODE_W + GAP_X), y: top + j * (NODE_H + GAP_Y) };
  }));
  const byName = Object.fromEntries(f.stages.map((s) => [s.name, s]));
  for (const e of f.edges) drawEdge(g, pos[e.from], pos[e.to], byName[e.to]);
  for (const s of f.stages) drawNode(g, s, pos[s.name], s.name === f.bottleneck);
}

function drawEdge(g, a, b, to) {
  if (!a || !b) return;
  const x1 = a.x + NODE_W, y1 = a.y + NODE_H / 2, x2 = b.x - 2, y2 = b.y + NODE_H / 2;
  const mx = (x1 + x2) / 2;
  g.append(svg("path", { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, fill: "none", stroke: "#94a3b8", "stroke-width": "2", "marker-end": "url(#arrow)" }));
  const q = to ? to.queue : 0;
  const t = svg("text", { x: mx, y: (y1 + y2) / 2 - 8, "text-anchor": "middle", "font-size": "12", fill: q > 0 ? "#b45309" : "#94a3b8", "font-weight": q > 0 ? "600" : "400" }, "q " + fmtInt(q));
  t.dataset.queue = to ? to.name : "";
  g.append(t);
}

function drawNode(g, s, p, hot) {
  const n = svg("g", { transform: `translate(${p.x},${p.y})`, "data-stage": s.name });
  n.append(svg("rect", { width: NODE_W, height: NODE_H, rx: 8, fill: hot ? "#fef2f2" : "#f8fafc", stroke: hot ? "#dc2626" : "#cbd5e1", "stroke-width": hot ? 2.5 : 1 }));
  n.append(svg("text", { x: 12, y: 22, "font-size": "15", "font-weight": "650", fill: "#1d2733" }, s.name));
  n.append(svg("text", { x: NODE_W - 12, y: 22, "font-size": "11", "text-anchor": "end", fill: "#6b7785" }, s.kind + " ×" + s.workers));
  const line = (y, l, v, color) => {
    n.append(svg("text", { x: 12, y, "font-size": "12", fill: "#6b7785" }, l));
    n.append(svg("text", { x: NODE_W - 12, y, "font-size": "12", "text-anchor": "end", fill: color || "#1d2733", "font-weight": "600" }, v));
  };
  if (s.kind === "source") line(42, "read", fmtInt(s.out));
  else line(42, "in → out", fmtInt(s.in) + " → " + fmtInt(s.out));
  line(58, "failed · filtered", fmtInt(s.failed) + " · " + fmtInt(s.filtered), s.failed ? "#c2410c" : undefined);
  line(74, "rate", fmtNum(s.rate) + "/s");
  const bw = NODE_W - 24, busy = Math.max(0, Math.min(1, s.busy));
  n.append(svg("rect", { x: 12, y: 84, width: bw, height: 8, rx: 4, fill: "#e2e8f0" }));
  n.append(svg("rect", { x: 12, y: 84, width: bw * busy, height: 8, rx: 4, fill: busy > 0.85 ? "#dc2626" : busy > 0.5 ? "#f59e0b" : "#22c55e" }));
  n.append(svg("text", { x: 12, y: 108, "font-size": "11", fill: "#6b7785" }, "busy " + Math.round(busy * 100) + "% · " + fmtInt(s.in_flight) + " in flight"));
  g.append(n);
  if (hot) g.append(svg("text", { x: p.x + NODE_W / 2, y: p.y - 6, "text-anchor": "middle", "font-size": "11", "font-weight": "700", fill: "#dc2626", "letter-spacing": "1" }, "BOTTLENECK"));
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v))), m = v / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

// lineChart draws lines [{name, color, values}] over xs (seconds).
function lineChart(el, legend, xs, lines, fmtY) {
  const W = 640, H = 220, L = 58, R = 12, T = 10, B = 26;
  el.setAttribute("viewBox", `0 0 ${W} ${H}`);
  el.setAttribute("preserveAspectRatio", "none");
  el.replaceChildren();
  const x0 = xs.length ? xs[0] : 0, x1 = Math.max(xs.length ? xs[xs.length - 1] : 1, x0 + 1);
  const ymax = niceMax(Math.max(0, ...lines.flatMap((l) => l.values)));
  const X = (x) => L + (W - L - R) * (x - x0) / (x1 - x0), Y = (y) => T + (H - T - B) * (1 - y / ymax);
  for (let i = 0; i <= 4; i++) {
    const v = ymax * i / 4;
    el.append(svg("line", { x1: L, x2: W - R, y1: Y(v), y2: Y(v), stroke: i ? "#eef2f7" : "#cbd5e1" }));
    el.append(svg("text", { x: L - 6, y: Y(v) + 4, "text-anchor": "end", "font-size": "11", fill: "#6b7785" }, fmtY(v)));
  }
  for (let i = 0; i <= 5; i++) {
    const x = x0 + (x1 - x0) * i / 5;
    el.append(svg("text", { x: X(x), y: H - 8, "text-anchor": i === 0 ? "start" : i === 5 ? "end" : "middle", "font-size": "11", fill: "#6b7785" }, fmtDur(x)));
  }
  legend.replaceChildren();
  for (const l of lines) {
    if (xs.length) {
      const d = l.values.map((v, i) => (i ? "L" : "M") + X(xs[i]).toFixed(1) + "," + Y(v).toFixed(1)).join(" ");
      el.append(svg("path", { d, fill: "none", stroke: l.color, "stroke-width": "2", "vector-effect": "non-scaling-stroke", "stroke-linejoin": "round" }));
    }
    const last = l.values.length ? fmtY(l.values[l.values.length - 1]) : "–";
    legend.append(el_legend(l.color, l.name + " " + last));
  }
}

function el_legend(color, text) {
  const i = el("i");
  i.style.background = color;
  return el("span", {}, i, text);
}

function renderCharts(f) {
  const s = f.series;
  const rates = f.stages.map((st, i) => ({ name: st.name, color: PALETTE[i % PALETTE.length], values: s.rates[st.name] || [] }));
  lineChart($("chart-rate"), $("legend-rate"), s.t, rates, (v) => fmtAxis(v) + "/s");
  lineChart($("chart-latency"), $("legend-latency"), s.t, [
    { name: "p50", color: "#2563eb", values: s.p50 },
    { name: "p95", color: "#dc2626", values: s.p95 },
  ], fmtMs);
  const fetches = s.fetches.length ? s.fetches[s.fetches.length - 1] : 0;
  $("legend-latency").append(el("span", {}, fmtInt(f.fetch.requests) + " fetches · " + fmtNum(fetches) + "/s · " + fmtInt(f.fetch.retries) + " retries"));
}

function codeChips(codes) {
  const td = el("td");
  for (const [c, n] of Object.entries(codes).sort()) {
    td.append(el("span", { class: "chip " + (c === "error" ? "err" : "s" + c[0]) }, c + " ×" + fmtInt(n)));
  }
  return td;
}

function renderHosts(f) {
  const tb = $("hosts").tBodies[0];
  tb.replaceChildren();
  $("hosts-hint").textContent = f.host_limits
    ? "AIMD concurrency limit and rate from the fetcher"
    : "from fetch events; the fetcher's per-host limits are not attached to this run";
  for (const h of f.hosts) {
    const td = (v) => el("td", { class: "n" }, v);
    const lim = f.host_limits ? (h.limit < h.max_limit ? "⚠ " : "") + h.limit + " / " + h.max_limit : "–";
    const rate = f.host_limits && h.base_rate ? fmtNum(h.rate) + " / " + fmtNum(h.base_rate) : "–";
    tb.append(el("tr", { "data-host": h.host }, el("td", {}, h.host), td(fmtInt(h.requests)), codeChips(h.codes), td(fmtInt(h.retries)),
      td(fmtDur(h.wait)), td(fmtMs(h.avg_ms || 0)), td(f.host_limits ? fmtInt(h.in_flight) + (h.waiting ? " +" + h.waiting : "") : "–"), td(lim), td(rate)));
  }
  if (f.more_hosts) tb.append(el("tr", {}, el("td", { colspan: "9", class: "empty" }, "+ " + fmtInt(f.more_hosts) + " more hosts")));
  if (!f.hosts.length) tb.append(el("tr", {}, el("td", { colspan: "9", class: "empty" }, "no fetches yet")));
}

function renderFailures(f) {
  const tb = $("failures").tBodies[0];
  tb.replaceChildren();
  for (const r of f.failures) {
    const urls = el("td", { class: "url" });
    for (const u of r.samples || []) urls.append(el("div", { title: u }, u));
    tb.append(el("tr", {}, el("td", {}, r.stage), el("td", {}, r.reason), el("td", { class: "n" }, fmtInt(r.count)), urls));
  }
  if (!f.failures.length) tb.append(el("tr", {}, el("td", { colspan: "4", class: "empty" }, "no failures")));
}

function renderFooter(f) {
  const ft = $("footer");
  ft.replaceChildren();
  for (const k of ["output", "dead letters", "checkpoint"]) {
    const v = (f.where || {})[k];
    if (v) ft.append(el("span", {}, k + " ", el("code", {}, v)));
  }
  if (f.error) ft.append(el("span", {}, "error: " + f.error));
  if (f.dropped) ft.append(el("span", {}, f.dropped + " events missed by the dashboard"));
}

function connect() {
  const es = new EventSource("events");
  es.onopen = () => { $("conn").className = "conn"; $("conn").title = "connected"; };
  es.onerror = () => { $("conn").className = "conn off"; $("conn").title = "disconnected: showing the last state received"; };
  es.onmessage = (ev) => render(JSON.parse(ev.data));
}

connect();
