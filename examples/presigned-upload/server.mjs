// The presigned example's backend: node's http module and the S3 client's presigners. The page
// runs no SDK: it asks this backend for a URL, then sends the file to kura itself.
// - POST /api/presign-post {filename} -> {url, fields, key, maxBytes}: a presigned POST whose
//   policy admits at most config.maxBytes (content-length-range); kura refuses more with
//   EntityTooLarge, so the limit holds whatever the browser does;
// - POST /api/presign-put {filename} -> {url, key}: a presigned PUT URL (SigV4, query auth);
// - POST /api/presign-get {key} -> {url}: a presigned GET URL for an object under uploads/.
// Add your own sign-in in front of these in a real application: whoever may call them may
// upload. Usage: node server.mjs [--config config.json]   (listens on config.origin)
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { S3Client, PutObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";

const { values: opt } = parseArgs({ options: { config: { type: "string", default: "config.json" } } });
const config = JSON.parse(readFileSync(opt.config, "utf8"));
const s3 = new S3Client({
  endpoint: config.endpoint,
  region: config.region,
  forcePathStyle: true,
  credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
  // Without this the SDK would put a CRC32 of an empty body into presigned PUT URLs (it cannot
  // know the body a browser will send), and every upload through them would fail its checksum.
  requestChecksumCalculation: "WHEN_REQUIRED",
});

// A fresh key per upload: uploads/<uuid>/<file name, with anything unusual replaced>.
function newKey(filename) {
  const name = String(filename ?? "file").replace(/[^\w.-]/g, "_").slice(0, 100) || "file";
  return `uploads/${randomUUID()}/${name}`;
}

async function presign(path, body) {
  const expiresIn = config.urlSeconds ?? 300;
  if (path === "/api/presign-post") {
    const key = newKey(body.filename);
    const { url, fields } = await createPresignedPost(s3, {
      Bucket: config.bucket,
      Key: key,
      Conditions: [["content-length-range", 0, config.maxBytes]],
      Expires: expiresIn,
    });
    return { url, fields, key, maxBytes: config.maxBytes };
  }
  if (path === "/api/presign-put") {
    const key = newKey(body.filename);
    return { url: await getSignedUrl(s3, new PutObjectCommand({ Bucket: config.bucket, Key: key }), { expiresIn }), key };
  }
  if (path === "/api/presign-get") {
    if (typeof body.key !== "string" || !body.key.startsWith("uploads/")) return null;
    return { url: await getSignedUrl(s3, new GetObjectCommand({ Bucket: config.bucket, Key: body.key }), { expiresIn }) };
  }
  return null;
}

function send(res, status, body, type = "application/json") {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
  res.end(type === "application/json" ? JSON.stringify(body) : body);
}

async function handle(req, res) {
  const path = new URL(req.url, "http://backend").pathname;
  if (req.method === "GET" && path === "/") {
    return send(res, 200, readFileSync(new URL("public/index.html", import.meta.url)), "text/html; charset=utf-8");
  }
  if (req.method !== "POST" || !path.startsWith("/api/")) return send(res, 404, { error: "not found" });
  if (req.headers.origin && req.headers.origin !== config.origin) return send(res, 403, { error: "bad origin" });
  let text = "";
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 4096) return send(res, 413, { error: "body too large" });
  }
  const answer = await presign(path, JSON.parse(text || "{}"));
  return answer ? send(res, 200, answer) : send(res, 404, { error: "not found" });
}

const server = createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error(`${req.method} ${req.url}: ${err.name}: ${err.message}`);
    if (!res.headersSent) send(res, 500, { error: "internal error" });
  });
});
const { hostname, port } = new URL(config.origin);
server.listen(Number(port || 80), hostname.replace(/^\[|\]$/g, ""), () => {
  console.log(`presigned-upload backend on ${config.origin} (kura at ${config.endpoint}, bucket ${config.bucket})`);
});
