// Server status from /metrics (Prometheus text, served unsigned by the console listener): version,
// uptime, data dir usage and request rates, the rates from two scrapes a few seconds apart.
// The page refreshes itself while it is shown.
import { find, parseMetrics, rates, sum } from "./metrics.js";
import { errorBox, formatBytes, h, replace, table } from "./ui.js";
import { AwsError } from "./aws.js";

const REFRESH_MS = 5000;

async function scrape() {
  const response = await fetch("/metrics", { cache: "no-store", credentials: "omit" });
  if (!response.ok) throw new AwsError(`HTTP ${response.status}`, "the metrics endpoint did not answer");
  return { at: Date.now(), samples: parseMetrics(await response.text()) };
}

// The first sample whose name matches one of the candidates (metric names of this kura).
function first(samples, ...names) {
  for (const name of names) {
    const found = find(samples, name);
    if (found.length) return found[0];
  }
  return null;
}

function uptime(samples) {
  const start = first(samples, "process_start_time_seconds", "kura_start_time_seconds");
  if (start) return Date.now() / 1000 - start.value;
  return first(samples, "kura_uptime_seconds", "process_uptime_seconds")?.value ?? null;
}

function formatDuration(seconds) {
  if (seconds === null || !Number.isFinite(seconds)) return "unknown";
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  return `${d ? d + " d " : ""}${hh} h ${mm} min ${s % 60} s`;
}

// The data dir's file system (size, available) and the metadata database, as kura reports them;
// any other *_bytes gauge about the store is listed as it is.
function diskFacts(samples) {
  const size = first(samples, "kura_data_dir_filesystem_size_bytes")?.value;
  const available = first(samples, "kura_data_dir_filesystem_available_bytes")?.value;
  const facts = [];
  if (size !== undefined && available !== undefined) {
    facts.push(["File system used", `${formatBytes(size - available)} of ${formatBytes(size)} ` +
      `(${((100 * (size - available)) / Math.max(size, 1)).toFixed(1)} %)`]);
    facts.push(["File system available", formatBytes(available)]);
  }
  const known = new Set(["kura_data_dir_filesystem_size_bytes", "kura_data_dir_filesystem_available_bytes"]);
  for (const s of samples) {
    if (known.has(s.name) || !/(data_dir|blob|metadata|store).*bytes$/.test(s.name)) continue;
    facts.push([s.name === "kura_metadata_bytes" ? "Metadata (meta.db + WAL)" : s.name, formatBytes(s.value)]);
  }
  return facts;
}

function authFailures(samples) {
  const byReason = new Map();
  for (const s of find(samples, "kura_auth_failures_total")) {
    byReason.set(s.labels.reason, (byReason.get(s.labels.reason) ?? 0) + s.value);
  }
  const parts = [...byReason].filter(([, n]) => n > 0).map(([reason, n]) => `${reason} ${n}`);
  return parts.length ? parts.join(", ") : "none";
}

function requestCounter(samples) {
  return ["kura_requests_total", "kura_http_requests_total"].find((n) => find(samples, n).length) ?? "kura_requests_total";
}

function summary(before, after) {
  const { samples } = after;
  const build = samples.find((s) => /build_info$/.test(s.name));
  const counter = requestCounter(samples);
  const seconds = before ? (after.at - before.at) / 1000 : 0;
  const moving = before ? rates(before.samples, samples, seconds, counter,
    (l) => [l.api, l.operation, l.status ?? l.status_class ?? l.code].filter(Boolean).join(" ")) : [];
  const disk = diskFacts(samples);
  return [
    h("dl", { class: "facts", id: "status-facts" },
      h("dt", {}, "Version"), h("dd", { id: "status-version" }, build?.labels.version ?? "unknown"),
      h("dt", {}, "Uptime"), h("dd", { id: "status-uptime" }, formatDuration(uptime(samples))),
      h("dt", {}, "Requests served"), h("dd", {}, String(sum(samples, counter))),
      h("dt", {}, "STS sessions issued"), h("dd", {}, String(sum(samples, "kura_sts_sessions_issued_total"))),
      h("dt", {}, "Refused requests (auth)"), h("dd", {}, authFailures(samples)),
      h("dt", {}, "Open connections"), h("dd", {}, String(first(samples, "kura_open_connections", "kura_connections_open")?.value ?? "unknown"))),
    h("section", { class: "card", "aria-label": "Data dir" }, h("h2", {}, "Data dir"),
      disk.length ? table("Data dir usage", [["What", (r) => r[0]], ["Size", (r) => r[1]]], disk)
        : h("p", { class: "empty" }, "kura reports no data dir sizes.")),
    h("section", { class: "card", "aria-label": "Request rates" }, h("h2", {}, "Request rates"),
      !before ? h("p", { class: "loading" }, "Measuring…")
        : table(`Requests per second over the last ${seconds.toFixed(0)} s`, [
          ["API, operation, status", (r) => r.key], ["Per second", (r) => r.perSecond.toFixed(2)], ["Total", (r) => String(r.total)]],
        moving, `No requests in the last ${seconds.toFixed(0)} s.`)),
  ];
}

export async function render(main) {
  const body = h("div");
  replace(main, h("h1", {}, "Status"), body);
  replace(body, h("p", { class: "loading", role: "status" }, "Loading metrics…"));
  let before = null;
  let first = true;
  const tick = async () => {
    if (!first && !body.isConnected) return;  // the user left the page: stop refreshing
    first = false;
    try {
      const after = await scrape();
      replace(body, summary(before, after));
      before = after;
    } catch (e) {
      replace(body, h("div", { id: "status-error" }, errorBox(e),
        h("p", {}, "The console listener answers /metrics once kura is built with its metrics.")));
    }
    setTimeout(tick, REFRESH_MS);
  };
  await tick();
}
