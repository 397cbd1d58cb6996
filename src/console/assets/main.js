// The console's entry point: shows sign-in or the app, routes the hash (#/buckets, #/iam/users/
// NAME, #/sessions…) to its page, and ends the session on sign-out or expiry.
import { Client } from "./aws.js";
import { errorBox, h, replace } from "./ui.js";
import * as session from "./session.js";
import * as buckets from "./buckets.js";
import * as iam from "./iam.js";
import * as policies from "./policies.js";
import * as sessions from "./sessions.js";
import * as status from "./status.js";

const $ = (id) => document.getElementById(id);
let current = null;  // {session, client}
let expiryTimer = null;
let clockTimer = null;

// [pattern, page, what the nav highlights]; a page is render(main, ctx, ...captures).
const ROUTES = [
  [/^\/buckets$/, buckets.renderList, "buckets"],
  [/^\/buckets\/([^/]+)$/, buckets.renderBucket, "buckets"],
  [/^\/iam\/users$/, iam.renderUsers, "iam/users"],
  [/^\/iam\/users\/(.+)$/, iam.renderUser, "iam/users"],
  [/^\/iam\/groups$/, iam.renderGroups, "iam/groups"],
  [/^\/iam\/groups\/(.+)$/, iam.renderGroup, "iam/groups"],
  [/^\/iam\/roles$/, iam.renderRoles, "iam/roles"],
  [/^\/iam\/roles\/(.+)$/, iam.renderRole, "iam/roles"],
  [/^\/iam\/policies$/, policies.renderPolicies, "iam/policies"],
  [/^\/iam\/policies\/(.+)$/, policies.renderPolicy, "iam/policies"],
  [/^\/iam\/simulator$/, policies.renderSimulator, "iam/simulator"],
  [/^\/sessions$/, sessions.render, "sessions"],
  [/^\/status$/, status.render, "status"],
];

function endSession(notice) {
  session.clear();
  current = null;
  clearTimeout(expiryTimer);
  clearInterval(clockTimer);
  showSignIn(notice);
}

function showSignIn(notice = "") {
  $("app").hidden = true;
  $("who").hidden = true;
  $("boot").hidden = true;
  $("sign-in").hidden = false;
  replace($("main"));
  $("sign-in-notice").textContent = notice;
  $("sign-in-notice").hidden = !notice;
  $("access-key-id").focus();
}

function showExpiry(expiration) {
  const left = Math.max(0, new Date(expiration).getTime() - Date.now());
  const minutes = Math.ceil(left / 60000);
  $("expires").textContent = `session ends in ${minutes} min`;
  $("expires").title = `Session expires at ${expiration}`;
}

function start(s) {
  const client = new Client(s, s.region, () => endSession("Your session has expired. Sign in again."));
  current = { session: s, client };
  $("sign-in").hidden = true;
  $("boot").hidden = true;
  $("app").hidden = false;
  $("who").hidden = false;
  $("principal").textContent = s.arn;
  showExpiry(s.expiration);
  clockTimer = setInterval(() => showExpiry(s.expiration), 15000);
  const left = new Date(s.expiration).getTime() - Date.now();
  expiryTimer = setTimeout(() => endSession("Your session has expired. Sign in again."), Math.min(left, 2 ** 31 - 1));
  route();
}

async function route() {
  if (!current) return;
  const hash = location.hash.replace(/^#/, "") || "/buckets";
  const path = hash.split("?")[0];
  const params = new URLSearchParams(hash.includes("?") ? hash.slice(hash.indexOf("?") + 1) : "");
  const main = $("main");
  for (const [pattern, page, section] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    for (const a of document.querySelectorAll("#nav a")) {
      if (a.dataset.section === section) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    try {
      await page(main, { ...current, params, navigate }, ...match.slice(1).map(decodeURIComponent));
    } catch (e) {
      replace(main, h("h1", {}, "Something went wrong"), errorBox(e));
    }
    return;
  }
  replace(main, h("h1", {}, "Not found"), h("p", {}, "No page at ", h("code", {}, hash), ". ",
    h("a", { href: "#/buckets" }, "Go to buckets")));
}

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

async function onSignIn(event) {
  event.preventDefault();
  const form = event.target;
  const values = Object.fromEntries(new FormData(form).entries());
  const button = $("sign-in-button");
  button.disabled = true;
  replace($("sign-in-status"), h("span", { class: "loading" }, "Signing in…"));
  try {
    const s = await session.signIn(values);
    form.reset();  // the long-term secret leaves the page with the form's values
    replace($("sign-in-status"));
    start(s);
  } catch (e) {
    replace($("sign-in-status"), errorBox(e));
  } finally {
    button.disabled = false;
  }
}

// Route changes started from the nav move focus to the new page's heading, so keyboard and
// screen-reader users land on what they asked for.
function focusHeading() {
  const heading = document.querySelector("#main h1");
  if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: false }); }
}

window.addEventListener("hashchange", async () => {
  const fromNav = document.activeElement?.closest?.("#nav");
  await route();
  if (fromNav) focusHeading();
});

// Escape closes what is open: a secret shown once, an open <details>.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = document.querySelector("#main [data-dismissable]:not([hidden])");
  if (open) {
    open.hidden = true;
    if (open.classList.contains("secret-once")) open.replaceChildren();  // a shown secret leaves the page
    return;
  }
  const details = document.activeElement?.closest?.("details[open]");
  if (details) { details.open = false; details.querySelector("summary")?.focus(); }
});

function boot() {
  $("sign-in-form").addEventListener("submit", onSignIn);
  $("sign-out").addEventListener("click", () => endSession("Signed out."));
  const s = session.load();
  if (s) start(s);
  else showSignIn();
}

boot();
