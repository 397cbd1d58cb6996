#include "store/rados/rados_blob_store.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <ctime>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/encoding.h"
#include "store/rados/rados_blob_reader.h"
#include "store/rados/rados_blob_writer.h"
#include "store/rados/rados_io.h"
#include "store/rados/rados_layout.h"

namespace kura::store::rados {
namespace {

// The client-side timeouts that turn an unreachable monitor or OSD into an error: connecting
// (authentication with a monitor), monitor commands, and every OSD operation.
constexpr const char* kTimeoutOptions[] = {"client_mount_timeout", "rados_mon_op_timeout",
                                           "rados_osd_op_timeout"};

// How the client notices that an OSD came back elsewhere. An OSD that restarts (same host, same
// port, new instance) is in a newer OSD map; librados asks the monitor for one only when its
// periodic tick (objecter_tick_interval, default 5 s) finds an operation "laggy" (older than
// objecter_timeout, default 10 s). With operations timing out sooner than that, none ever looks
// laggy, the old map stays, and every operation goes to the dead instance until kura restarts
// (seen in tests/e2e/test_cluster_faults.py with timeout=5). So: tick every second, and call an
// operation laggy at half the timeout (at most librados's 10 s).
Result<void> SetMapRefresh(rados_t cluster, std::chrono::seconds op_timeout) {
  auto laggy = std::clamp<int64_t>(op_timeout.count() / 2, 1, 10);
  std::pair<const char*, std::string> settings[] = {{"objecter_tick_interval", "1"},
                                                    {"objecter_timeout", std::to_string(laggy)}};
  for (const auto& [name, value] : settings) {
    if (int rc = rados_conf_set(cluster, name, value.c_str()); rc < 0) {
      return RadosError("set", name, rc);
    }
  }
  return Ok();
}

Result<void> Configure(rados_t cluster, const RadosOptions& options) {
  const char* conf = options.conf_path.empty() ? nullptr : options.conf_path.c_str();
  int rc = rados_conf_read_file(cluster, conf);
  if (rc < 0) return RadosError("read conf", options.conf_path, rc);
  std::string timeout = std::to_string(options.op_timeout.count());
  for (const char* name : kTimeoutOptions) {
    rc = rados_conf_set(cluster, name, timeout.c_str());
    if (rc < 0) return RadosError("set", name, rc);
  }
  return SetMapRefresh(cluster, options.op_timeout);
}

// Removes `names` in parallel and waits for all; failures are left to the next sweep.
void RemoveObjects(rados_ioctx_t io, const std::vector<std::string>& names) {
  std::vector<std::unique_ptr<AioCompletion>> pending;
  for (const auto& name : names) {
    auto completion = std::make_unique<AioCompletion>();
    if (rados_aio_remove(io, name.c_str(), completion->get()) == 0) {
      pending.push_back(std::move(completion));
    }
  }
  for (auto& completion : pending) completion->Wait();
}

}  // namespace

Result<std::unique_ptr<RadosBlobStore>> RadosBlobStore::Open(const RadosOptions& options) {
  if (options.pool.empty()) return MakeError(ErrorCode::kInvalidArgument, "rados: no pool named");
  rados_t cluster = nullptr;
  int rc = rados_create(&cluster, options.user_id.c_str());
  if (rc < 0) return RadosError("create a handle for client.", options.user_id, rc);
  auto configured = Configure(cluster, options);
  if (!configured) {
    rados_shutdown(cluster);
    return configured.error();
  }
  rc = rados_connect(cluster);
  if (rc < 0) {
    rados_shutdown(cluster);
    return RadosError("connect to the cluster of", options.conf_path, rc);
  }
  rados_ioctx_t io = nullptr;
  rc = rados_ioctx_create(cluster, options.pool.c_str(), &io);
  if (rc < 0) {
    rados_shutdown(cluster);
    return RadosError("open pool", options.pool, rc);
  }
  rados_ioctx_set_namespace(io, options.name_space.empty() ? nullptr : options.name_space.c_str());
  return std::unique_ptr<RadosBlobStore>(new RadosBlobStore(options, cluster, io));
}

RadosBlobStore::~RadosBlobStore() {
  read_pool_.join();
  rados_ioctx_destroy(io_);
  rados_shutdown(cluster_);
}

std::string RadosBlobStore::NewBlobId() {
  std::vector<uint8_t> raw(kBlobIdHexChars / 2);
  std::lock_guard lock(random_mu_);
  random_.Fill(raw);
  std::string id = HexLower(raw);
  if (recording_new_ids_) new_ids_.insert(id);
  return id;
}

bool RadosBlobStore::IsNew(const std::string& id) {
  std::lock_guard lock(random_mu_);
  return new_ids_.contains(id);
}

std::unique_ptr<BlobWriter> RadosBlobStore::NewWriterFor(Placement placement) {
  return NewRadosBlobWriter(*this, placement);
}

Result<std::unique_ptr<BlobReader>> RadosBlobStore::Open(const BlobRef& ref) {
  return OpenRadosBlob(io_, ref, false);
}

Result<std::unique_ptr<BlobReader>> RadosBlobStore::OpenBounded(const BlobRef& ref) {
  return OpenRadosBlob(io_, ref, true);
}

void RadosBlobStore::PostRead(std::function<void()> job) {
  boost::asio::post(read_pool_, std::move(job));
}

void RadosBlobStore::RemoveStripes(const std::string& id, uint64_t stripes) {
  std::vector<std::string> names;
  for (uint64_t i = 0; i < stripes; ++i) names.push_back(StripeName(id, i));
  RemoveObjects(io_, names);
}

void RadosBlobStore::RemoveBlob(const std::string& id, uint64_t size) {
  auto stored = StoredSize(io_, id);
  uint64_t stripes = StripeCount(std::max(size, stored ? *stored : 0));
  // Stripe 0 goes last: a Delete cut short leaves the stored length for a retry to count by
  // (and the orphan sweep finds any stripe anyway).
  std::vector<std::string> names;
  for (uint64_t i = 1; i < stripes; ++i) names.push_back(StripeName(id, i));
  RemoveObjects(io_, names);
  RemoveObjects(io_, {StripeName(id, 0)});
}

void RadosBlobStore::Delete(const BlobRef& ref) {
  if (ref.kind == BlobRef::Kind::kFile) RemoveBlob(ref.id, ref.size);
  for (const auto& part : ref.parts) RemoveBlob(part.id, part.size);
}

bool RadosBlobStore::OutlivedGrace(const std::vector<std::string>& stripes) {
  time_t cutoff = std::time(nullptr) - static_cast<time_t>(options_.orphan_grace.count());
  for (const auto& name : stripes) {
    uint64_t size = 0;
    time_t mtime = 0;
    if (rados_stat(io_, name.c_str(), &size, &mtime) < 0 || mtime > cutoff) return false;
  }
  return true;
}

Result<int> RadosBlobStore::RemoveUnreferenced(
    const std::function<bool(const std::string&)>& referenced) {
  // Candidates are grouped by blob so that one young stripe (a write still running on another
  // node) spares all of its blob. Referenced blobs, the common case, cost no memory.
  std::map<std::string, std::vector<std::string>> candidates;
  rados_list_ctx_t list = nullptr;
  int rc = rados_nobjects_list_open(io_, &list);
  if (rc < 0) return RadosError("list pool", options_.pool, rc);
  const char* name = nullptr;
  while ((rc = rados_nobjects_list_next(list, &name, nullptr, nullptr)) == 0) {
    auto address = ParseStripeName(name);
    if (!address || referenced(address->id) || IsNew(address->id)) continue;
    candidates[address->id].emplace_back(name);
  }
  rados_nobjects_list_close(list);
  if (rc != -ENOENT) return RadosError("list pool", options_.pool, rc);
  int removed = 0;
  for (const auto& candidate : candidates) {
    const std::vector<std::string>& stripes = candidate.second;
    if (!OutlivedGrace(stripes)) continue;
    RemoveObjects(io_, stripes);
    ++removed;
  }
  std::lock_guard lock(random_mu_);
  recording_new_ids_ = false;
  new_ids_.clear();
  return removed;
}

}  // namespace kura::store::rados
