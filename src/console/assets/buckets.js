// Buckets and objects: list, create and delete buckets; browse a bucket by prefix; upload (one
// PUT, or multipart in 8 MiB parts for larger files) with a progress bar; download; delete;
// presigned GET links; the versions list when versioning is on.
import { children, text } from "./aws.js";
import { actionButton, errorBox, field, form, formatBytes, formatTime, h, replace, table, view } from "./ui.js";

export const PART_SIZE = 8 * 1024 * 1024;
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;  // SigV4 query signing's limit (X-Amz-Expires)

function bucketHref(bucket, prefix = "") {
  return `#/buckets/${encodeURIComponent(bucket)}${prefix ? "?prefix=" + encodeURIComponent(prefix) : ""}`;
}

export async function renderList(main, { client, navigate }) {
  const list = h("div");
  replace(main, h("h1", {}, "Buckets"), list,
    form("Create a bucket", [field("Bucket name", "bucket", { required: true, placeholder: "my-bucket" })],
      "Create bucket", async ({ bucket }) => {
        await client.s3("PUT", bucket, undefined);
        navigate(bucketHref(bucket));
        return `Created ${bucket}.`;
      }));
  const load = () => view(list, "buckets", async () => {
    const doc = await client.s3Xml("GET", "", undefined);
    const buckets = children(doc.documentElement.getElementsByTagNameNS("*", "Buckets")[0], "Bucket");
    return table("Buckets", [
      ["Name", (b) => h("a", { href: bucketHref(text(b, "Name")) }, text(b, "Name"))],
      ["Created", (b) => formatTime(text(b, "CreationDate"))],
      ["", (b) => actionButton("Delete", async () => { await client.s3("DELETE", text(b, "Name")); load(); },
        { confirmText: `Delete the bucket ${text(b, "Name")}? It must be empty.`, className: "danger" })],
    ], buckets, "No buckets yet.");
  });
  await load();
}

function breadcrumbs(bucket, prefix) {
  const parts = prefix.split("/").filter(Boolean);
  const crumbs = [h("a", { href: "#/buckets" }, "Buckets"), " / ", h("a", { href: bucketHref(bucket) }, bucket)];
  let acc = "";
  for (const p of parts) {
    acc += p + "/";
    crumbs.push(" / ", h("a", { href: bucketHref(bucket, acc) }, p));
  }
  return h("nav", { class: "crumbs", "aria-label": "Breadcrumbs" }, crumbs);
}

export async function renderBucket(main, ctx, bucket) {
  const prefix = ctx.params.get("prefix") ?? "";
  const listing = h("div");
  const versions = h("div");
  replace(main, h("h1", {}, bucket), breadcrumbs(bucket, prefix),
    uploadForm(ctx, bucket, prefix, () => loadListing()), presignPanel(), listing, versions);
  const loadListing = () => view(listing, "objects", () => objectTable(ctx, bucket, prefix, loadListing));
  await loadListing();
  await view(versions, "versioning", () => versionsPanel(ctx, bucket, prefix));
}

async function objectTable(ctx, bucket, prefix, reload) {
  const { client } = ctx;
  const folders = [];
  const objects = [];
  let token;
  for (let page = 0; page < 10; page++) {  // up to 10 000 entries per view
    const query = [["list-type", "2"], ["delimiter", "/"], ["prefix", prefix]];
    if (token) query.push(["continuation-token", token]);
    const doc = await client.s3Xml("GET", bucket, undefined, { query });
    const root = doc.documentElement;
    folders.push(...children(root, "CommonPrefixes").map((p) => text(p, "Prefix")));
    objects.push(...children(root, "Contents"));
    if (text(root, "IsTruncated") !== "true") break;
    token = text(root, "NextContinuationToken");
  }
  const rows = [...folders.map((p) => ({ folder: p })), ...objects.map((o) => ({ object: o }))];
  return table(`Objects in ${bucket}/${prefix}`, [
    ["Name", (r) => r.folder
      ? h("a", { href: bucketHref(bucket, r.folder), class: "folder" }, r.folder.slice(prefix.length))
      : h("span", { class: "key", dataset: { key: text(r.object, "Key") } }, text(r.object, "Key").slice(prefix.length))],
    ["Size", (r) => (r.folder ? "folder" : formatBytes(text(r.object, "Size")))],
    ["Modified", (r) => (r.folder ? "" : formatTime(text(r.object, "LastModified")))],
    ["Actions", (r) => (r.folder ? "" : objectActions(ctx, bucket, text(r.object, "Key"), reload))],
  ], rows, prefix ? "Nothing under this prefix." : "This bucket is empty.");
}

// Follows a short-lived presigned link as a download (same origin, so `download` holds): the
// browser streams the object to disk and the console stays where it is.
function saveAs(url, key) {
  const a = h("a", { href: url, download: key.split("/").pop(), hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
}

function objectActions(ctx, bucket, key, reload) {
  const { client } = ctx;
  return h("span", { class: "row-actions" },
    actionButton("Download", async () => saveAs(await client.presign(bucket, key, 300), key)),
    actionButton("Link", () => showPresign(client, bucket, key)),
    actionButton("Delete", async () => { await client.s3("DELETE", bucket, key); reload(); },
      { confirmText: `Delete ${key}?`, className: "danger" }));
}

// The presigned-link panel: pick an expiry, get a link anyone can GET until then.
let presignTarget = null;
function presignPanel() {
  const out = h("div", { class: "presign-out" });
  const panel = h("section", { class: "card", id: "presign", hidden: true, "data-dismissable": true,
    "aria-labelledby": "presign-title" },
    h("h2", { id: "presign-title" }, "Share a link"), h("p", { id: "presign-key" }),
    form("", [field("Link valid for", "expires", { kind: "select", value: "3600", options: [
      ["900", "15 minutes"], ["3600", "1 hour"], ["86400", "1 day"], [String(MAX_PRESIGN_SECONDS), "7 days"]],
    help: "Links signed with the session's temporary credentials stop working when the session ends, too." })],
    "Create link", async ({ expires }) => {
      const seconds = Math.min(Number(expires), MAX_PRESIGN_SECONDS);
      const url = await presignTarget.client.presign(presignTarget.bucket, presignTarget.key, seconds);
      const box = h("input", { class: "code", readonly: true, "aria-label": "Presigned link", id: "presigned-url" });
      box.value = url;
      replace(out, box, h("p", {}, `Valid until ${new Date(Date.now() + seconds * 1000).toISOString()}.`));
      box.select();
      return "Link created.";
    }), out);
  return panel;
}

function showPresign(client, bucket, key) {
  presignTarget = { client, bucket, key };
  const panel = document.getElementById("presign");
  panel.querySelector("#presign-key").textContent = `${bucket}/${key}`;
  replace(panel.querySelector(".presign-out"));
  panel.hidden = false;
  panel.querySelector("select").focus();
}

function uploadForm(ctx, bucket, prefix, done) {
  const progress = h("progress", { id: "upload-progress", max: 100, value: 0, "aria-label": "Upload progress" });
  const status = h("div", { id: "upload-status", role: "status", "aria-live": "polite" });
  const input = h("input", { type: "file", id: "upload-file", name: "file", required: true });
  const button = h("button", { type: "submit", id: "upload-button" }, "Upload");
  const node = h("form", { class: "card", "aria-label": "Upload" }, h("h2", {}, "Upload"),
    h("div", { class: "field" }, h("label", { for: "upload-file" }, `File (uploaded to ${bucket}/${prefix})`), input),
    h("div", { class: "actions" }, button), progress, status);
  node.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = input.files[0];
    if (!file) return;
    const key = prefix + file.name;
    button.disabled = true;
    progress.value = 0;
    status.textContent = `Uploading ${key}…`;
    try {
      await upload(ctx.client, bucket, key, file, (sent) => {
        progress.value = file.size ? Math.floor((sent / file.size) * 100) : 100;
      });
      progress.value = 100;
      status.textContent = `Uploaded ${key}.`;
      done();
    } catch (e) {
      status.textContent = "";
      replace(status, "Upload failed: ", errorBox(e));
    } finally {
      button.disabled = false;
    }
  });
  return node;
}

// One PUT for small files; multipart (CreateMultipartUpload, UploadPart × n, Complete) past one
// part, aborted if a part fails so no upload is left behind.
export async function upload(client, bucket, key, file, onProgress) {
  if (file.size <= PART_SIZE) return client.putWithProgress(bucket, key, [], file, onProgress);
  const created = await client.s3Xml("POST", bucket, key, { query: [["uploads", ""]] });
  const uploadId = text(created, "UploadId");
  const etags = [];
  try {
    for (let offset = 0, n = 1; offset < file.size; offset += PART_SIZE, n++) {
      const part = file.slice(offset, offset + PART_SIZE);
      etags.push(await client.putWithProgress(bucket, key,
        [["partNumber", String(n)], ["uploadId", uploadId]], part, (sent) => onProgress(offset + sent)));
    }
    const body = `<CompleteMultipartUpload>${etags.map((etag, i) =>
      `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`).join("")}</CompleteMultipartUpload>`;
    await client.s3("POST", bucket, key, { query: [["uploadId", uploadId]], body });
  } catch (e) {
    await client.s3("DELETE", bucket, key, { query: [["uploadId", uploadId]] }).catch(() => {});
    throw e;
  }
}

async function versionsPanel(ctx, bucket, prefix) {
  const { client } = ctx;
  const doc = await client.s3Xml("GET", bucket, undefined, { query: [["versioning", ""]] });
  const state = text(doc, "Status");
  if (!state) return h("p", { class: "hint" }, "Versioning is off for this bucket.");
  const out = h("div");
  const show = h("button", { type: "button", class: "secondary", onclick: () => view(out, "versions", async () => {
    const list = await client.s3Xml("GET", bucket, undefined, { query: [["versions", ""], ["prefix", prefix]] });
    const root = list.documentElement;
    const rows = [...root.children].filter((c) => c.localName === "Version" || c.localName === "DeleteMarker");
    return table(`Versions under ${bucket}/${prefix}`, [
      ["Key", (v) => text(v, "Key")],
      ["Version ID", (v) => h("code", {}, text(v, "VersionId"))],
      ["Latest", (v) => (text(v, "IsLatest") === "true" ? "yes" : "")],
      ["Kind", (v) => (v.localName === "DeleteMarker" ? "delete marker" : formatBytes(text(v, "Size")))],
      ["Modified", (v) => formatTime(text(v, "LastModified"))],
      ["", (v) => (v.localName === "DeleteMarker" ? "" : actionButton("Download", async () => {
        saveAs(await client.presign(bucket, text(v, "Key"), 300, [["versionId", text(v, "VersionId")]]), text(v, "Key"));
      }))],
    ], rows, "No versions.");
  }) }, "Show versions");
  return h("section", { class: "card" }, h("h2", {}, "Versions"),
    h("p", {}, `Versioning is ${state.toLowerCase()}.`), show, out);
}

