// The Status page's Prometheus text parser and rate arithmetic (src/console/assets/metrics.js).
import assert from "node:assert/strict";
import test from "node:test";
import { loadModule } from "./load_module.mjs";

const metrics = await loadModule("metrics.js");

const BODY = `# HELP kura_requests_total Requests by API, operation and status class.
# TYPE kura_requests_total counter
kura_requests_total{api="s3",operation="PutObject",status="2xx"} 10
kura_requests_total{api="s3",operation="GetObject",status="2xx"} 4
kura_requests_total{api="iam",operation="ListUsers",status="4xx"} 1
kura_build_info{version="1.2.3 \\"dev\\"",commit="abc"} 1
process_start_time_seconds 1764730000.5
kura_latency_seconds_bucket{operation="PutObject",le="+Inf"} 10
not a sample line
`;

test("parses names, labels (with escapes) and values", () => {
  const samples = metrics.parseMetrics(BODY);
  assert.equal(samples.length, 6);
  assert.deepEqual(samples[0], { name: "kura_requests_total",
    labels: { api: "s3", operation: "PutObject", status: "2xx" }, value: 10 });
  assert.equal(metrics.find(samples, "kura_build_info")[0].labels.version, '1.2.3 "dev"');
  assert.equal(metrics.find(samples, "process_start_time_seconds")[0].value, 1764730000.5);
  assert.deepEqual(metrics.find(samples, "kura_latency_seconds_bucket", { le: "+Inf" }).map((s) => s.value), [10]);
  assert.equal(metrics.sum(samples, "kura_requests_total", { api: "s3" }), 14);
});

test("rates are the counters' movement over the interval, busiest first", () => {
  const before = metrics.parseMetrics(BODY);
  const after = metrics.parseMetrics(BODY.replace("} 10\n", "} 30\n").replace('"ListUsers",status="4xx"} 1', '"ListUsers",status="4xx"} 2'));
  const key = (l) => `${l.api} ${l.operation} ${l.status}`;
  assert.deepEqual(metrics.rates(before, after, 10, "kura_requests_total", key), [
    { key: "s3 PutObject 2xx", perSecond: 2, total: 30 },
    { key: "iam ListUsers 4xx", perSecond: 0.1, total: 2 },
  ]);
  assert.deepEqual(metrics.rates(before, before, 10, "kura_requests_total", key), []);
});
