#include "migrate/migration.h"

#include <rados/librados.h>

#include "api/root_credentials.h"
#include "common/random.h"
#include "iam/secret_sealer.h"
#include "migrate/node_state_copy.h"
#include "migrate/verification.h"
#include "store/fs/fs_blob_store.h"
#include "store/open_store.h"
#include "store/postgres/pg_schema.h"
#include "store/postgres/pg_sql.h"
#include "store/postgres/postgres_metadata_store.h"
#include "store/rados/rados_blob_store.h"
#include "store/rados/rados_options.h"
#include "store/sqlite/migrations.h"

namespace kura::migrate {
namespace {

namespace fs = std::filesystem;
namespace pg = store::postgres;

Error Refuse(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message));
}

Result<void> CheckLocations(const MigrationOptions& options) {
  store::StoreLocations locations{options.metadata, options.blobs};
  KURA_TRY(store::CheckStoreLocations(locations));
  if (!store::SharesMetadata(locations)) return Refuse("--to must be a postgresql:// URL");
  if (store::KeepsBlobFiles(locations)) return Refuse("--blobs must be a rados:// URL");
  return Ok();
}

// The source's blob store, holding DATA/LOCK: refuses while a kura serve has the data dir.
Result<std::unique_ptr<store::FsBlobStore>> LockSource(const fs::path& data_dir) {
  std::error_code ec;
  if (!fs::exists(data_dir / "meta.db", ec)) {
    return Refuse(data_dir.string() + " holds no meta.db: not a kura data dir");
  }
  auto blobs = store::FsBlobStore::Open(data_dir);
  if (!blobs && blobs.error().message.find("in use") != std::string::npos) {
    return Refuse("data dir " + data_dir.string() +
                  " is in use by a running kura (it holds DATA/LOCK): stop kura serve first");
  }
  return blobs;
}

Result<std::unique_ptr<store::sqlite::Db>> OpenSourceDb(const fs::path& data_dir) {
  auto db = store::sqlite::Db::OpenReadOnly(data_dir / "meta.db");
  if (!db) return db.error();
  auto stmt = (*db)->Prepare("SELECT max(version) FROM schema_version");
  if (!stmt) return stmt.error();
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  int version = *row ? static_cast<int>((*stmt)->Int(0)) : 0;
  if (version != store::sqlite::LatestSchemaVersion()) {
    return Refuse(data_dir.string() + "/meta.db has schema version " + std::to_string(version) +
                  ", this kura " + std::to_string(store::sqlite::LatestSchemaVersion()) +
                  ": start this kura's kura serve on the data dir once (it upgrades the schema), "
                  "stop it, and migrate again");
  }
  return db;
}

// The shared secrets key, which must be the one the data dir's IAM secrets are sealed with.
Result<Secret> OpenSecretsKey(const MigrationOptions& options) {
  if (options.secrets_key_file.empty()) {
    return Refuse("--secrets-key-file is required: the key every shared node is started with");
  }
  auto key = api::LoadSecretsKeyFile(options.secrets_key_file);
  if (!key && key.error().code == ErrorCode::kNoSuchEntity) {
    return Refuse("--secrets-key-file " + options.secrets_key_file.string() + " does not exist");
  }
  if (!key) return key.error();
  fs::path own = options.data_dir / "secrets.key";
  if (std::error_code ec; fs::exists(own, ec)) {
    auto source = api::LoadSecretsKeyFile(own);
    if (!source) return source.error();
    if (source->Reveal() != key->Reveal()) {
      return Refuse("--secrets-key-file " + options.secrets_key_file.string() +
                    " is not the data dir's secrets key: the IAM secrets in it are sealed with " +
                    own.string() + "; copy that file (mode 0600) and pass the copy");
    }
  }
  return key;
}

Result<void> CheckTargetMetadataEmpty(pg::PgConnection& conn) {
  auto counts = conn.Exec(
      "SELECT (SELECT count(*) FROM buckets), (SELECT count(*) FROM objects) + "
      "(SELECT count(*) FROM object_versions), (SELECT count(*) FROM uploads), "
      "(SELECT count(*) FROM documents)");
  if (!counts) return counts.error();
  pg::PgRow row = counts->row(0);
  if (row.Int(0) + row.Int(1) + row.Int(2) + row.Int(3) == 0) return Ok();
  return Refuse("the target PostgreSQL schema already holds data (" + std::to_string(row.Int(0)) +
                " buckets, " + std::to_string(row.Int(1)) + " object versions, " +
                std::to_string(row.Int(2)) + " uploads, " + std::to_string(row.Int(3)) +
                " documents): kura migrate only moves a data dir into an empty schema, and never "
                "merges");
}

Result<void> CheckTargetBlobsEmpty(store::rados::RadosBlobStore& blobs) {
  rados_list_ctx_t list = nullptr;
  int rc = rados_nobjects_list_open(blobs.io(), &list);
  if (rc < 0) return MakeError(ErrorCode::kInternalError, "cannot list the RADOS pool");
  const char* name = nullptr;
  rc = rados_nobjects_list_next(list, &name, nullptr, nullptr);
  rados_nobjects_list_close(list);
  if (rc == 0) {
    return Refuse("the target RADOS pool " + blobs.options().pool +
                  (blobs.options().name_space.empty()
                       ? std::string()
                       : " (namespace " + blobs.options().name_space + ")") +
                  " already holds objects: kura migrate only moves a data dir into an empty one");
  }
  return Ok();
}

// Every row, the node state documents, one transaction.
Result<RowCounts> CopyAll(store::sqlite::Db& source, pg::PgConnection& target, BlobCopier& blobs,
                          const NodeStateFiles& node_state) {
  KURA_TRY(target.Run("BEGIN"));
  auto copied = CopyRows(source, target, blobs);
  Result<void> done = copied ? Ok() : Result<void>(copied.error());
  for (const auto& document : node_state.documents) {
    if (!done) break;
    done =
        target.Exec(pg::sql::kPutDocument,
                    pg::PgParams().Bytes(document.kind).Bytes(document.id).Bytes(*document.value))
            ? Ok()
            : Result<void>(MakeError(ErrorCode::kInternalError, "cannot write node state"));
  }
  if (done) done = target.Run("COMMIT");
  if (!done) {
    if (!target.broken()) (void)target.Run("ROLLBACK");
    return done.error();
  }
  return copied;
}

}  // namespace

Result<MigrationReport> Migrate(const MigrationOptions& options,
                                const std::function<void(std::string_view)>& progress) {
  KURA_TRY(CheckLocations(options));
  auto source_blobs = LockSource(options.data_dir);
  if (!source_blobs) return source_blobs.error();
  auto source = OpenSourceDb(options.data_dir);
  if (!source) return source.error();
  auto key = OpenSecretsKey(options);
  if (!key) return key.error();
  SecureRandom random;
  auto sealer = iam::SecretSealer::Create(std::move(*key), random);
  if (!sealer) return sealer.error();
  auto node_state = ReadNodeState(options.data_dir, *sealer);
  if (!node_state) return node_state.error();

  progress("checking the target is empty");
  pg::PgSettings settings;
  settings.url = options.metadata;
  auto conn = pg::PgConnection::Connect(settings);
  if (!conn) return conn.error();
  KURA_TRY(pg::MigratePgSchema(**conn));
  KURA_TRY(CheckTargetMetadataEmpty(**conn));
  auto rados_options = store::rados::ParseRadosUrl(options.blobs);
  if (!rados_options) return rados_options.error();
  auto target_blobs = store::rados::RadosBlobStore::Open(*rados_options);
  if (!target_blobs) return target_blobs.error();
  KURA_TRY(CheckTargetBlobsEmpty(**target_blobs));

  progress("copying buckets, object versions, uploads, documents and node state");
  BlobCopier blobs(**source_blobs, **target_blobs);
  auto rows = CopyAll(**source, **conn, blobs, *node_state);
  if (!rows) {
    blobs.DeleteCopies();
    return rows.error();
  }
  MigrationReport report;
  report.rows = *rows;
  report.blobs = blobs.blobs();
  report.blob_bytes = blobs.bytes();
  report.root_credentials = node_state->root_credentials;
  report.token_keys = node_state->token_keys;
  report.member_accounts = node_state->member_accounts;

  progress("verifying: version listings, blobs re-read from RADOS, documents, node state");
  auto target = pg::PostgresMetadataStore::Open(options.metadata, pg::PostgresOptions{});
  if (!target) return target.error();
  VerifyMetadata(**source, **target, report.mismatches);
  blobs.Verify(report.mismatches);
  VerifyNodeState(options.data_dir, **target, *sealer, report.mismatches);
  return report;
}

}  // namespace kura::migrate
