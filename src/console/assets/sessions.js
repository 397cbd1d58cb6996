// Live sessions: the role sessions kura issued that have not expired (IAM ListSessions, kura's own
// action), and "Revoke all sessions of this role issued before now", which is what the AWS console
// does: an inline policy AWSRevokeOlderSessions on the role denying everything to sessions whose
// aws:TokenIssueTime is before now. New sessions of the role are not affected.
import { members, text } from "./aws.js";
import { actionButton, field, form, formatTime, h, replace, table, view } from "./ui.js";

export const REVOKE_POLICY_NAME = "AWSRevokeOlderSessions";

// The policy, exactly as the AWS console writes it (times to the second, UTC).
export function revokePolicy(now) {
  const issuedBefore = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*",
    Condition: { DateLessThan: { "aws:TokenIssueTime": issuedBefore } } }] });
}

function roleName(arn) {
  return arn.split(":role/").pop()?.split("/").pop() ?? arn;
}

export async function render(main, ctx) {
  const { client, params, navigate } = ctx;
  const role = params.get("role") ?? "";
  const list = h("div");
  replace(main, h("h1", {}, "Live sessions"),
    h("p", {}, "Sessions STS issued (role sessions, and GetSessionToken sessions like the console's own) that have neither expired nor been revoked: who holds temporary credentials right now."),
    form("Filter", [field("Role name", "role", { value: role, placeholder: "all roles" })], "Show",
      async ({ role: r }) => navigate(r ? `#/sessions?role=${encodeURIComponent(r)}` : "#/sessions")),
    list);
  const load = () => view(list, "sessions", async () => {
    const sessions = [];
    let marker;
    for (let page = 0; page < 20; page++) {
      const doc = await client.iam("ListSessions", { RoleName: role, Marker: marker });
      sessions.push(...members(doc.documentElement, "Sessions"));
      if (text(doc, "IsTruncated") !== "true") break;
      marker = text(doc, "Marker");
    }
    const roles = [...new Set(sessions.map((s) => text(s, "RoleArn")).filter(Boolean))];
    const refresh = h("button", { type: "button", class: "secondary", id: "refresh-sessions", onclick: load }, "Refresh");
    return [refresh,
      table(role ? `Live sessions of ${role}` : "Live sessions", [
        ["Role", (s) => (text(s, "RoleArn")
          ? h("a", { href: `#/iam/roles/${encodeURIComponent(roleName(text(s, "RoleArn")))}` }, roleName(text(s, "RoleArn")))
          : "GetSessionToken")],
        ["Session name", (s) => text(s, "RoleSessionName") || "—"],
        ["Source identity", (s) => text(s, "SourceIdentity") || "—"],
        ["Issued by", (s) => h("code", {}, text(s, "IssuerArn"))],
        ["Issued", (s) => formatTime(text(s, "IssuedAt"))],
        ["Expires", (s) => formatTime(text(s, "Expiration"))],
        ["Last used", (s) => (text(s, "LastUsedAt")
          ? `${formatTime(text(s, "LastUsedAt"))} from ${text(s, "LastUsedFrom") || "?"}` : "not yet")],
        ["Access key", (s) => h("code", {}, text(s, "AccessKeyId"))],
      ], sessions, "No live sessions."),
      roles.length ? h("section", { class: "card", "aria-label": "Revoke" }, h("h2", {}, "Revoke"),
        h("p", {}, "Denies everything to the role's sessions issued before now (inline policy ",
          h("code", {}, REVOKE_POLICY_NAME), "); sessions issued afterwards work."),
        roles.map((arn) => h("p", {}, actionButton(`Revoke all sessions of ${roleName(arn)} issued before now`, async () => {
          await client.iam("PutRolePolicy", { RoleName: roleName(arn), PolicyName: REVOKE_POLICY_NAME,
            PolicyDocument: revokePolicy(new Date()) });
          return `Revoked: sessions of ${roleName(arn)} issued before ${new Date().toISOString()} are denied.`;
        }, { confirmText: `Revoke every session of ${roleName(arn)} issued before now?`, className: "danger" })))) : null];
  });
  await load();
}
