// The page's module (bundled by esbuild into public/app.js). It signs in to the backend, then talks
// to kura directly with the AWS SDK for JavaScript v3, using temporary credentials that the
// backend vends for this user only. No long-term key is ever in the browser.
import { S3Client, ListObjectsV2Command, GetObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

const $ = (id) => document.getElementById(id);

async function api(path, options = {}) {
  const res = await fetch(path, { credentials: "same-origin", ...options });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error ?? `${path}: HTTP ${res.status}`);
  return body;
}

// A credentials provider for the SDK: it keeps the vended credentials and fetches new ones from
// the backend when they near their expiration (in the last minute, or the second half of a shorter
// life), so that a long upload never signs a part with credentials that end before it arrives.
// Concurrent callers (lib-storage uploads several parts at once) share one fetch.
function vendedCredentials(onNew) {
  let current = null;
  let fetchedAt = 0;
  let pending = null;
  const fresh = () => {
    if (!current) return false;
    const lifetime = current.expiration.getTime() - fetchedAt;
    const margin = Math.min(60_000, lifetime / 2);
    return current.expiration.getTime() - Date.now() > margin;
  };
  return async () => {
    if (fresh()) return current;
    pending ??= api("/api/credentials", { method: "POST" })
      .then((c) => {
        fetchedAt = Date.now();
        current = { ...c, expiration: new Date(c.expiration) };
        onNew(current);
        return current;
      })
      .finally(() => { pending = null; });
    return pending;
  };
}

let session = null;  // { user, endpoint, region, bucket, prefix } from the backend
let s3 = null;
let fetches = 0;

function showCredentials(c) {
  fetches += 1;
  const el = $("credentials");
  el.textContent = `Temporary key ${c.accessKeyId}, valid until ${c.expiration.toLocaleTimeString()} ` +
    `(fetched ${fetches} time${fetches === 1 ? "" : "s"}).`;
  el.dataset.fetches = String(fetches);
  el.dataset.accessKeyId = c.accessKeyId;
}

async function start() {
  session = await api("/api/session");
  s3 = new S3Client({
    endpoint: session.endpoint,
    region: session.region,
    forcePathStyle: true,  // http://kura:port/bucket/key: works without per-bucket DNS names
    credentials: vendedCredentials(showCredentials),
  });
  $("who").textContent = session.user;
  $("prefix").textContent = session.prefix;
  $("login").hidden = true;
  $("app").hidden = false;
  await listFiles();
}

async function listFiles() {
  const list = $("files");
  $("list-status").textContent = "Listing…";
  const items = [];
  let token;
  do {
    const page = await s3.send(new ListObjectsV2Command({
      Bucket: session.bucket, Prefix: session.prefix, ContinuationToken: token,
    }));
    items.push(...(page.Contents ?? []));
    token = page.NextContinuationToken;
  } while (token);
  list.replaceChildren(...items.map((o) => {
    const li = document.createElement("li");
    li.dataset.key = o.Key;
    const name = document.createElement("span");
    name.textContent = o.Key.slice(session.prefix.length);
    const size = document.createElement("span");
    size.textContent = `${(o.Size / 1048576).toFixed(1)} MiB`;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Download";
    button.onclick = () => download(o.Key).catch((e) => { $("list-status").textContent = `Download failed: ${e.message}`; });
    li.append(name, size, button);
    return li;
  }));
  $("list-status").textContent = `${items.length} file${items.length === 1 ? "" : "s"}.`;
}

// Reads the object with the SDK and hands it to the browser as a file to save. (For very large
// files a presigned GET URL with response-content-disposition streams instead of buffering.)
async function download(key) {
  const object = await s3.send(new GetObjectCommand({ Bucket: session.bucket, Key: key }));
  const blob = new Blob([await object.Body.transformToByteArray()],
    { type: object.ContentType ?? "application/octet-stream" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = key.slice(key.lastIndexOf("/") + 1);
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

// Multipart upload with lib-storage: 8 MiB parts, 4 at a time, progress from every part; a
// failed upload is aborted, so no parts are left behind.
async function uploadFile() {
  const file = $("file").files[0];
  const status = $("upload-status");
  if (!file) return;
  const key = session.prefix + file.name;
  const progress = $("progress");
  progress.value = 0;
  status.className = "";
  status.textContent = `Uploading ${file.name}…`;
  $("upload").disabled = true;
  try {
    const upload = new Upload({
      client: s3,
      params: { Bucket: session.bucket, Key: key, Body: file, ContentType: file.type || "application/octet-stream" },
      partSize: 8 * 1024 * 1024,
      queueSize: 4,
    });
    upload.on("httpUploadProgress", ({ loaded, total }) => {
      if (total) progress.value = Math.floor((100 * loaded) / total);
    });
    await upload.done();
    progress.value = 100;
    status.textContent = `Uploaded ${key}.`;
    await listFiles();
  } catch (e) {
    status.className = "error";
    status.textContent = `Upload failed: ${e.name}: ${e.message}`;
  } finally {
    $("upload").disabled = false;
  }
}

$("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("login-error").textContent = "";
  try {
    await api("/api/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: $("user").value, password: $("password").value }),
    });
    $("password").value = "";
    await start();
  } catch (e) {
    $("login-error").textContent = e.message;
  }
});
$("logout").addEventListener("click", async () => {
  await api("/api/logout", { method: "POST" });
  location.reload();
});
$("upload").addEventListener("click", uploadFile);
$("refresh").addEventListener("click", () => listFiles().catch((e) => { $("list-status").textContent = e.message; }));

// Already signed in (the session cookie is there): go straight to the app.
start().catch(() => {});
