// The console's client of kura's own APIs: every call is SigV4-signed with the signed-in session's
// credentials and sent to the page's own origin (the console listener passes every request that is
// not an asset to kura's S3/IAM/STS pipeline). S3 is REST, path-style; IAM and STS are the Query
// protocol (POST / with a form). Errors become AwsError with AWS's code and message.
import { EMPTY_SHA256, presignQuery, sha256Hex, signHeaders, uriEncode } from "./sigv4.js";

const VERSIONS = { iam: "2010-05-08", sts: "2011-06-15" };

export class AwsError extends Error {
  constructor(code, message, status, requestId) {
    super(message || code);
    this.code = code;
    this.status = status;
    this.requestId = requestId;
  }
}

// The first element named `name` below node, by local name (responses carry a namespace).
export function child(node, name) {
  return node?.getElementsByTagNameNS("*", name)[0] ?? null;
}

export function text(node, name) {
  return child(node, name)?.textContent ?? "";
}

// Direct children named `name` (lists: <member>, <Contents>, <Bucket>…).
export function children(node, name) {
  return node ? [...node.children].filter((c) => c.localName === name) : [];
}

export function members(node, listName) {
  return children(child(node, listName), "member");
}

function parseXml(body) {
  return new DOMParser().parseFromString(body, "application/xml");
}

async function errorFrom(response) {
  const body = await response.text();
  if (body.trim().startsWith("<")) {
    const doc = parseXml(body);
    const code = text(doc, "Code");
    if (code) return new AwsError(code, text(doc, "Message"), response.status, text(doc, "RequestId"));
  }
  return new AwsError(`HTTP ${response.status}`, response.statusText || body.slice(0, 200), response.status);
}

export function s3Path(bucket, key) {
  if (!bucket) return "/";
  return "/" + uriEncode(bucket) + (key !== undefined ? "/" + uriEncode(key, true) : "");
}

function queryString(query) {
  return query.map(([k, v]) => (v === undefined ? uriEncode(k) : `${uriEncode(k)}=${uriEncode(v)}`)).join("&");
}

// Browsers set Host themselves and refuse scripts that try; it is signed, never sent.
function sendable(headers) {
  return headers.filter(([name]) => name.toLowerCase() !== "host");
}

export class Client {
  // credentials: {accessKeyId, secretAccessKey, sessionToken}; onExpired(error) is told when kura
  // says the session token has expired.
  constructor(credentials, region, onExpired = () => {}) {
    this.credentials = credentials;
    this.region = region;
    this.onExpired = onExpired;
  }

  async sign(method, path, query, headers, payloadHash, service) {
    return signHeaders({ method, path, query, headers: [["host", location.host], ...headers], payloadHash },
      { credentials: this.credentials, region: service === "s3" ? this.region : "us-east-1", service,
        date: new Date(), options: { normalize: service !== "s3", doubleEncode: service !== "s3" } });
  }

  async fail(response) {
    const error = await errorFrom(response);
    if (error.code === "ExpiredToken") {
      error.sessionEnded = true;
      this.onExpired(error);
    }
    throw error;
  }

  // One S3 request; resolves to the Response when it succeeded. body: string, ArrayBuffer or Blob.
  async s3(method, bucket, key, { query = [], headers = [], body } = {}) {
    let payloadHash = EMPTY_SHA256;
    if (body !== undefined) {
      payloadHash = await sha256Hex(body instanceof Blob ? await body.arrayBuffer() : body);
    }
    const path = s3Path(bucket, key);
    const signed = await this.sign(method, path, query, headers, payloadHash, "s3");
    const qs = queryString(query);
    const response = await fetch(path + (qs ? "?" + qs : ""), { method, headers: sendable(signed), body,
      cache: "no-store", credentials: "omit" });
    if (!response.ok) await this.fail(response);
    return response;
  }

  async s3Xml(method, bucket, key, options) {
    const response = await this.s3(method, bucket, key, options);
    return parseXml(await response.text());
  }

  // An IAM or STS Query API call; resolves to the response document.
  async call(service, action, params = {}) {
    const form = [["Action", action], ["Version", VERSIONS[service]],
      ...Object.entries(params).filter(([, v]) => v !== undefined && v !== "")];
    const body = queryString(form.map(([k, v]) => [k, String(v)]));
    const headers = [["content-type", "application/x-www-form-urlencoded; charset=utf-8"]];
    const signed = await this.sign("POST", "/", [], headers, await sha256Hex(body), service);
    const response = await fetch("/", { method: "POST", headers: sendable(signed), body,
      cache: "no-store", credentials: "omit" });
    if (!response.ok) await this.fail(response);
    return parseXml(await response.text());
  }

  iam(action, params) { return this.call("iam", action, params); }

  // IAM list calls page with Marker/IsTruncated; this follows them (up to `limit` pages).
  async iamAll(action, params, listName, limit = 20) {
    const all = [];
    let marker;
    for (let page = 0; page < limit; page++) {
      const doc = await this.iam(action, { ...params, Marker: marker });
      all.push(...members(doc, listName));
      if (text(doc, "IsTruncated") !== "true") break;
      marker = text(doc, "Marker");
    }
    return all;
  }

  // A presigned GET URL valid for `expires` seconds (SigV4 query signing, at most 7 days).
  async presign(bucket, key, expires, query = []) {
    const path = s3Path(bucket, key);
    const signedQuery = await presignQuery(
      { method: "GET", path, query, headers: [["host", location.host]], payloadHash: "UNSIGNED-PAYLOAD" },
      { credentials: this.credentials, region: this.region, service: "s3", date: new Date(), expires,
        options: { normalize: false, doubleEncode: false } });
    return `${location.origin}${path}?${queryString(signedQuery)}`;
  }

  // A PUT of a Blob through XMLHttpRequest, for its upload progress events (fetch has none).
  // onProgress(bytesSent). Resolves to the ETag.
  async putWithProgress(bucket, key, query, blob, onProgress) {
    const payloadHash = await sha256Hex(await blob.arrayBuffer());
    const path = s3Path(bucket, key);
    const signed = await this.sign("PUT", path, query, [], payloadHash, "s3");
    const qs = queryString(query);
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", path + (qs ? "?" + qs : ""));
    for (const [name, value] of sendable(signed)) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener("progress", (e) => onProgress(e.loaded));
    const status = await new Promise((resolve, reject) => {
      xhr.addEventListener("load", () => resolve(xhr.status));
      xhr.addEventListener("error", () => reject(new AwsError("NetworkError", "the upload failed", 0)));
      xhr.addEventListener("abort", () => reject(new AwsError("Aborted", "the upload was cancelled", 0)));
      xhr.send(blob);
    });
    if (status < 200 || status >= 300) {
      await this.fail(new Response(xhr.responseText, { status, statusText: xhr.statusText }));
    }
    onProgress(blob.size);
    return xhr.getResponseHeader("ETag");
  }
}
