#include "store/open_store.h"

#include "store/fs/fs_blob_store.h"
#include "store/postgres/postgres_metadata_store.h"
#include "store/rados/rados_blob_store.h"
#include "store/rados/rados_options.h"

namespace kura::store {
namespace {

bool IsPostgresUrl(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

bool IsRadosUrl(std::string_view url) { return url.starts_with("rados://"); }

Result<std::unique_ptr<BlobStore>> OpenBlobs(const std::filesystem::path& data_dir,
                                             const std::string& location, OpenStats* stats) {
  if (IsRadosUrl(location)) {
    auto options = rados::ParseRadosUrl(location);
    if (!options) return options.error();
    auto opened = rados::RadosBlobStore::Open(*options);
    if (!opened) return opened.error();
    return std::unique_ptr<BlobStore>(std::move(opened).value());
  }
  auto opened = FsBlobStore::Open(data_dir);
  if (!opened) return opened.error();
  auto temp_files = (*opened)->RemoveTempFiles();
  if (!temp_files) return temp_files.error();
  if (stats) stats->temp_files_removed = *temp_files;
  return std::unique_ptr<BlobStore>(std::move(opened).value());
}

}  // namespace

Result<std::unique_ptr<MetadataStore>> OpenMetadataStore(const std::filesystem::path& data_dir,
                                                         const std::string& location,
                                                         sqlite::SqliteOptions options) {
  if (IsPostgresUrl(location)) {
    // Several nodes may serve one schema: each follows the others' configuration changes
    // (node/config_follower.h), so PostgresOptions::single_node stays off.
    auto opened = postgres::PostgresMetadataStore::Open(
        location, postgres::PostgresOptions{.reader_connections = kSharedMetadataReads});
    if (!opened) return opened.error();
    return std::unique_ptr<MetadataStore>(std::move(opened).value());
  }
  auto opened = sqlite::SqliteMetadataStore::Open(data_dir / "meta.db", std::move(options));
  if (!opened) return opened.error();
  return std::unique_ptr<MetadataStore>(std::move(opened).value());
}

Result<void> CheckStoreLocations(const StoreLocations& locations) {
  if (locations.metadata != "sqlite" && !IsPostgresUrl(locations.metadata)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--metadata must be 'sqlite' or a postgresql:// URL");
  }
  if (locations.blobs != "files" && !IsRadosUrl(locations.blobs)) {
    return MakeError(ErrorCode::kInvalidArgument, "--blobs must be 'files' or a rados:// URL");
  }
  if (IsRadosUrl(locations.blobs)) {
    if (auto parsed = rados::ParseRadosUrl(locations.blobs); !parsed) return parsed.error();
  }
  return Ok();
}

bool SharesMetadata(const StoreLocations& locations) { return IsPostgresUrl(locations.metadata); }

bool KeepsBlobFiles(const StoreLocations& locations) { return !IsRadosUrl(locations.blobs); }

Result<Store> OpenStore(const std::filesystem::path& data_dir, const StoreLocations& locations,
                        sqlite::SqliteOptions sqlite_options, OpenStats* stats) {
  KURA_TRY(CheckStoreLocations(locations));
  auto blobs = OpenBlobs(data_dir, locations.blobs, stats);
  if (!blobs) return blobs.error();
  auto metadata = OpenMetadataStore(data_dir, locations.metadata, std::move(sqlite_options));
  if (!metadata) return metadata.error();
  return Store{std::move(blobs).value(), std::move(metadata).value()};
}

}  // namespace kura::store
