// The presigned example (examples/presigned-upload) in headless Chromium: uploads with the
// presigned POST (one file under the size limit, one over it) and with the presigned PUT URL, then
// fetches each uploaded file back in the page through its presigned GET link.
// It asserts nothing itself: it prints one JSON report that tests/e2e/test_upload_portal.py checks.
// Usage: node presigned_upload.mjs '{"url": URL, "uploads": [{"how": "post"|"put", "file"}]}'
import { launchChromium, watchPage } from "./chromium.mjs";

const input = JSON.parse(process.argv[2]);
const log = [];
const report = { uploads: [], log };
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  watchPage(page, "presigned", log);
  await page.goto(input.url);
  for (const { how, file } of input.uploads) {
    await page.setInputFiles("#file", file);
    await page.click(`#${how}`);
    await page.waitForFunction(() => /^(Uploaded|Refused|Upload failed)/.test(document.getElementById("status").textContent),
      null, { timeout: 60000 });
    const status = await page.textContent("#status");
    const key = /^Uploaded (.*)\.$/.exec(status)?.[1];
    let download = null;
    if (key) {
      // What a click on the link would fetch, read in the page (cross-origin: CORS GET).
      const href = await page.getAttribute(`#files li[data-key="${key}"] a`, "href");
      download = await page.evaluate(async (url) => {
        const res = await fetch(url);
        const bytes = await res.arrayBuffer();
        const digest = await crypto.subtle.digest("SHA-256", bytes);
        return { status: res.status, size: bytes.byteLength, sha256: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("") };
      }, href);
      download.url = href;
    }
    report.uploads.push({ how, file, status, key: key ?? null, download });
  }
} catch (e) {
  report.error = e.stack;
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
