// The upload portal (examples/upload-portal) in headless Chromium, driven as a person would: each
// user signs in, uploads a file with the page (progress bar; both users at once), sees the list,
// downloads. Then the
// first user waits past the expiration of the credentials the page holds and uploads again.
// It asserts nothing itself: it prints one JSON report that tests/e2e/test_upload_portal.py checks.
// Usage: node upload_portal.mjs '{"portal": URL, "users": [{"user", "password", "file"}],
//                                 "afterExpiry": {"user", "file"}}'
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { launchChromium, watchPage } from "./chromium.mjs";

const input = JSON.parse(process.argv[2]);
const log = [];
const report = { users: {}, log };
const browser = await launchChromium();
const pages = {};

async function signIn(user, password) {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  watchPage(page, user, log);
  const credentials = [];  // every credentials answer the page got from the backend
  page.on("response", async (r) => {
    if (r.url().endsWith("/api/credentials") && r.ok()) credentials.push({ ...(await r.json()), receivedAt: Date.now() });
  });
  await page.goto(input.portal);
  await page.fill("#user", user);
  await page.fill("#password", password);
  await page.click("#login button");
  await page.waitForSelector("#app:not([hidden])", { timeout: 15000 });
  // Every value the progress bar shows (the value attribute reflects the property).
  await page.evaluate(() => {
    window.progressSeen = [];
    const bar = document.getElementById("progress");
    new MutationObserver(() => window.progressSeen.push(bar.value)).observe(bar, { attributes: true });
  });
  pages[user] = { page, credentials };
  return pages[user];
}

// Uploads through the page; returns what the page showed.
async function upload(user, file) {
  const { page } = pages[user];
  await page.evaluate(() => { window.progressSeen = []; });
  await page.setInputFiles("#file", file);
  const started = Date.now();
  await page.click("#upload");
  await page.waitForFunction(() => /^(Uploaded|Upload failed)/.test(document.getElementById("upload-status").textContent),
    null, { timeout: 90000 });
  const seconds = (Date.now() - started) / 1000;
  return {
    status: await page.textContent("#upload-status"),
    progressSeen: await page.evaluate(() => window.progressSeen),
    progress: await page.evaluate(() => document.getElementById("progress").value),
    seconds,
  };
}

async function listed(user) {
  const { page } = pages[user];
  await page.click("#refresh");
  await page.waitForFunction(() => /file/.test(document.getElementById("list-status").textContent), null, { timeout: 15000 });
  return page.$$eval("#files li", (items) => items.map((li) => li.dataset.key));
}

async function download(user, key) {
  const { page } = pages[user];
  const [dl] = await Promise.all([
    page.waitForEvent("download", { timeout: 30000 }),
    page.click(`#files li[data-key="${key}"] button`),
  ]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), sha256: createHash("sha256").update(readFileSync(path)).digest("hex") };
}

try {
  for (const { user, password } of input.users) await signIn(user, password);
  // The users upload at the same time, each in their own page.
  const uploads = await Promise.all(input.users.map(({ user, file }) => upload(user, file)));
  input.users.forEach(({ user }, i) => { report.users[user] = { upload: uploads[i] }; });
  for (const { user, file } of input.users) {
    const keys = await listed(user);
    const own = keys.find((k) => k.endsWith("/" + file.split("/").pop()));
    Object.assign(report.users[user], { keys, download: own ? await download(user, own) : null });
  }

  // Expiry: wait until the credentials the page holds have expired, then upload again.
  const { user, file } = input.afterExpiry;
  const { page, credentials } = pages[user];
  const held = credentials[credentials.length - 1];
  const wait = new Date(held.expiration).getTime() + 1500 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const fetchesBefore = credentials.length;
  const again = await upload(user, file);
  report.afterExpiry = {
    user, expired: held, fetchesBefore, fetchesAfter: credentials.length, upload: again,
    keys: await listed(user),
    shown: await page.evaluate(() => ({ ...document.getElementById("credentials").dataset })),
  };
  for (const [name, p] of Object.entries(pages)) report.users[name].credentials = p.credentials;
} catch (e) {
  report.error = e.stack;
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
