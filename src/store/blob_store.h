// Object bytes. A BlobWriter takes an object's bytes as they stream in, in bounded memory, and
// Seal() makes them durable: small objects (≤ kInlineThreshold) come back as inline bytes for the
// metadata row; larger ones are written to a temporary file, fsynced, renamed to a path made from
// a random id (never the object key), and the directory fsynced. Until the metadata naming a
// sealed blob commits, a crash leaves it an orphan, which the store sweeps after it next opens.
//
// Lifecycle of a PUT: writer = NewWriter(); Append()...; ref = Seal(); MetadataStore::PutObject
// (ref inside the record); on failure of the metadata write, Delete(ref); on success, Delete()
// the replaced blob that PutObject returned.
//
// Thread-safety: BlobStore is thread-safe. A BlobWriter or BlobReader is used by one thread at a
// time. Readers stay valid after Delete() of their blob (POSIX unlink semantics).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/append_target.h"
#include "common/error.h"
#include "store/records.h"

namespace kura::store {

class BlobWriter : public AppendTarget {
 public:
  virtual ~BlobWriter() = default;  // without a successful Seal(), discards everything written
  // Buffers up to kInlineThreshold bytes in memory; beyond, spills to a temporary file. May
  // block while the disk is behind the writer (a file writer keeps two 1 MiB writes in flight).
  Result<void> Append(std::string_view bytes) override = 0;
  // Appending without a copy: PrepareAppend() is memory for the next bytes (valid until the next
  // call on the writer; a file-backed writer hands out its staging buffer), then CommitAppend(n)
  // appends its first n bytes. This default stages in a scratch buffer and calls Append.
  Result<std::span<char>> PrepareAppend() override;
  Result<void> CommitAppend(size_t n) override;
  // Makes the bytes durable and returns their reference. Call at most once.
  virtual Result<BlobRef> Seal() = 0;
  uint64_t size() const override = 0;  // bytes appended so far

 private:
  std::string scratch_;  // the default PrepareAppend's memory
};

class BlobReader {
 public:
  virtual ~BlobReader() = default;
  virtual uint64_t size() const = 0;
  // An open descriptor holding exactly the blob's bytes (for sendfile), or -1 (inline, parts).
  virtual int fd() const = 0;
  // Reads up to out.size() bytes at offset; returns 0 only at or past the end.
  virtual Result<size_t> ReadAt(uint64_t offset, std::span<char> out) = 0;
};

enum class Placement {
  kInlineIfSmall,  // objects: inline when ≤ kInlineThreshold
  kAlwaysFile,     // multipart parts: always a file, so Complete can reference it
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  std::unique_ptr<BlobWriter> NewWriter() { return NewWriterFor(Placement::kInlineIfSmall); }
  virtual std::unique_ptr<BlobWriter> NewWriterFor(Placement placement) = 0;
  // kNoSuchKey if the blob is gone (e.g. deleted by an overwrite after the caller read the
  // metadata: read the metadata again).
  virtual Result<std::unique_ptr<BlobReader>> Open(const BlobRef& ref) = 0;
  // Removes the blob's files (no-op for inline). Best effort: a failure leaves an orphan that
  // the next start sweeps.
  virtual void Delete(const BlobRef& ref) = 0;
  // Removes every stored blob that `referenced(id)` denies and that this store did not create
  // since it opened (those may be sealed but not yet committed); returns how many. Safe while
  // writers run: `referenced` must reflect the metadata as of some time after the store opened.
  // Stores without files of their own have nothing to sweep.
  virtual Result<int> RemoveUnreferenced(const std::function<bool(const std::string&)>& referenced) {
    (void)referenced;
    return 0;
  }
};

}  // namespace kura::store
