// Debian's Chromium, headless, through playwright-core (no browser download), with no network of
// its own (no component updates, sync, QUIC or first-run fetches). Playwright's launch gives it a
// fresh --user-data-dir in a temp dir, removed on close; each browser context (one per user of a
// scenario) has its own cookies.
import { chromium } from "playwright-core";

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// Collects what a page logs and fails on, for the scenario's report.
export function watchPage(page, name, log) {
  page.on("console", (m) => { if (m.type() === "error") log.push(`${name} console: ${m.text()}`); });
  page.on("pageerror", (e) => log.push(`${name} page error: ${e.message}`));
  page.on("requestfailed", (r) => log.push(`${name} request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
}
