// One-time setup, run with kura's root (or an admin's) credentials in the environment
// (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). It creates, idempotently:
//   - the bucket and its CORS configuration (the page's origin may PUT, POST, GET, HEAD and DELETE,
//     and read the ETag header, which multipart uploads need),
//   - the role the backend assumes for each user: it trusts only the backend's IAM user and may
//     at most read and write under uploads/ (each session narrows that to one user's prefix),
//   - the backend's IAM user, allowed nothing but sts:AssumeRole on that role, and a new access key
//     for it (older keys of that user are deleted),
// and writes config.json (mode 0600) for server.mjs. Usage:
//   node setup.mjs --endpoint http://127.0.0.1:9000 --origin http://127.0.0.1:8080 \
//     [--bucket upload-portal] [--region us-east-1] [--duration 900] [--config config.json]
import { chmodSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { S3Client, CreateBucketCommand, PutBucketCorsCommand } from "@aws-sdk/client-s3";
import {
  IAMClient, CreateUserCommand, PutUserPolicyCommand, CreateRoleCommand, UpdateAssumeRolePolicyCommand,
  PutRolePolicyCommand, ListAccessKeysCommand, DeleteAccessKeyCommand, CreateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";

const { values: opt } = parseArgs({
  options: {
    endpoint: { type: "string" },
    origin: { type: "string" },
    bucket: { type: "string", default: "upload-portal" },
    region: { type: "string", default: "us-east-1" },
    duration: { type: "string", default: "900" },
    config: { type: "string", default: "config.json" },
  },
});
if (!opt.endpoint || !opt.origin) {
  console.error("usage: node setup.mjs --endpoint URL --origin URL [--bucket NAME] [--duration SECONDS]");
  process.exit(2);
}
const BACKEND_USER = "upload-portal-backend";
const ROLE = "upload-portal-uploader";
const clientConfig = { endpoint: opt.endpoint, region: opt.region };
const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
const iam = new IAMClient(clientConfig);
const sts = new STSClient(clientConfig);

// Runs a create call; "already exists" is fine (the setup may run again).
async function ensure(client, command, alreadyExists) {
  try {
    return await client.send(command);
  } catch (err) {
    if (err.name !== alreadyExists) throw err;
    return null;
  }
}
const policy = (statements) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const { Account: account } = await sts.send(new GetCallerIdentityCommand({}));
const userArn = `arn:aws:iam::${account}:user/${BACKEND_USER}`;
const roleArn = `arn:aws:iam::${account}:role/${ROLE}`;

// 1. The bucket, and CORS so that the page (served from opt.origin) may talk to kura directly.
await ensure(s3, new CreateBucketCommand({ Bucket: opt.bucket }), "BucketAlreadyOwnedByYou");
await s3.send(new PutBucketCorsCommand({
  Bucket: opt.bucket,
  CORSConfiguration: {
    CORSRules: [{
      AllowedOrigins: [opt.origin],
      AllowedMethods: ["GET", "PUT", "POST", "HEAD", "DELETE"],  // DELETE: aborting a failed upload
      AllowedHeaders: ["*"],          // the SDK signs with authorization, x-amz-*, content-type…
      ExposeHeaders: ["ETag"],        // lib-storage reads each part's ETag to complete the upload
      MaxAgeSeconds: 600,
    }],
  },
}));

// 2. The backend's IAM user: its only right is to assume the role.
await ensure(iam, new CreateUserCommand({ UserName: BACKEND_USER }), "EntityAlreadyExists");
await iam.send(new PutUserPolicyCommand({
  UserName: BACKEND_USER,
  PolicyName: "assume-upload-role-only",
  PolicyDocument: policy([{ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn }]),
}));

// 3. The role: trusted by the backend's user only; the ceiling of what any session may do.
const trust = policy([{ Effect: "Allow", Principal: { AWS: userArn }, Action: "sts:AssumeRole" }]);
const created = await ensure(iam, new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: trust }),
  "EntityAlreadyExists");
if (!created) await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: ROLE, PolicyDocument: trust }));
await iam.send(new PutRolePolicyCommand({
  RoleName: ROLE,
  PolicyName: "uploads-prefix",
  PolicyDocument: policy([
    {
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: `arn:aws:s3:::${opt.bucket}/uploads/*`,
    },
    {
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: `arn:aws:s3:::${opt.bucket}`,
      Condition: { StringLike: { "s3:prefix": "uploads/*" } },
    },
  ]),
}));

// 4. A fresh access key for the backend (older ones are deleted: this is also how to rotate it).
const { AccessKeyMetadata: oldKeys = [] } = await iam.send(new ListAccessKeysCommand({ UserName: BACKEND_USER }));
for (const k of oldKeys) {
  await iam.send(new DeleteAccessKeyCommand({ UserName: BACKEND_USER, AccessKeyId: k.AccessKeyId }));
}
const { AccessKey: key } = await iam.send(new CreateAccessKeyCommand({ UserName: BACKEND_USER }));

// 5. The backend's configuration. The secret stays in this file, readable by its owner only.
const config = {
  endpoint: opt.endpoint,
  region: opt.region,
  bucket: opt.bucket,
  origin: opt.origin,
  roleArn,
  credentialSeconds: Number(opt.duration),
  accessKeyId: key.AccessKeyId,
  secretAccessKey: key.SecretAccessKey,
};
writeFileSync(opt.config, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
chmodSync(opt.config, 0o600);  // also when the file was there before
console.log(`bucket ${opt.bucket}, role ${roleArn}, backend user ${userArn}; wrote ${opt.config}`);
