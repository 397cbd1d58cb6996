#include "metrics/storage_metrics.h"

#include <sys/statvfs.h>

#include <system_error>

namespace kura::metrics {

void AddStorageMetrics(Registry& registry, std::filesystem::path data_dir,
                       std::vector<std::filesystem::path> metadata_files) {
  registry.AddCollector([data_dir = std::move(data_dir),
                         files = std::move(metadata_files)](TextWriter& out) {
    double metadata = 0;
    for (const auto& file : files) {
      std::error_code ec;
      auto size = std::filesystem::file_size(file, ec);
      if (!ec) metadata += static_cast<double>(size);  // a WAL may be absent: 0
    }
    out.Family("kura_metadata_bytes", "Size of the metadata database files (SQLite and its WAL).",
               MetricType::kGauge);
    out.Sample("kura_metadata_bytes", {}, metadata);
    struct statvfs fs {};
    if (::statvfs(data_dir.c_str(), &fs) != 0) return;
    double block = static_cast<double>(fs.f_frsize);
    out.Family("kura_data_dir_filesystem_size_bytes", "Size of the data dir's file system.",
               MetricType::kGauge);
    out.Sample("kura_data_dir_filesystem_size_bytes", {}, block * static_cast<double>(fs.f_blocks));
    out.Family("kura_data_dir_filesystem_available_bytes",
               "Space kura may still write on the data dir's file system (statvfs f_bavail).",
               MetricType::kGauge);
    out.Sample("kura_data_dir_filesystem_available_bytes", {}, block * static_cast<double>(fs.f_bavail));
  });
}

}  // namespace kura::metrics
