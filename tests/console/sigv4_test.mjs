// The console's SigV4 signer (src/console/assets/sigv4.js) against every case of AWS's SigV4
// test suite (aws-c-auth's v4 corpus, $KURA_SHARED_DIR/testdata/aws-signing-test-suite/v4 as for
// tests/conformance): canonical request, string to sign, signature and Authorization header for
// header signing, and the same for query signing (presigned URLs).
// Usage: node --test tests/console/sigv4_test.mjs   (CTest: console.sigv4)
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import test from "node:test";
import { loadModule } from "./load_module.mjs";

const sigv4 = await loadModule("sigv4.js");
const SUITE = join(process.env.KURA_SHARED_DIR ?? "/work/shared", "testdata/aws-signing-test-suite/v4");

function parseRequest(text) {
  const lines = text.split("\n");
  const [method, target] = [lines[0].slice(0, lines[0].indexOf(" ")),
    lines[0].slice(lines[0].indexOf(" ") + 1, lines[0].lastIndexOf(" "))];
  const headers = [];
  let i = 1;
  for (; i < lines.length && lines[i] !== ""; i++) {
    if (/^[ \t]/.test(lines[i])) headers[headers.length - 1][1] += " " + lines[i].trim();
    else headers.push([lines[i].slice(0, lines[i].indexOf(":")), lines[i].slice(lines[i].indexOf(":") + 1)]);
  }
  const body = i < lines.length ? lines.slice(i + 1).join("\n") : "";
  const q = target.indexOf("?");
  const path = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? [] : target.slice(q + 1).split("&").filter((p) => p !== "").map((p) => {
    const eq = p.indexOf("=");
    return eq < 0 ? [decodeURIComponent(p), ""] : [decodeURIComponent(p.slice(0, eq)), decodeURIComponent(p.slice(eq + 1))];
  });
  return { method, path, query, headers, body };
}

function read(dir, file) { return readFileSync(join(dir, file), "utf8"); }

const cases = existsSync(SUITE) ? readdirSync(SUITE).sort() : [];
test("the SigV4 suite is there", () => assert.ok(cases.length >= 30, `no suite at ${SUITE}`));

for (const name of cases) {
  const dir = join(SUITE, name);
  const context = JSON.parse(read(dir, "context.json"));
  const date = new Date(context.timestamp);
  const { region, service } = context;
  const token = context.credentials.token;
  const credentials = {
    accessKeyId: context.credentials.access_key_id,
    secretAccessKey: context.credentials.secret_access_key,
    // The suite's omit_session_token cases add the token after signing.
    sessionToken: context.omit_session_token ? undefined : token,
  };
  const options = { normalize: context.normalize, doubleEncode: true };

  test(`${name}: header signing`, async () => {
    const request = parseRequest(read(dir, "request.txt"));
    request.payloadHash = await sigv4.sha256Hex(request.body);
    if (context.sign_body) request.headers.push(["X-Amz-Content-Sha256", request.payloadHash]);
    const headers = await sigv4.signHeaders(request, { credentials, region, service, date, options });
    const [name, Authorization] = headers.at(-1);
    assert.equal(name, "Authorization");
    const creq = sigv4.canonicalRequest({ ...request, headers: headers.slice(0, -1) }, options);
    assert.equal(creq, read(dir, "header-canonical-request.txt"));
    const sts = await sigv4.stringToSign(date, sigv4.credentialScope(date, region, service), creq);
    assert.equal(sts, read(dir, "header-string-to-sign.txt"));
    const expected = read(dir, "header-signed-request.txt").split("\n")
      .find((l) => l.startsWith("Authorization:")).slice("Authorization:".length);
    assert.equal(Authorization, expected);
    assert.ok(Authorization.endsWith("Signature=" + read(dir, "header-signature.txt").trim()));
  });

  test(`${name}: query signing`, async () => {
    const request = parseRequest(read(dir, "request.txt"));
    request.payloadHash = await sigv4.sha256Hex(request.body);
    const query = await sigv4.presignQuery(request, {
      credentials, region, service, date, expires: context.expiration_in_seconds, options });
    const signature = query.at(-1);
    assert.equal(signature[0], "X-Amz-Signature");
    const creq = sigv4.canonicalRequest({ ...request, query: query.slice(0, -1) }, options);
    assert.equal(creq, read(dir, "query-canonical-request.txt"));
    const sts = await sigv4.stringToSign(date, sigv4.credentialScope(date, region, service), creq);
    assert.equal(sts, read(dir, "query-string-to-sign.txt"));
    assert.equal(signature[1], read(dir, "query-signature.txt").trim());
  });
}

// What the console itself signs: S3 paths once-encoded and not normalized, so a key with spaces,
// dots and slashes keeps its exact bytes.
test("S3 paths are signed as sent", async () => {
  const path = "/bucket/" + sigv4.uriEncode("a b/../c+d.txt", true);
  assert.equal(path, "/bucket/a%20b/../c%2Bd.txt");
  assert.equal(sigv4.canonicalUri(path, { normalize: false, doubleEncode: false }), path);
  assert.equal(sigv4.canonicalUri("/a%20b", { normalize: true, doubleEncode: true }), "/a%2520b");
});
