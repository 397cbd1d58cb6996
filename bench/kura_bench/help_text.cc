// kura-bench --help: every workload and flag. Keep in step with cli.cc and bench/README.md.
#include "kura_bench/cli.h"

namespace kura::bench {

std::string HelpText() {
  return R"(kura-bench: load generator for S3 and STS (kura, or any S3-compatible server)

usage: kura-bench WORKLOAD [flags]
       kura-bench pattern --size N > file     write the object content (e.g. for nginx)

workloads:
  prepare      create --bucket and write --objects objects of --size (keys in order)
  put          PutObject on random keys of the key space
  get          GetObject on random keys; verifies size and CRC32C of the body (and the
               ETag when it is a plain MD5): a wrong body counts as an error
  head         HeadObject; verifies Content-Length
  list         ListObjectsV2 of --key-prefix, every page (--max-keys per page)
  delete       DeleteObject on random keys
  mixed        random operations by --mix weights (default get=70,put=20,delete=10)
  multipart    CreateMultipartUpload + UploadPart (--part-size) + CompleteMultipartUpload
  assume-role  STS AssumeRole calls (--role-arn), signed for service sts

server and credentials:
  --endpoint URL          http(s)://host:port (default http://127.0.0.1:9000)
  --access-key ID         default $AWS_ACCESS_KEY_ID
  --secret-key KEY        default $AWS_SECRET_ACCESS_KEY
  --session-token TOKEN   temporary credentials (default $AWS_SESSION_TOKEN)
  --anonymous             send S3 requests unsigned, as an anonymous caller (public objects)
  --assume-role ARN       call AssumeRole once at start and run the workload with the
                          temporary credentials (X-Amz-Security-Token)
  --role-arn ARN          the role of the assume-role workload (default: --assume-role)
  --role-session-name N   RoleSessionName (default kura-bench)
  --duration-seconds N    DurationSeconds of AssumeRole (default 3600)
  --region R              signing region (default us-east-1)
  --path-style            path-style addressing /bucket/key (the default and only style)
  --ca-file PEM           CA certificates for https (default: system roots)
  --insecure              do not verify the server's certificate

objects:
  --bucket B              (default kura-bench)
  --objects N             key space size (default 1000)
  --key-prefix P          keys are P0, P1, ... (default obj-)
  --size S                object size: 0, 4096, 4KiB, 1MiB, 1GiB, 10MB (default 4KiB)
  --part-size S           multipart part size (default 8MiB)
  --max-keys N            ListObjectsV2 page size (default 1000)
  --payload MODE          signed (x-amz-content-sha256 = SHA-256 of the body, precomputed
                          per size), unsigned (UNSIGNED-PAYLOAD), chunked (aws-chunked with
                          chunk signatures, STREAMING-AWS4-HMAC-SHA256-PAYLOAD)
  --chunk-size S          aws-chunked chunk size (default 64KiB)
  --sse AES256            SSE-S3: x-amz-server-side-encryption on PUT and CreateMultipartUpload
  --sse kms[:KEYID]       SSE-KMS with the aws/s3 key, or KEYID (id, ARN or alias)
  --sse-c                 SSE-C with a fixed key (the same every run) on PUT, UploadPart, GET
                          and HEAD; needs https, or kura serve --sse-c-over-http
  --range OFFSET:LENGTH   get: ask for these bytes (Range), e.g. 512MiB:1MiB; the reply must
                          be 206 with exactly those bytes of the content

load:
  --concurrency N         connections, spread over the threads (default 16)
  --threads N             event-loop threads (default 1)
  --rate R                open loop: R operations/s in total, latency measured from each
                          operation's intended start (no coordinated omission); due
                          operations that never got a connection are counted as "unsent"
                          errors. Without --rate: closed loop, each connection back to back
  --duration D            measured time: 10s, 500ms, 2m (default 10s)
  --warmup D              excluded warm-up before the measurement (default 2s)
  --requests N            stop after N measured operations (alone: --duration 0)

output:
  --json                  one JSON object on stdout instead of the table
  --no-progress           no live progress line (it is shown only when stdout is a tty)
  --server-pid P[,P...]   report the server's CPU-µs per operation (/proc/P/stat
                          utime+stime over the measured interval, summed over the pids)
  --help                  this text

Latency is per operation (a multipart upload or a paginated listing is one operation of
several requests); p50/p90/p99/p99.9/max from a log-linear histogram (<0.8 % error).
Errors are counted by HTTP status, "verify" (wrong size/checksum/ETag), "xml" (unparsable
reply), "net" (connect/reset/malformed HTTP), "unsent" (open loop backlog at the end).
)";
}

}  // namespace kura::bench
