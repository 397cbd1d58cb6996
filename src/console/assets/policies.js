// Customer managed policies (list, create, the default version in the JSON editor, new versions)
// and the policy simulator: SimulatePrincipalPolicy's decision per action and resource, with the
// statement that decided it.
import { children, members, text } from "./aws.js";
import { actionButton, field, form, formatTime, h, policyEditor, prettyPolicy, replace, table, view } from "./ui.js";

const EXAMPLE = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "ReadExampleBucket",
  Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"],
  Resource: ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"] }] }, null, 2);

const policyHref = (arn) => `#/iam/policies/${encodeURIComponent(arn)}`;

export async function renderPolicies(main, ctx) {
  const { client } = ctx;
  const list = h("div");
  replace(main, h("h1", {}, "Policies"), list, form("Create a managed policy", [
    field("Policy name", "name", { required: true }),
    field("Description", "description"),
    policyEditor("Policy document", "document", EXAMPLE),
  ], "Create policy", async ({ name, description, document }) => {
    const doc = await client.iam("CreatePolicy", { PolicyName: name, Description: description, PolicyDocument: document });
    ctx.navigate(policyHref(text(doc, "Arn")));
  }));
  await view(list, "policies", async () => {
    const policies = await client.iamAll("ListPolicies", { Scope: "Local" }, "Policies");
    return table("Customer managed policies", [
      ["Name", (p) => h("a", { href: policyHref(text(p, "Arn")) }, text(p, "PolicyName"))],
      ["Attached to", (p) => text(p, "AttachmentCount")],
      ["Default version", (p) => text(p, "DefaultVersionId")],
      ["Updated", (p) => formatTime(text(p, "UpdateDate"))],
    ], policies, "No customer managed policies yet.");
  });
}

export async function renderPolicy(main, ctx, arn) {
  const { client } = ctx;
  const body = h("div");
  replace(main, h("h1", {}, arn.split("/").pop()), h("p", {}, h("a", { href: "#/iam/policies" }, "All policies")), body);
  await view(body, "policy", async () => {
    const policy = await client.iam("GetPolicy", { PolicyArn: arn });
    const version = text(policy, "DefaultVersionId");
    const doc = await client.iam("GetPolicyVersion", { PolicyArn: arn, VersionId: version });
    const versions = await client.iamAll("ListPolicyVersions", { PolicyArn: arn }, "Versions");
    return [h("dl", { class: "facts" }, h("dt", {}, "ARN"), h("dd", {}, h("code", {}, arn)),
      h("dt", {}, "Default version"), h("dd", {}, version),
      h("dt", {}, "Attached to"), h("dd", {}, `${text(policy, "AttachmentCount")} entities`)),
    form(`Edit (saves a new default version; ${versions.length} of 5 versions used)`,
      [policyEditor("Policy document", "document", prettyPolicy(text(doc, "Document")))], "Save as new version",
      async ({ document }) => {
        await client.iam("CreatePolicyVersion", { PolicyArn: arn, PolicyDocument: document, SetAsDefault: "true" });
        return "Saved as the new default version.";
      }),
    actionButton("Delete policy", async () => {
      await client.iam("DeletePolicy", { PolicyArn: arn });
      ctx.navigate("#/iam/policies");
    }, { confirmText: "Delete this policy? It must be detached and have no other versions.", className: "danger" })];
  });
}

function split(list) {
  return list.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

function decision(result) {
  const d = text(result, "EvalDecision");
  return h("span", { class: `decision ${d === "allowed" ? "ok" : "bad"}` }, d);
}

function statements(result) {
  const matched = members(result, "MatchedStatements");
  if (matched.length === 0) {
    return text(result, "EvalDecision") === "implicitDeny" ? "no statement allows it (implicit deny)" : "—";
  }
  return h("ul", { class: "plain" }, matched.map((m) => {
    const at = child2(m, "StartPosition");
    return h("li", {}, h("code", {}, text(m, "SourcePolicyId")), ` (${text(m, "SourcePolicyType") || "policy"})`,
      at ? `, line ${text(at, "Line")} column ${text(at, "Column")}` : "");
  }));
}

function child2(node, name) { return children(node, name)[0] ?? null; }

export async function renderSimulator(main, ctx) {
  const { client, session } = ctx;
  const out = h("div", { id: "simulation", "aria-live": "polite" });
  const principals = h("datalist", { id: "principal-arns" });
  replace(main, h("h1", {}, "Policy simulator"),
    h("p", {}, "Can this principal do this action on this resource, and which statement decides? ",
      "kura evaluates the principal's identity policies, group policies and permissions boundary as it does for real requests."),
    principals,
    form("Simulate", [
      field("Principal ARN (user, group or role)", "principal", { required: true,
        placeholder: `arn:aws:iam::${session.account}:user/alice` }),
      field("Actions (space or comma separated)", "actions", { required: true, placeholder: "s3:GetObject s3:PutObject" }),
      field("Resources (optional; default *)", "resources", { placeholder: "arn:aws:s3:::bucket/key" }),
    ], "Simulate", async ({ principal, actions, resources }) => {
      const params = { PolicySourceArn: principal.trim() };
      split(actions).forEach((a, i) => { params[`ActionNames.member.${i + 1}`] = a; });
      split(resources ?? "").forEach((r, i) => { params[`ResourceArns.member.${i + 1}`] = r; });
      const doc = await client.iam("SimulatePrincipalPolicy", params);
      const results = members(doc.documentElement, "EvaluationResults");
      replace(out, table("Simulation results", [
        ["Action", (r) => text(r, "EvalActionName")],
        ["Resource", (r) => h("code", {}, text(r, "EvalResourceName"))],
        ["Decision", decision],
        ["Deciding statement", statements],
      ], results));
      return `${results.length} result(s).`;
    }), out);
  main.querySelector("input[name=principal]").setAttribute("list", "principal-arns");
  // Suggestions for the principal field; the simulator works without them.
  Promise.all([client.iamAll("ListUsers", {}, "Users"), client.iamAll("ListRoles", {}, "Roles")])
    .then(([users, roles]) => replace(principals, [...users, ...roles].map((e) => h("option", { value: text(e, "Arn") }))))
    .catch(() => {});
}
