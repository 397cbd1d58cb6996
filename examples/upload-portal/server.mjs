// The portal's backend: node's http module and the STS client, nothing else.
// - serves the page (public/index.html) and its bundle (public/app.js, built by `npm run build`);
// - POST /api/login checks a user's password (users.json) and sets an HttpOnly session cookie;
// - GET /api/session tells the page who is signed in and where to upload;
// - POST /api/credentials calls AssumeRole for the signed-in user with a session policy that
//   limits the temporary credentials to uploads/<user>/ and returns them.
// The backend's own access key (config.json) never leaves this process: it can do nothing but
// assume the role, and the page gets only the short-lived, narrowed session credentials.
// Usage: node server.mjs [--config config.json] [--users users.json]   (listens on config.origin)
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";
import { loadUsers, verifyPassword } from "./users.mjs";

const { values: opt } = parseArgs({
  options: { config: { type: "string", default: "config.json" }, users: { type: "string", default: "users.json" } },
});
const config = JSON.parse(readFileSync(opt.config, "utf8"));
const users = loadUsers(opt.users);
const sts = new STSClient({
  endpoint: config.endpoint,
  region: config.region,
  credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
});

// Signed-in users: session id (the cookie) -> { user, expires }. In memory: a restart signs
// everyone out, which is fine for an example.
const SESSION_MS = 8 * 3600 * 1000;
const sessions = new Map();

function currentUser(req) {
  const match = /(?:^|;\s*)portal_session=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? "");
  const session = match && sessions.get(match[1]);
  if (!session) return null;
  if (session.expires < Date.now()) {
    sessions.delete(match[1]);
    return null;
  }
  return session.user;
}

// What a user's temporary credentials may do: read and write their own prefix, and list it.
// AWS intersects this with the role's policy; a session policy can only narrow.
function sessionPolicy(user) {
  const prefix = `uploads/${user}/`;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OwnObjects",
        Effect: "Allow",
        // PutObject covers CreateMultipartUpload, UploadPart and CompleteMultipartUpload.
        Action: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        Resource: `arn:aws:s3:::${config.bucket}/${prefix}*`,
      },
      {
        Sid: "ListOwnPrefix",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: `arn:aws:s3:::${config.bucket}`,
        Condition: { StringLike: { "s3:prefix": `${prefix}*` } },
      },
    ],
  });
}

async function vendCredentials(user) {
  const { Credentials: c } = await sts.send(new AssumeRoleCommand({
    RoleArn: config.roleArn,
    RoleSessionName: user,  // shows in kura's audit log as assumed-role/<role>/<user>
    Policy: sessionPolicy(user),
    DurationSeconds: config.credentialSeconds ?? 900,
  }));
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration.toISOString(),
  };
}

function send(res, status, body, headers = {}) {
  const json = typeof body !== "string" && !Buffer.isBuffer(body);
  res.writeHead(status, {
    "Content-Type": json ? "application/json" : "text/plain",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...headers,
  });
  res.end(json ? JSON.stringify(body) : body);
}

async function readJson(req, limit = 4096) {
  let text = "";
  for await (const chunk of req) {
    text += chunk;
    if (text.length > limit) throw new Error("body too large");
  }
  return JSON.parse(text);
}

const STATIC = {
  "/": ["public/index.html", "text/html; charset=utf-8"],
  "/app.js": ["public/app.js", "text/javascript; charset=utf-8"],
  "/app.js.map": ["public/app.js.map", "application/json"],
};

async function handle(req, res) {
  const path = new URL(req.url, "http://portal").pathname;
  if (req.method === "GET" && STATIC[path]) {
    const [file, type] = STATIC[path];
    return send(res, 200, readFileSync(new URL(file, import.meta.url)), { "Content-Type": type });
  }
  // A cross-site page cannot make a signed-in user's browser call the API: the cookie is
  // SameSite=Strict, and requests from another origin are refused.
  if (req.headers.origin && req.headers.origin !== config.origin) return send(res, 403, { error: "bad origin" });

  if (req.method === "POST" && path === "/api/login") {
    const { user, password } = await readJson(req);
    // An unknown user is checked against a dummy hash: as slow as a wrong password.
    const stored = typeof user === "string" && Object.hasOwn(users, user) ? users[user] : undefined;
    if (!(await verifyPassword(String(password ?? ""), stored))) {
      return send(res, 401, { error: "wrong user name or password" });
    }
    const id = randomBytes(32).toString("base64url");
    sessions.set(id, { user, expires: Date.now() + SESSION_MS });
    return send(res, 200, { user }, {
      "Set-Cookie": `portal_session=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_MS / 1000}`,
    });
  }
  const user = currentUser(req);
  if (req.method === "POST" && path === "/api/logout") {
    const match = /portal_session=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? "");
    if (match) sessions.delete(match[1]);
    return send(res, 200, {}, { "Set-Cookie": "portal_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0" });
  }
  if (path.startsWith("/api/") && !user) return send(res, 401, { error: "not signed in" });
  if (req.method === "GET" && path === "/api/session") {
    return send(res, 200, {
      user, endpoint: config.endpoint, region: config.region, bucket: config.bucket, prefix: `uploads/${user}/`,
    });
  }
  if (req.method === "POST" && path === "/api/credentials") {
    return send(res, 200, await vendCredentials(user));
  }
  return send(res, 404, { error: "not found" });
}

const server = createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error(`${req.method} ${req.url}: ${err.name}: ${err.message}`);
    if (!res.headersSent) send(res, 500, { error: "internal error" });
  });
});
const { hostname, port } = new URL(config.origin);
server.listen(Number(port || 80), hostname.replace(/^\[|\]$/g, ""), () => {
  console.log(`upload portal on ${config.origin} (kura at ${config.endpoint}, bucket ${config.bucket})`);
});
