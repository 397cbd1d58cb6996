// kura migrate (migrate/migration.h) at the store level: a data dir written through the SQLite
// and file stores moved into a fresh PostgreSQL schema and RADOS namespace (the `postgres` and
// `rados` CTest fixtures), read back through the target stores, and the refusals.
#include "migrate/migration.h"

#include <gtest/gtest.h>

#include "api/root_credentials.h"
#include "common/encoding.h"
#include "iam/secret_sealer.h"
#include "migrate/verification.h"
#include "node/account_credential_files.h"
#include "node/data_dir_node_state.h"
#include "node/document_key_ring.h"
#include "node/document_node_state.h"
#include "node/node_documents.h"
#include "store/postgres/postgres_metadata_store.h"
#include "store/rados/rados_blob_store.h"
#include "store/sqlite/db.h"
#include "sts/token_key_ring.h"
#include "tests/store/postgres_test_db.h"
#include "tests/store/rados_test_env.h"
#include "tests/store/store_test_util.h"

namespace kura::migrate {
namespace {

namespace fs = std::filesystem;
using store::BlobRef;
using store::ObjectRecord;
using namespace store::testing;  // NOLINT(google-build-using-namespace): test helpers

std::string Bytes(size_t n, char seed) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>(seed + i * 31 + i / 977);
  return out;
}

void Quiet(std::string_view) {}

class MigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KURA_SKIP_WITHOUT_RADOS();
    if (auto reason = PostgresSkipReason()) GTEST_SKIP() << *reason;
    auto schema = PostgresSchema::Create();
    ASSERT_TRUE(schema) << schema.error().message;
    schema_ = std::move(*schema);
    rados_ = *TestRadosOptions();
    Fill();
  }

  MigrationOptions Options() const {
    MigrationOptions options;
    options.data_dir = dir_.path() / "data";
    options.metadata = schema_->url();
    options.blobs =
        "rados://" + rados_.pool + "?conf=" + rados_.conf_path + "&namespace=" + rados_.name_space;
    options.secrets_key_file = dir_.path() / "data" / "secrets.key";
    return options;
  }

  // Two buckets: a versioned one with three versions of a key (one large, one small), a delete
  // marker and a large completed multipart object; a plain one with an upload in progress.
  void Fill() {
    fs::path data = dir_.path() / "data";
    auto opened = store::OpenDataDir(data);
    ASSERT_TRUE(opened) << opened.error().message;
    store::Store& st = *opened;
    ASSERT_TRUE(CreateBucketSync(*st.metadata, Bucket("versioned")));
    ASSERT_TRUE(SetVersioningSync(*st.metadata, "versioned", store::VersioningState::kEnabled));
    ASSERT_TRUE(CreateBucketSync(*st.metadata, Bucket("plain")));
    for (int i = 0; i < 3; ++i) {
      std::string data_bytes = Bytes(i == 1 ? 200 * 1024 : 100 + i, static_cast<char>('a' + i));
      auto blob = WriteBlob(*st.blobs, data_bytes);
      ASSERT_TRUE(blob);
      ObjectRecord v = Version("versioned", "doc", "v" + std::to_string(i), data_bytes);
      v.blob = *blob;
      v.user_metadata = {{"n", std::to_string(i)}};
      v.tags = {{"t", "x"}};
      v.last_modified = FromUnixSeconds(1700000100 + i);
      ASSERT_TRUE(PutVersionSync(*st.metadata, v));
      large_ = i == 1 ? data_bytes : large_;
    }
    store::DeleteRequest marker;
    marker.bucket = "versioned";
    marker.key = "doc";
    marker.marker_version_id = "marker";
    marker.lock.now = FromUnixSeconds(1700000200);
    ASSERT_TRUE(DeleteVersionSync(*st.metadata, marker));

    // A completed multipart object (kParts) and an upload in progress with two parts.
    std::vector<store::PartRecord> parts;
    for (int n = 1; n <= 2; ++n) {
      auto blob = WriteBlob(*st.blobs, Bytes(70 * 1024, static_cast<char>(n)),
                            store::Placement::kAlwaysFile);
      ASSERT_TRUE(blob);
      parts.push_back({.part_number = n,
                       .size = blob->size,
                       .etag = "p" + std::to_string(n),
                       .last_modified = FromUnixSeconds(1700000300),
                       .checksum_value = "",
                       .blob = *blob});
    }
    store::UploadRecord upload;
    upload.upload_id = "upload-1";
    upload.initiated = FromUnixSeconds(1700000300);
    upload.object = Object("plain", "pending");
    upload.object.user_metadata = {{"state", "open"}};
    ASSERT_TRUE(CreateUploadSync(*st.metadata, upload));
    for (const auto& part : parts) ASSERT_TRUE(PutPartSync(*st.metadata, "upload-1", part));
    ASSERT_TRUE(PutDocumentsSync(*st.metadata, {{"iam", "state", std::string("{\"users\":[]}")},
                                                {"kms.key", "k1", std::string("sealed")}}));

    // The node state files, as kura serve leaves them.
    SecureRandom random;
    node::DataDirNodeState state(data, random);
    auto account = state.LoadOrCreateAccountId();
    ASSERT_TRUE(account);
    account_ = *account;
    ASSERT_TRUE(api::LoadOrCreateSecretsKey(data, random));
    ASSERT_TRUE(state.OpenTokenKeyRing(FromUnixSeconds(1700000000)));
    node::AccountCredentialFiles members(data);
    ASSERT_TRUE(members.Write("210987654321", "AKIAMIGRATEMEMBER001",
                              Secret("memberSecret0123456789abcdefghijklmnopqr")));
    ASSERT_TRUE(
        api::WritePrivateFile(data / "root-credentials",
                              "AKIAMIGRATEROOT00001\nmigrateRootSecret0123456789abcdefghijklm\n"));
  }

  TempDir dir_;
  std::unique_ptr<PostgresSchema> schema_;
  store::rados::RadosOptions rados_;
  std::string large_;
  std::string account_;
};

TEST_F(MigrationTest, CopiesEverythingAndItsCheckFindsNoDifference) {
  auto report = Migrate(Options(), Quiet);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->mismatches.empty()) << report->mismatches.front();
  EXPECT_EQ(report->rows.buckets, 2);
  EXPECT_EQ(report->rows.versions, 4u);
  EXPECT_EQ(report->rows.delete_markers, 1u);
  EXPECT_EQ(report->rows.uploads, 1u);
  EXPECT_EQ(report->rows.parts, 2u);
  EXPECT_EQ(report->rows.documents, 2u);
  EXPECT_EQ(report->blobs, 3u);  // the large version and two parts
  EXPECT_TRUE(report->root_credentials);
  EXPECT_TRUE(report->token_keys);
  EXPECT_EQ(report->member_accounts, 1);

  // The target serves the bytes and the node state.
  auto target = store::postgres::PostgresMetadataStore::Open(schema_->url());
  ASSERT_TRUE(target);
  auto blobs = store::rados::RadosBlobStore::Open(rados_);
  ASSERT_TRUE(blobs);
  auto large = (*target)->GetObject("versioned", "doc", std::string("v1"));
  ASSERT_TRUE(large);
  ASSERT_EQ(large->blob.kind, BlobRef::Kind::kFile);
  auto reader = (*blobs)->Open(large->blob);
  ASSERT_TRUE(reader);
  std::string read(large_.size(), '\0');
  auto n = (*reader)->ReadAt(0, std::span<char>(read.data(), read.size()));
  ASSERT_TRUE(n);
  EXPECT_EQ(read, large_);
  auto latest = (*target)->GetObject("versioned", "doc", std::nullopt);
  ASSERT_TRUE(latest);
  EXPECT_TRUE(latest->is_delete_marker);

  SecureRandom random;
  auto key = api::LoadSecretsKeyFile(Options().secrets_key_file);
  ASSERT_TRUE(key);
  auto sealer = iam::SecretSealer::Create(std::move(*key), random);
  ASSERT_TRUE(sealer);
  node::DocumentNodeState shared(**target, *sealer, random);
  auto account = shared.LoadOrCreateAccountId();
  ASSERT_TRUE(account);
  EXPECT_EQ(*account, account_);
  auto root = shared.LoadOrCreateRootCredentials();
  ASSERT_TRUE(root);
  EXPECT_EQ(root->access_key_id, "AKIAMIGRATEROOT00001");
  EXPECT_FALSE(root->newly_created);
  auto member = node::AccountCredentialDocuments(**target, *sealer).Read("210987654321");
  ASSERT_TRUE(member) << member.error().message;
  EXPECT_EQ(member->access_key_id, "AKIAMIGRATEMEMBER001");
  EXPECT_EQ(member->secret_key.Reveal(), "memberSecret0123456789abcdefghijklmnopqr");
  auto ring = shared.OpenTokenKeyRing(FromUnixSeconds(1700000000));
  ASSERT_TRUE(ring) << ring.error().message;
}

TEST_F(MigrationTest, RefusesATargetThatHoldsData) {
  ASSERT_TRUE(Migrate(Options(), Quiet));
  auto again = Migrate(Options(), Quiet);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(again.error().message.find("already holds data"), std::string::npos);
}

TEST_F(MigrationTest, RefusesWhileAServerHoldsTheDataDir) {
  auto serving = store::OpenDataDir(dir_.path() / "data");
  ASSERT_TRUE(serving);
  auto refused = Migrate(Options(), Quiet);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("in use by a running kura"), std::string::npos);
}

TEST_F(MigrationTest, RefusesASecretsKeyThatIsNotTheDataDirs) {
  MigrationOptions options = Options();
  options.secrets_key_file = dir_.path() / "other.key";
  ASSERT_TRUE(api::WritePrivateFile(options.secrets_key_file, std::string(32, 'k')));
  auto refused = Migrate(options, Quiet);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("not the data dir's secrets key"), std::string::npos);
}

TEST_F(MigrationTest, TheCheckReportsWhatDiffers) {
  ASSERT_TRUE(Migrate(Options(), Quiet));
  ASSERT_TRUE(schema_->admin().Run(
      "UPDATE object_versions SET etag = 'changed'::bytea WHERE version_id = 'v0'::bytea"));
  ASSERT_TRUE(schema_->admin().Run("DELETE FROM documents WHERE kind = 'kms.key'::bytea"));
  auto source = store::sqlite::Db::OpenReadOnly(dir_.path() / "data" / "meta.db");
  ASSERT_TRUE(source);
  auto target = store::postgres::PostgresMetadataStore::Open(schema_->url());
  ASSERT_TRUE(target);
  std::vector<std::string> mismatches;
  VerifyMetadata(**source, **target, mismatches);
  ASSERT_EQ(mismatches.size(), 2u);
  EXPECT_NE(mismatches[0].find("s3://versioned/doc version v0: ETag differs"), std::string::npos)
      << mismatches[0];
  EXPECT_NE(mismatches[1].find("document kms.key/k1"), std::string::npos) << mismatches[1];
}

}  // namespace
}  // namespace kura::migrate
