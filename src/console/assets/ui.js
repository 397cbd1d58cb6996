// Small DOM helpers the console's pages share: building elements, the loading and error states
// every view passes through (no blank screens), tables, forms and the JSON policy editor.
// Errors are shown as AWS gives them: the code, then the message (e.g. AccessDenied's reason).

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function replace(container, ...nodes) {
  container.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false));
}

export function errorText(error) {
  return error?.code ? `${error.code}: ${error.message}` : String(error?.message ?? error);
}

export function errorBox(error) {
  return h("div", { class: "error", role: "alert" },
    h("strong", {}, error?.code ?? "Error"), " ", error?.code ? error.message : String(error?.message ?? error));
}

// Fills container with "Loading…", then with what build() returns, or with the error and a
// Retry button. Returns the promise so callers can chain.
export async function view(container, what, build) {
  replace(container, h("p", { class: "loading", role: "status" }, `Loading ${what}…`));
  try {
    const nodes = await build();
    replace(container, nodes);
  } catch (e) {
    if (e?.sessionEnded) return;
    replace(container, errorBox(e),
      h("button", { type: "button", onclick: () => view(container, what, build) }, "Retry"));
  }
}

// columns: [[header, (row) => cell content]]; an empty list says so instead of showing nothing.
export function table(caption, columns, rows, empty = "None.") {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  return h("div", { class: "table-wrap" }, h("table", {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, columns.map(([label]) => h("th", { scope: "col" }, label)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, columns.map(([, cell]) => h("td", {}, cell(row))))))));
}

let fieldCounter = 0;

// A labelled input; kind "textarea" gives a multi-line field, "select" takes options.
export function field(label, name, { kind = "input", type = "text", value = "", required = false,
  options = [], placeholder, autocomplete, help } = {}) {
  const id = `f${++fieldCounter}-${name}`;
  let control;
  if (kind === "textarea") {
    control = h("textarea", { id, name, required, rows: 12, spellcheck: "false", class: "code" });
    control.value = value;
  } else if (kind === "select") {
    control = h("select", { id, name, required },
      options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)));
  } else {
    control = h("input", { id, name, type, required, placeholder, autocomplete: autocomplete ?? "off" });
    control.value = value;
  }
  return h("div", { class: "field" }, h("label", { for: id }, label), control,
    help ? h("small", {}, help) : null);
}

// A form whose submit runs onSubmit(values) with the button disabled and a status line that shows
// progress, the result or the error. onSubmit may return a message or nodes to show.
export function form(title, fields, submitLabel, onSubmit, { extra = [] } = {}) {
  const status = h("div", { class: "form-status", role: "status", "aria-live": "polite" });
  const button = h("button", { type: "submit" }, submitLabel);
  const node = h("form", { class: "card", "aria-label": title }, title ? h("h3", {}, title) : null,
    fields, extra, h("div", { class: "actions" }, button), status);
  node.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(node).entries());
    button.disabled = true;
    replace(status, h("span", { class: "loading" }, "Working…"));
    try {
      const result = await onSubmit(values, node);
      replace(status, typeof result === "string" ? h("span", { class: "ok" }, result) : result ?? "");
    } catch (e) {
      if (!e?.sessionEnded) replace(status, errorBox(e));
    } finally {
      button.disabled = false;
    }
  });
  return node;
}

// A button that runs action() and shows its error next to it; confirmText asks first.
export function actionButton(label, action, { confirmText, className } = {}) {
  const status = h("span", { class: "inline-status", role: "status" });
  const button = h("button", { type: "button", class: className }, label);
  button.addEventListener("click", async () => {
    if (confirmText && !window.confirm(confirmText)) return;
    button.disabled = true;
    replace(status, "…");
    try {
      replace(status, (await action()) ?? "");
    } catch (e) {
      if (!e?.sessionEnded) replace(status, errorBox(e));
    } finally {
      button.disabled = false;
    }
  });
  return h("span", { class: "action" }, button, status);
}

// IAM returns policy documents URL-encoded (as AWS does); this gives them back pretty-printed.
export function prettyPolicy(document) {
  let text = document ?? "";
  if (/^%7B/i.test(text.trim())) text = decodeURIComponent(text);
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}

// The JSON editor field: checks the syntax as one types (the position of a JSON error), and the
// form then shows kura's own validation (MalformedPolicyDocument) when it refuses the policy.
export function policyEditor(label, name, value) {
  const node = field(label, name, { kind: "textarea", value, required: true });
  const area = node.querySelector("textarea");
  const note = h("small", { class: "json-note", "aria-live": "polite" });
  const check = () => {
    try { JSON.parse(area.value); note.textContent = "Valid JSON."; note.className = "json-note ok"; }
    catch (e) { note.textContent = `Not JSON: ${e.message}`; note.className = "json-note bad"; }
  };
  area.addEventListener("input", check);
  const format = h("button", { type: "button", class: "secondary", onclick: () => {
    try { area.value = JSON.stringify(JSON.parse(area.value), null, 2); } catch { /* note says why */ }
    check();
  } }, "Format JSON");
  node.append(h("div", { class: "editor-tools" }, format, note));
  check();
  return node;
}

export function formatBytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = Number(n);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function formatTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

export function link(href, text) { return h("a", { href }, text); }
