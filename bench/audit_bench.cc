// What the audit trail costs a request: building its CloudTrail record (an assumed-role session's
// PutObject, the richest common shape) and handing it to the writer's queue. The writer thread
// writes to /dev/null here, so the enqueue is measured, not the disk. Disabled, nothing is built.
#include <benchmark/benchmark.h>

#include "api/audit_log.h"
#include "api/audit_record.h"
#include "common/time_format.h"

namespace kura::api {
namespace {

Principal SessionPrincipal() {
  Principal p;
  p.type = PrincipalType::kAssumedRole;
  p.account_id = "111122223333";
  p.user_id = "AROAEXAMPLEROLEID0001:app-session";
  p.arn = "arn:aws:sts::111122223333:assumed-role/uploader/app-session";
  p.access_key_id = "ASIAEXAMPLEKEYID0001";
  p.session = SessionInfo{};
  p.session->role_id = "AROAEXAMPLEROLEID0001";
  p.session->role_arn = "arn:aws:iam::111122223333:role/uploader";
  p.session->role_name = "uploader";
  p.session->session_name = "app-session";
  p.session->issued_at = *ParseIso8601("2026-12-03T04:00:00Z");
  return p;
}

struct Fixture {
  Principal principal = SessionPrincipal();
  AuditParams params = {
      {"bucketName", "photos"}, {"Host", "127.0.0.1:9000"}, {"key", "2026/12/03/img-0001.jpg"}};
  SecureRandom random;
  std::string request_id = "17E3A1B2C3D4E5F6";

  std::string Render() {
    std::string event_id = NewEventId(random);
    AuditEvent e{
        .time = std::chrono::system_clock::now(),
        .event_id = event_id,
        .request_id = request_id,
        .principal = &principal,
        .api = "s3",
        .operation = "PutObject",
        .region = "us-east-1",
        .source_ip = "127.0.0.1",
        .user_agent =
            "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.2",
        .request_parameters = &params,
        .bucket = "photos",
        .key = "2026/12/03/img-0001.jpg",
        .signature_version = "SigV4",
        .authentication_method = "AuthHeader",
        .bytes_in = 4096};
    return RenderCloudTrailRecord(e);
  }
};

void BM_BuildRecord(benchmark::State& state) {
  Fixture f;
  for (auto _ : state) benchmark::DoNotOptimize(f.Render());
  state.counters["bytes"] = static_cast<double>(f.Render().size());
}
BENCHMARK(BM_BuildRecord);

void BM_BuildAndEnqueue(benchmark::State& state) {
  Fixture f;
  auto log = AuditLog::Open({.file = {.path = "/dev/null"}});
  if (!log) {
    state.SkipWithError("cannot open /dev/null");
    return;
  }
  for (auto _ : state) (*log)->Record([&] { return f.Render(); });
  state.counters["dropped"] = static_cast<double>((*log)->dropped_records());
  state.counters["writes"] = static_cast<double>((*log)->writes());
}
BENCHMARK(BM_BuildAndEnqueue);

void BM_Disabled(benchmark::State& state) {
  Fixture f;
  AuditLog off;
  for (auto _ : state) off.Record([&] { return f.Render(); });
}
BENCHMARK(BM_Disabled);

}  // namespace
}  // namespace kura::api
