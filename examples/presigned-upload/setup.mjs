// One-time setup, run with kura's root (or an admin's) credentials in the environment
// (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). It creates, idempotently, the bucket and its CORS
// configuration (the page's origin may POST, PUT and GET), and an IAM user for the backend that
// may only put and get objects under uploads/ — a presigned URL carries its signer's rights, so
// this is all any URL the backend signs can ever do — with a new access key (older ones are
// deleted), and writes config.json (mode 0600) for server.mjs. Usage:
//   node setup.mjs --endpoint http://127.0.0.1:9000 --origin http://127.0.0.1:8081 \
//     [--bucket presigned-uploads] [--max-bytes 10485760] [--region us-east-1] [--config config.json]
import { chmodSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { S3Client, CreateBucketCommand, PutBucketCorsCommand } from "@aws-sdk/client-s3";
import {
  IAMClient, CreateUserCommand, PutUserPolicyCommand, ListAccessKeysCommand, DeleteAccessKeyCommand,
  CreateAccessKeyCommand,
} from "@aws-sdk/client-iam";

const { values: opt } = parseArgs({
  options: {
    endpoint: { type: "string" },
    origin: { type: "string" },
    bucket: { type: "string", default: "presigned-uploads" },
    region: { type: "string", default: "us-east-1" },
    "max-bytes": { type: "string", default: String(10 * 1024 * 1024) },
    config: { type: "string", default: "config.json" },
  },
});
if (!opt.endpoint || !opt.origin) {
  console.error("usage: node setup.mjs --endpoint URL --origin URL [--bucket NAME] [--max-bytes N]");
  process.exit(2);
}
const BACKEND_USER = "presigned-upload-backend";
const s3 = new S3Client({ endpoint: opt.endpoint, region: opt.region, forcePathStyle: true });
const iam = new IAMClient({ endpoint: opt.endpoint, region: opt.region });

async function ensure(client, command, alreadyExists) {
  try {
    await client.send(command);
  } catch (err) {
    if (err.name !== alreadyExists) throw err;
  }
}

await ensure(s3, new CreateBucketCommand({ Bucket: opt.bucket }), "BucketAlreadyOwnedByYou");
await s3.send(new PutBucketCorsCommand({
  Bucket: opt.bucket,
  CORSConfiguration: {
    CORSRules: [{
      AllowedOrigins: [opt.origin],
      AllowedMethods: ["GET", "PUT", "POST"],
      AllowedHeaders: ["*"],
      ExposeHeaders: ["ETag"],
      MaxAgeSeconds: 600,
    }],
  },
}));

await ensure(iam, new CreateUserCommand({ UserName: BACKEND_USER }), "EntityAlreadyExists");
await iam.send(new PutUserPolicyCommand({
  UserName: BACKEND_USER,
  PolicyName: "sign-uploads-only",
  PolicyDocument: JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: `arn:aws:s3:::${opt.bucket}/uploads/*` }],
  }),
}));
const { AccessKeyMetadata: oldKeys = [] } = await iam.send(new ListAccessKeysCommand({ UserName: BACKEND_USER }));
for (const k of oldKeys) {
  await iam.send(new DeleteAccessKeyCommand({ UserName: BACKEND_USER, AccessKeyId: k.AccessKeyId }));
}
const { AccessKey: key } = await iam.send(new CreateAccessKeyCommand({ UserName: BACKEND_USER }));

const config = {
  endpoint: opt.endpoint,
  region: opt.region,
  bucket: opt.bucket,
  origin: opt.origin,
  maxBytes: Number(opt["max-bytes"]),
  urlSeconds: 300,
  accessKeyId: key.AccessKeyId,
  secretAccessKey: key.SecretAccessKey,
};
writeFileSync(opt.config, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
chmodSync(opt.config, 0o600);
console.log(`bucket ${opt.bucket}, backend user ${BACKEND_USER}; wrote ${opt.config}`);
