// The signed-in session. A long-term access key typed into the sign-in form is exchanged at once
// for temporary credentials (STS GetSessionToken) and then forgotten: only the session's
// credentials are kept, in sessionStorage (gone when the tab closes), never the long-term secret.
// Temporary credentials typed in (with their session token) are used as they are. Sign-out clears
// the storage; expiry (the clock or kura's ExpiredToken) ends the session and says so.
import { AwsError, Client, text } from "./aws.js";

const STORAGE_KEY = "kura-console-session";
export const SESSION_SECONDS = 3600;  // the root's GetSessionToken sessions are capped at 1 h

function store(session) {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function load() {
  try {
    const session = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null");
    if (session && new Date(session.expiration).getTime() > Date.now()) return session;
  } catch { /* a damaged entry is no session */ }
  sessionStorage.removeItem(STORAGE_KEY);
  return null;
}

export function clear() {
  sessionStorage.removeItem(STORAGE_KEY);
}

// The region S3 signs for: kura names its own when a request is signed for another one.
async function discoverRegion(client) {
  try {
    await client.s3("GET", "", undefined);
  } catch (e) {
    const expected = /expecting '([a-z0-9-]+)'/.exec(e.message ?? "");
    if (expected) client.region = expected[1];
  }
  return client.region;
}

// Signs in; resolves to the stored session {accessKeyId, secretAccessKey, sessionToken,
// expiration, region, arn, account}.
export async function signIn({ accessKeyId, secretAccessKey, sessionToken, region }) {
  const typed = { accessKeyId: accessKeyId.trim(), secretAccessKey: secretAccessKey.trim(),
    sessionToken: sessionToken?.trim() || undefined };
  let credentials = typed;
  let expiration = new Date(Date.now() + SESSION_SECONDS * 1000).toISOString();
  if (!typed.sessionToken) {
    const doc = await new Client(typed, region).call("sts", "GetSessionToken",
      { DurationSeconds: SESSION_SECONDS });
    credentials = { accessKeyId: text(doc, "AccessKeyId"), secretAccessKey: text(doc, "SecretAccessKey"),
      sessionToken: text(doc, "SessionToken") };
    expiration = text(doc, "Expiration");
    if (!credentials.sessionToken) throw new AwsError("NoSession", "kura returned no session credentials");
  }
  const client = new Client(credentials, region || "us-east-1");
  const identity = await client.call("sts", "GetCallerIdentity");
  const session = { ...credentials, expiration, region: await discoverRegion(client),
    arn: text(identity, "Arn"), account: text(identity, "Account") };
  store(session);
  return session;
}
