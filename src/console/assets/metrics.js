// Parses the Prometheus text exposition format (what kura's /metrics serves) into samples, and
// derives what the console's Status page shows. Pure functions: tested in Node by
// tests/console/metrics_test.mjs. https://prometheus.io/docs/instrumenting/exposition_formats/
// No imports, so Node loads this file as it is.

// [{name, labels: {…}, value}] for every sample line; comments (# HELP / # TYPE) are skipped.
export function parseMetrics(body) {
  const samples = [];
  for (const raw of body.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || (Number.isNaN(parseValue(m[4])) && m[4] !== "NaN")) continue;  // not a sample
    samples.push({ name: m[1], labels: parseLabels(m[3] ?? ""), value: parseValue(m[4]) });
  }
  return samples;
}

function parseValue(text) {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  return Number(text);
}

// name="value" pairs; values escape \\, \" and \n.
function parseLabels(text) {
  const labels = {};
  const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;
  let m;
  while ((m = re.exec(text)) !== null) {
    labels[m[1]] = m[2].replace(/\\(.)/g, (_, c) => (c === "n" ? "\n" : c));
  }
  return labels;
}

export function find(samples, name, labels = {}) {
  return samples.filter((s) => s.name === name &&
    Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

export function sum(samples, name, labels) {
  return find(samples, name, labels).reduce((total, s) => total + s.value, 0);
}

// Requests per second per group (e.g. "s3 PutObject 2xx") between two scrapes `seconds` apart,
// from the counter `name`; groups that did not move are left out, busiest first.
export function rates(before, after, seconds, name, keyOf) {
  const totals = (samples) => {
    const map = new Map();
    for (const s of find(samples, name)) map.set(keyOf(s.labels), (map.get(keyOf(s.labels)) ?? 0) + s.value);
    return map;
  };
  const a = totals(before);
  const b = totals(after);
  const out = [];
  for (const [key, value] of b) {
    const delta = value - (a.get(key) ?? 0);
    if (delta > 0 && seconds > 0) out.push({ key, perSecond: delta / seconds, total: value });
  }
  return out.sort((x, y) => y.perSecond - x.perSecond || (x.key < y.key ? -1 : 1));
}
