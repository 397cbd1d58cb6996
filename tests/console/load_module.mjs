// Loads one of the console's browser modules (src/console/assets/*.js, plain ES modules with no
// imports) into Node: the files keep the .js name browsers and the listener's MIME table expect,
// so they are imported from a data: URL rather than by path (Node would read .js as CommonJS).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { webcrypto } from "node:crypto";

// Node 18 has WebCrypto only as node:crypto's webcrypto; 20 has it as globalThis.crypto too.
if (!globalThis.crypto) globalThis.crypto = webcrypto;

export const ASSETS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "console", "assets");

export function loadModule(name) {
  const source = readFileSync(join(ASSETS, name), "utf8");
  return import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));
}
