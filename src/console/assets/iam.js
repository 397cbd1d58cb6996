// IAM users, groups and roles: lists, creation, and one page per entity with what AWS's console
// shows — access keys (the secret shown once, at creation), group membership, attached managed
// policies, inline policies in the JSON editor, the permissions boundary, a role's trust policy.
import { members, text } from "./aws.js";
import { actionButton, field, form, formatTime, h, policyEditor, prettyPolicy, replace, table, view } from "./ui.js";

// What differs between the three kinds of entity in IAM's action and parameter names.
const KINDS = {
  user: { Name: "User", param: "UserName", route: "users", list: "Users" },
  group: { Name: "Group", param: "GroupName", route: "groups", list: "Groups" },
  role: { Name: "Role", param: "RoleName", route: "roles", list: "Roles" },
};

const href = (kind, name) => `#/iam/${KINDS[kind].route}/${encodeURIComponent(name)}`;

function listPage(kind, createFields, create) {
  const k = KINDS[kind];
  return async (main, ctx) => {
    const list = h("div");
    replace(main, h("h1", {}, k.list), list, form(`Create a ${kind}`, createFields(ctx), `Create ${kind}`,
      async (values) => {
        await create(ctx, values);
        ctx.navigate(href(kind, values.name));
      }));
    await view(list, k.list.toLowerCase(), async () => {
      const items = await ctx.client.iamAll(`List${k.list}`, {}, k.list);
      return table(k.list, [
        ["Name", (e) => h("a", { href: href(kind, text(e, k.param)) }, text(e, k.param))],
        ["ARN", (e) => h("code", {}, text(e, "Arn"))],
        ["Created", (e) => formatTime(text(e, "CreateDate"))],
      ], items, `No ${k.list.toLowerCase()} yet.`);
    });
  };
}

function trustingAccount(account) {
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" }] }, null, 2);
}

export const renderUsers = listPage("user", () => [field("User name", "name", { required: true })],
  ({ client }, { name }) => client.iam("CreateUser", { UserName: name }));
export const renderGroups = listPage("group", () => [field("Group name", "name", { required: true })],
  ({ client }, { name }) => client.iam("CreateGroup", { GroupName: name }));
export const renderRoles = listPage("role", ({ session }) => [
  field("Role name", "name", { required: true }),
  policyEditor("Trust policy (who may assume the role)", "trust", trustingAccount(session.account)),
  field("Maximum session duration (seconds)", "maxDuration", { type: "number", value: "3600" }),
], ({ client }, { name, trust, maxDuration }) => client.iam("CreateRole",
  { RoleName: name, AssumeRolePolicyDocument: trust, MaxSessionDuration: maxDuration }));

// A section that loads itself and can reload: returns [node, reload].
function section(title, what, build) {
  const body = h("div");
  const node = h("section", { class: "card", "aria-label": title }, h("h2", {}, title), body);
  const reload = () => view(body, what, () => build(reload));
  return [node, reload];
}

function attachedPolicies(client, kind, name) {
  const k = KINDS[kind];
  const id = { [k.param]: name };
  return section("Managed policies", "attached policies", async (reload) => {
    const attached = await client.iamAll(`ListAttached${k.Name}Policies`, id, "AttachedPolicies");
    return [table("Attached managed policies", [
      ["Policy", (p) => h("a", { href: `#/iam/policies/${encodeURIComponent(text(p, "PolicyArn"))}` }, text(p, "PolicyName"))],
      ["ARN", (p) => h("code", {}, text(p, "PolicyArn"))],
      ["", (p) => actionButton("Detach", async () => {
        await client.iam(`Detach${k.Name}Policy`, { ...id, PolicyArn: text(p, "PolicyArn") });
        reload();
      })],
    ], attached, "No managed policies attached."),
    form("Attach a policy", [field("Policy ARN", "arn", { required: true,
      placeholder: "arn:aws:iam::123456789012:policy/Name" })], "Attach", async ({ arn }) => {
      await client.iam(`Attach${k.Name}Policy`, { ...id, PolicyArn: arn });
      reload();
    })];
  });
}

const EXAMPLE_POLICY = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow",
  Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::example-bucket/*"] }] }, null, 2);

function inlinePolicies(client, kind, name) {
  const k = KINDS[kind];
  const id = { [k.param]: name };
  return section("Inline policies", "inline policies", async (reload) => {
    const names = (await client.iamAll(`List${k.Name}Policies`, id, "PolicyNames")).map((m) => m.textContent);
    const docs = await Promise.all(names.map((n) => client.iam(`Get${k.Name}Policy`, { ...id, PolicyName: n })));
    const editors = names.map((n, i) => h("details", { class: "inline-policy" }, h("summary", {}, n),
      form(`Edit ${n}`, [policyEditor("Policy document", "document", prettyPolicy(text(docs[i], "PolicyDocument")))],
        "Save", async ({ document }) => {
          await client.iam(`Put${k.Name}Policy`, { ...id, PolicyName: n, PolicyDocument: document });
          return "Saved.";
        }),
      actionButton(`Delete ${n}`, async () => {
        await client.iam(`Delete${k.Name}Policy`, { ...id, PolicyName: n });
        reload();
      }, { confirmText: `Delete the inline policy ${n}?`, className: "danger" })));
    return [names.length ? editors : h("p", { class: "empty" }, "No inline policies."),
      form("Add an inline policy", [field("Policy name", "policyName", { required: true }),
        policyEditor("Policy document", "document", EXAMPLE_POLICY)], "Add policy",
      async ({ policyName, document }) => {
        await client.iam(`Put${k.Name}Policy`, { ...id, PolicyName: policyName, PolicyDocument: document });
        reload();
      })];
  });
}

function boundary(client, kind, name, entity) {
  const k = KINDS[kind];
  const id = { [k.param]: name };
  const current = text(entity, "PermissionsBoundaryArn");
  const [node, reload] = section("Permissions boundary", "boundary", async () => [
    h("p", {}, current ? ["Boundary: ", h("code", {}, current)] : "No permissions boundary."),
    form("Set the boundary", [field("Managed policy ARN", "arn", { required: true, value: current })], "Set boundary",
      async ({ arn }) => { await client.iam(`Put${k.Name}PermissionsBoundary`, { ...id, PermissionsBoundary: arn });
        return "Boundary set; reload the page to see it."; }),
    current ? actionButton("Remove boundary", async () => {
      await client.iam(`Delete${k.Name}PermissionsBoundary`, id);
      return "Removed.";
    }) : null,
  ]);
  return [node, reload];
}

function accessKeys(client, name) {
  return section("Access keys", "access keys", async (reload) => {
    const keys = await client.iamAll("ListAccessKeys", { UserName: name }, "AccessKeyMetadata");
    const shown = h("div", { class: "secret-once", hidden: true, "data-dismissable": true, role: "region",
      "aria-label": "New access key" });
    return [table("Access keys", [
      ["Access key ID", (m) => h("code", {}, text(m, "AccessKeyId"))],
      ["Status", (m) => text(m, "Status")],
      ["Created", (m) => formatTime(text(m, "CreateDate"))],
      ["", (m) => h("span", { class: "row-actions" },
        actionButton(text(m, "Status") === "Active" ? "Deactivate" : "Activate", async () => {
          await client.iam("UpdateAccessKey", { UserName: name, AccessKeyId: text(m, "AccessKeyId"),
            Status: text(m, "Status") === "Active" ? "Inactive" : "Active" });
          reload();
        }),
        actionButton("Delete", async () => {
          await client.iam("DeleteAccessKey", { UserName: name, AccessKeyId: text(m, "AccessKeyId") });
          reload();
        }, { confirmText: `Delete ${text(m, "AccessKeyId")}?`, className: "danger" }))],
    ], keys, "No access keys."),
    actionButton("Create access key", async () => {
      const doc = await client.iam("CreateAccessKey", { UserName: name });
      // Shown once, here, and kept nowhere: the console does not store it.
      replace(shown, h("h3", {}, "New access key — copy the secret now, it is not shown again"),
        h("p", {}, "Access key ID: ", h("code", { class: "new-key-id" }, text(doc, "AccessKeyId"))),
        h("p", {}, "Secret access key: ", h("code", { class: "new-key-secret" }, text(doc, "SecretAccessKey"))),
        h("button", { type: "button", onclick: () => { replace(shown); shown.hidden = true; reload(); } }, "Done"));
      shown.hidden = false;
      shown.querySelector("button").focus();
    }), shown];
  });
}

function groupsOfUser(client, name) {
  return section("Groups", "groups", async (reload) => {
    const groups = await client.iamAll("ListGroupsForUser", { UserName: name }, "Groups");
    return [table("Groups", [
      ["Group", (g) => h("a", { href: href("group", text(g, "GroupName")) }, text(g, "GroupName"))],
      ["", (g) => actionButton("Remove", async () => {
        await client.iam("RemoveUserFromGroup", { UserName: name, GroupName: text(g, "GroupName") });
        reload();
      })],
    ], groups, "In no group."),
    form("Add to a group", [field("Group name", "group", { required: true })], "Add", async ({ group }) => {
      await client.iam("AddUserToGroup", { UserName: name, GroupName: group });
      reload();
    })];
  });
}

function deleteButton(ctx, kind, name) {
  const k = KINDS[kind];
  return actionButton(`Delete ${kind}`, async () => {
    await ctx.client.iam(`Delete${k.Name}`, { [k.param]: name });
    ctx.navigate(`#/iam/${k.route}`);
  }, { confirmText: `Delete the ${kind} ${name}? IAM refuses while it still has keys, policies or members.`,
    className: "danger" });
}

// Loads the entity, then shows its sections one under another, each loading on its own.
async function entityPage(main, ctx, kind, name, sections) {
  const k = KINDS[kind];
  const head = h("div");
  replace(main, h("h1", {}, `${k.Name}: ${name}`), h("p", {}, h("a", { href: `#/iam/${k.route}` }, `All ${k.list.toLowerCase()}`)), head);
  await view(head, kind, async () => {
    const doc = await ctx.client.iam(`Get${k.Name}`, { [k.param]: name });
    const entity = kind === "group" ? doc : doc.getElementsByTagNameNS("*", k.Name)[0];
    const parts = sections(entity, doc);
    queueMicrotask(() => parts.forEach(([, reload]) => reload?.()));
    return [h("dl", { class: "facts" }, h("dt", {}, "ARN"), h("dd", {}, h("code", {}, text(entity, "Arn"))),
      h("dt", {}, "Created"), h("dd", {}, formatTime(text(entity, "CreateDate")))),
    parts.map(([node]) => node), deleteButton(ctx, kind, name)];
  });
}

export function renderUser(main, ctx, name) {
  const { client } = ctx;
  return entityPage(main, ctx, "user", name, (user) => [accessKeys(client, name), groupsOfUser(client, name),
    attachedPolicies(client, "user", name), inlinePolicies(client, "user", name), boundary(client, "user", name, user)]);
}

export function renderGroup(main, ctx, name) {
  const { client } = ctx;
  return entityPage(main, ctx, "group", name, (group, doc) => [
    [h("section", { class: "card", "aria-label": "Members" }, h("h2", {}, "Members"),
      table("Members", [["User", (u) => h("a", { href: href("user", text(u, "UserName")) }, text(u, "UserName"))]],
        members(doc.documentElement, "Users"), "No members."))],
    attachedPolicies(client, "group", name), inlinePolicies(client, "group", name)]);
}

function trustPolicy(client, name, role) {
  return section("Trust policy", "trust policy", async () => [
    form("", [policyEditor("Who may assume this role", "document", prettyPolicy(text(role, "AssumeRolePolicyDocument")))],
      "Save trust policy", async ({ document }) => {
        await client.iam("UpdateAssumeRolePolicy", { RoleName: name, PolicyDocument: document });
        return "Saved.";
      })]);
}

export function renderRole(main, ctx, name) {
  const { client } = ctx;
  return entityPage(main, ctx, "role", name, (role) => [
    [h("p", {}, `Maximum session duration: ${text(role, "MaxSessionDuration") || "3600"} s. `,
      h("a", { href: `#/sessions?role=${encodeURIComponent(name)}` }, "Live sessions of this role"))],
    trustPolicy(client, name, role), attachedPolicies(client, "role", name), inlinePolicies(client, "role", name),
    boundary(client, "role", name, role)]);
}
