// AWS Signature Version 4 in the browser, with WebCrypto (crypto.subtle HMAC/SHA-256): header
// signing for the console's S3, IAM and STS calls and query signing for presigned links.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
// Pure functions of their inputs (the time is passed in), tested against AWS's SigV4 suite by
// tests/console/sigv4_test.mjs. No imports, so Node loads this file as it is.
//
// A request here is { method, path, query, headers, payloadHash }:
//  - path is the path as sent on the wire (already percent-encoded by the caller for S3);
//  - query is a list of [name, value] pairs, not encoded;
//  - headers is an object or list of [name, value] pairs.

const encoder = new TextEncoder();

function bytes(data) {
  if (typeof data === "string") return encoder.encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

export function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function sha256Hex(data) {
  return hex(await crypto.subtle.digest("SHA-256", bytes(data ?? "")));
}

async function hmac(key, message) {
  const k = await crypto.subtle.importKey("raw", bytes(key), { name: "HMAC", hash: "SHA-256" },
    false, ["sign"]);
  return crypto.subtle.sign("HMAC", k, bytes(message));
}

export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

// RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - . _ ~ is %XX (upper case),
// '/' too unless keepSlash.
export function uriEncode(text, keepSlash = false) {
  let out = "";
  for (const b of encoder.encode(text)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === "/")) out += c;
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

// "20150830T123600Z" for a Date.
export function amzDate(date) {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

// RFC 3986 remove_dot_segments plus collapsing of empty segments (what AWS does for non-S3
// services); S3 paths are signed exactly as sent.
function normalizePath(path) {
  const out = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") out.pop();
    else out.push(segment);
  }
  const trailing = path.endsWith("/") && out.length > 0 ? "/" : "";
  return "/" + out.join("/") + trailing;
}

// Non-S3 services encode each segment of the wire path again ("double encoding"); S3 signs the
// wire path as it is.
export function canonicalUri(path, { normalize = true, doubleEncode = true } = {}) {
  const p = normalize ? normalizePath(path) : path;
  return doubleEncode ? p.split("/").map((s) => uriEncode(s)).join("/") : p;
}

export function canonicalQuery(query) {
  return query.map(([k, v]) => [uriEncode(k), uriEncode(v ?? "")])
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join("&");
}

// Lower-case names, values trimmed with inner runs of spaces collapsed, duplicates joined by ','.
function canonicalHeaderMap(headers) {
  const map = new Map();
  for (const [name, value] of Array.isArray(headers) ? headers : Object.entries(headers)) {
    const n = name.toLowerCase();
    const v = String(value).trim().replace(/\s+/g, " ");
    map.set(n, map.has(n) ? `${map.get(n)},${v}` : v);
  }
  return map;
}

export function canonicalRequest(request, options) {
  const map = canonicalHeaderMap(request.headers);
  const names = [...map.keys()].sort();
  return [
    request.method,
    canonicalUri(request.path, options),
    canonicalQuery(request.query ?? []),
    names.map((n) => `${n}:${map.get(n)}\n`).join(""),
    names.join(";"),
    request.payloadHash,
  ].join("\n");
}

export function credentialScope(date, region, service) {
  return `${amzDate(date).slice(0, 8)}/${region}/${service}/aws4_request`;
}

export async function stringToSign(date, scope, creq) {
  return ["AWS4-HMAC-SHA256", amzDate(date), scope, await sha256Hex(creq)].join("\n");
}

export async function signature(secret, date, region, service, sts) {
  let key = await hmac("AWS4" + secret, amzDate(date).slice(0, 8));
  for (const part of [region, service, "aws4_request"]) key = await hmac(key, part);
  return hex(await hmac(key, sts));
}

// Header signing. Returns the [name, value] pairs to send: the request's plus x-amz-date,
// x-amz-security-token (temporary credentials), x-amz-content-sha256 (S3) and Authorization.
// `host` must be among the request's headers; browsers set it themselves (fetch() ignores it).
export async function signHeaders(request, { credentials, region, service, date, options }) {
  const headers = [...(Array.isArray(request.headers) ? request.headers : Object.entries(request.headers))];
  headers.push(["x-amz-date", amzDate(date)]);
  if (credentials.sessionToken) headers.push(["x-amz-security-token", credentials.sessionToken]);
  if (service === "s3") headers.push(["x-amz-content-sha256", request.payloadHash]);
  const creq = canonicalRequest({ ...request, headers }, options);
  const scope = credentialScope(date, region, service);
  const sig = await signature(credentials.secretAccessKey, date, region, service,
    await stringToSign(date, scope, creq));
  const signedHeaders = [...canonicalHeaderMap(headers).keys()].sort().join(";");
  headers.push(["Authorization", `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${sig}`]);
  return headers;
}

// Query signing (presigned URL): returns the query pairs to send, X-Amz-Signature last.
// Only the request's headers (normally just host) are signed.
export async function presignQuery(request, { credentials, region, service, date, expires, options }) {
  const scope = credentialScope(date, region, service);
  const names = [...canonicalHeaderMap(request.headers).keys()].sort().join(";");
  const query = [...(request.query ?? []),
    ["X-Amz-Algorithm", "AWS4-HMAC-SHA256"],
    ["X-Amz-Credential", `${credentials.accessKeyId}/${scope}`],
    ["X-Amz-Date", amzDate(date)],
    ["X-Amz-Expires", String(expires)],
    ["X-Amz-SignedHeaders", names]];
  if (credentials.sessionToken) query.push(["X-Amz-Security-Token", credentials.sessionToken]);
  const creq = canonicalRequest({ ...request, query }, options);
  const sig = await signature(credentials.secretAccessKey, date, region, service,
    await stringToSign(date, scope, creq));
  return [...query, ["X-Amz-Signature", sig]];
}
