// kura's web console in headless Chromium, driven as a person would, by role and label (so the
// page's accessibility is exercised too). One step per run, each with its own browser and its own
// sign-in; tests/e2e/test_console.py runs the steps in turn and does the script's side (boto3)
// in between. It asserts nothing itself: it prints one JSON report that the test checks.
// Usage: node console.mjs '{"step": "admin"|"revoke", "console": URL, "key", "secret", ...}'
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launchChromium, watchPage } from "./chromium.mjs";

const input = JSON.parse(process.argv[2]);
const log = [];
const report = { step: input.step, log };
const browser = await launchChromium();
const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
watchPage(page, "console", log);
page.on("dialog", (d) => d.accept());  // the console confirms deletions and revocations

async function screenshot(name) {
  if (input.screenshots) await page.screenshot({ path: join(input.screenshots, `${name}.png`) });
}

async function heading(text) {
  await page.getByRole("heading", { level: 1, name: text }).waitFor({ timeout: 15000 });
}

// Waits until no "Loading…" state is left on the page.
async function settled() {
  await page.waitForFunction(() => !document.querySelector("#main .loading"), null, { timeout: 20000 });
}

async function signIn() {
  await page.goto(input.console);
  await page.getByLabel("Access key ID").fill(input.key);
  await page.getByLabel("Secret access key").fill(input.secret);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#app:not([hidden])").waitFor({ timeout: 15000 });
  await heading("Buckets");
  await settled();
  report.principal = await page.textContent("#principal");
}

// What the browser keeps after sign-in: both storages and the page's source.
async function stored() {
  return page.evaluate(() => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    source: document.documentElement.outerHTML,
    inputs: [...document.querySelectorAll("input, textarea")].map((e) => e.value).join("\n"),
  }));
}

async function go(hash, title) {
  await page.goto(input.console + hash);
  await heading(title);
  await settled();
}

// Fills a generated form (found by its aria-label) field by field and submits it; resolves to the
// form's status text once the request has finished.
async function submit(formName, fields, button) {
  const form = page.getByRole("form", { name: formName });
  for (const [label, value] of Object.entries(fields)) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole("button", { name: button }).click();
  await page.waitForFunction((name) => {
    const f = document.querySelector(`form[aria-label="${name}"]`);
    return !f || (!f.querySelector("button[type=submit]").disabled && !f.querySelector(".form-status .loading"));
  }, formName, { timeout: 20000 });
  return (await form.count()) ? (await form.locator(".form-status").textContent()) : "";
}

// Tab from the top of the page to each main-nav link in turn and press Enter on it.
async function keyboardNavigation() {
  const visits = [];
  const links = await page.$$eval("#nav a", (as) => as.map((a) => a.textContent));
  for (const name of links) {
    // From the top of the page: the skip link is the first stop, as for anyone starting to Tab.
    await page.evaluate(() => { window.scrollTo(0, 0); document.querySelector("a.skip").focus(); });
    let tabs = 0;
    let focused = "";
    while (tabs < 40) {
      await page.keyboard.press("Tab");
      tabs++;
      focused = await page.evaluate(() => (document.activeElement?.closest("#nav") ? document.activeElement.textContent : ""));
      if (focused === name) break;
    }
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    await page.keyboard.press("Enter");
    await page.waitForFunction((n) => document.querySelector("#nav a[aria-current=page]")?.textContent === n, name, { timeout: 10000 });
    await settled();
    visits.push({ name, tabs, focused, outline, h1: await page.textContent("#main h1"),
      focusAfter: await page.evaluate(() => document.activeElement?.tagName) });
  }
  return visits;
}

async function overflowAt375(hashes) {
  await page.setViewportSize({ width: 375, height: 740 });
  const out = {};
  for (const [hash, title] of hashes) {
    await go(hash, title);
    out[hash] = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth }));
    await screenshot(`phone-${title.toLowerCase().replace(/\W+/g, "-")}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  return out;
}

async function uploadAndDownload(bucket, file) {
  await go(`#/buckets/${bucket}`, bucket);
  await page.evaluate(() => {
    window.progressSeen = [];
    const bar = document.getElementById("upload-progress");
    new MutationObserver(() => window.progressSeen.push(bar.value)).observe(bar, { attributes: true });
  });
  await page.getByLabel(/^File/).setInputFiles(file);
  const started = Date.now();
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await page.waitForFunction(() => /^(Uploaded|Upload failed)/.test(document.getElementById("upload-status").textContent),
    null, { timeout: 120000 });
  const name = file.split("/").pop();
  const result = {
    status: await page.textContent("#upload-status"), seconds: (Date.now() - started) / 1000,
    progressSeen: await page.evaluate(() => window.progressSeen),
  };
  await page.locator(`.key[data-key="${name}"]`).waitFor({ timeout: 15000 });
  await screenshot("objects");
  const row = page.locator("tr", { has: page.locator(`.key[data-key="${name}"]`) });
  const [dl] = await Promise.all([page.waitForEvent("download", { timeout: 60000 }),
    row.getByRole("button", { name: "Download" }).click()]);
  result.download = { name: dl.suggestedFilename(),
    sha256: createHash("sha256").update(readFileSync(await dl.path())).digest("hex") };
  // A presigned link with a chosen expiry.
  await row.getByRole("button", { name: "Link" }).click();
  await page.getByLabel("Link valid for").selectOption("86400");
  await page.getByRole("button", { name: "Create link" }).click();
  await page.locator("#presigned-url").waitFor({ timeout: 10000 });
  result.presigned = await page.inputValue("#presigned-url");
  return result;
}

async function admin() {
  await signIn();
  report.storedAfterSignIn = await stored();
  report.keyboard = await keyboardNavigation();

  // A bucket, and a 20 MiB upload through the page and back.
  await go("#/buckets", "Buckets");
  report.createBucket = await submit("Create a bucket", { "Bucket name": input.bucket }, "Create bucket");
  await heading(input.bucket);
  report.upload = await uploadAndDownload(input.bucket, input.file);
  await go("#/buckets", "Buckets");
  await screenshot("buckets");

  // A user with an access key (shown once) allowed to assume the role.
  await go("#/iam/users", "Users");
  report.createUser = await submit("Create a user", { "User name": input.user }, "Create user");
  await heading(`User: ${input.user}`);
  await settled();
  await page.getByRole("button", { name: "Create access key" }).click();
  await page.locator(".new-key-secret").waitFor({ timeout: 10000 });
  report.accessKey = { id: await page.textContent(".new-key-id"), secret: await page.textContent(".new-key-secret") };
  await page.keyboard.press("Escape");  // dismisses the secret
  report.secretHiddenAfterEscape = await page.locator(".new-key-secret").count() === 0 ||
    !(await page.locator(".new-key-secret").isVisible());
  const assume = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole",
    Resource: `arn:aws:iam::${input.account}:role/${input.role}` }] });
  report.userPolicy = await submit("Add an inline policy", { "Policy name": "assume-console-role", "Policy document": assume }, "Add policy");
  await screenshot("user");

  // A role trusting the account (the form's default trust policy), allowed to list buckets; a
  // malformed policy first, to see kura's own validation error.
  await go("#/iam/roles", "Roles");
  report.createRole = await submit("Create a role", { "Role name": input.role }, "Create role");
  await heading(`Role: ${input.role}`);
  await settled();
  const bad = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Perhaps", Action: "s3:*", Resource: "*" }] });
  report.malformedPolicy = await submit("Add an inline policy", { "Policy name": "bad", "Policy document": bad }, "Add policy");
  const good = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] });
  report.rolePolicy = await submit("Add an inline policy", { "Policy name": "list-buckets", "Policy document": good }, "Add policy");
  await settled();
  report.rolePage = await page.textContent("#main");
  await screenshot("role");

  // The simulator: may the user assume the role? may it read objects?
  await go("#/iam/simulator", "Policy simulator");
  report.simulation = await submit("Simulate", { "Principal ARN (user, group or role)": `arn:aws:iam::${input.account}:user/${input.user}`,
    "Actions (space or comma separated)": "sts:AssumeRole s3:GetObject",
    "Resources (optional; default *)": `arn:aws:iam::${input.account}:role/${input.role}` }, "Simulate");
  report.simulationRows = await page.$$eval("#simulation tbody tr", (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  await screenshot("simulator");

  await go("#/status", "Status");
  await page.waitForFunction(() => !document.querySelector("#main .loading"), null, { timeout: 20000 });
  await page.locator("#status-version, #status-error").first().waitFor({ timeout: 20000 });
  report.status = (await page.locator("#status-version").count())
    ? { version: await page.textContent("#status-version"), uptime: await page.textContent("#status-uptime") }
    : { error: await page.textContent("#status-error") };
  await screenshot("status");

  report.phone = await overflowAt375([["#/buckets", "Buckets"], ["#/iam/users", "Users"], ["#/sessions", "Live sessions"],
    ["#/status", "Status"]]);
  report.storedAtEnd = await stored();

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.locator("#sign-in:not([hidden])").waitFor({ timeout: 5000 });
  report.afterSignOut = { session: await page.evaluate(() => sessionStorage.length),
    notice: await page.textContent("#sign-in-notice") };
}

async function revoke() {
  await signIn();
  // The bucket's versions, now that the script turned versioning on.
  await go(`#/buckets/${input.bucket}`, input.bucket);
  await page.getByRole("button", { name: "Show versions" }).click();
  await page.locator("table", { hasText: "Version ID" }).waitFor({ timeout: 15000 });
  report.versions = await page.$$eval("table:has(th:text('Version ID')) tbody tr",
    (rows) => rows.map((r) => [...r.cells].slice(0, 4).map((c) => c.textContent)));
  await go("#/sessions", "Live sessions");
  const row = page.locator("tbody tr", { hasText: input.sessionName });
  await row.waitFor({ timeout: 15000 });
  report.sessionRow = await row.evaluate((r) => [...r.cells].map((c) => c.textContent));
  report.headers = await page.$$eval("thead th", (ths) => ths.map((t) => t.textContent));
  await screenshot("sessions");
  const button = page.getByRole("button", { name: `Revoke all sessions of ${input.role} issued before now` });
  await button.click();
  await page.waitForFunction(() => /Revoked|Error|Denied/.test(document.querySelector("section[aria-label=Revoke] .inline-status")?.textContent ?? ""),
    null, { timeout: 15000 });
  report.revoked = await page.textContent("section[aria-label=Revoke] .inline-status");
  await page.getByRole("button", { name: "Refresh" }).click();
  await settled();
  report.rowsAfter = await page.$$eval("tbody tr", (rows) => rows.map((r) => r.textContent));
}

async function badSignIn() {
  await page.goto(input.console);
  await page.getByLabel("Access key ID").fill(input.key);
  await page.getByLabel("Secret access key").fill(input.secret);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#sign-in-status .error").waitFor({ timeout: 15000 });
  report.signInError = (await page.textContent("#sign-in-status .error")).trim();
  report.session = await page.evaluate(() => sessionStorage.length);
}

// Temporary credentials typed in (with their session token) are used as they are; once they
// expire, the next call gets ExpiredToken and the page returns to sign-in and says so.
async function expiry() {
  await page.goto(input.console);
  await page.getByLabel("Access key ID").fill(input.key);
  await page.getByLabel("Secret access key").fill(input.secret);
  await page.getByText("Temporary credentials or another region").click();
  await page.getByLabel("Session token (only for temporary credentials)").fill(input.token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await heading("Buckets");
  await settled();
  report.principal = await page.textContent("#principal");
  report.stored = await stored();
  const wait = new Date(input.expiration).getTime() + 1500 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  await page.getByRole("link", { name: "Users" }).click();
  await page.locator("#sign-in:not([hidden])").waitFor({ timeout: 15000 });
  report.notice = await page.textContent("#sign-in-notice");
  report.session = await page.evaluate(() => sessionStorage.length);
}

try {
  if (input.step === "admin") await admin();
  else if (input.step === "expiry") await expiry();
  else if (input.step === "bad-sign-in") await badSignIn();
  else if (input.step === "revoke") await revoke();
  else throw new Error(`no step ${input.step}`);
} catch (e) {
  report.error = e.stack;
  try { report.page = await page.textContent("body"); } catch { /* the page is gone */ }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
