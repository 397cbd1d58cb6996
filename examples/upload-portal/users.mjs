// The portal's own users: a JSON file mapping a user name to a scrypt hash of the password.
// Add or change a user (the password is read from standard input, one line):
//   echo 'a long passphrase' | node users.mjs add alice [--file users.json]
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";

const scryptAsync = promisify(scrypt);
const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

// User names become part of object keys, policy resources and RoleSessionName ([\w+=,.@-]{2,64}),
// so they are kept to a safe alphabet.
export const USER_NAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;

export async function hashPassword(password) {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEY_LENGTH, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

// True when password matches stored (a hashPassword result). A missing user is checked against a
// dummy hash, so that the answer takes as long whether the user exists or not.
const DUMMY = await hashPassword("no such user");
export async function verifyPassword(password, stored = DUMMY) {
  const [scheme, N, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt") return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scryptAsync(password, Buffer.from(salt, "base64"), expected.length,
    { N: Number(N), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected) && stored !== DUMMY;
}

export function loadUsers(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, name, flag, fileArg] = process.argv.slice(2);
  const file = flag === "--file" ? fileArg : "users.json";
  if (command !== "add" || !USER_NAME.test(name ?? "")) {
    console.error("usage: node users.mjs add NAME [--file users.json]   (password on stdin; " +
      "NAME: 2-32 of a-z 0-9 . _ -, starting with a letter or digit)");
    process.exit(2);
  }
  const password = readFileSync(0, "utf8").replace(/\r?\n$/, "");
  if (password.length < 8) {
    console.error("the password must have at least 8 characters");
    process.exit(2);
  }
  const users = loadUsers(file);
  users[name] = await hashPassword(password);
  writeFileSync(file, JSON.stringify(users, null, 2) + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
  console.log(`${name} saved in ${file}`);
}
