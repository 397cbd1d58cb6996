#include "s3/blob_io.h"
#include "s3/names.h"
#include "s3/object_handlers.h"
#include "s3/response.h"
#include "store/awaitable.h"

namespace kura::s3 {

net::awaitable<Result<void>> DeleteObject(S3Env& env, S3Call& call) {
  KURA_CO_TRY(ValidateObjectKey(call.request.key));
  auto removed = co_await store::StoreWrite<std::optional<store::BlobRef>>([&](auto done) {
    env.metadata.DeleteObject(call.request.bucket, call.request.key, std::move(done));
  });
  if (!removed) co_return removed.error();
  if (*removed) DeleteBlobLater(env, std::move(**removed));
  co_return co_await RespondEmpty(call, NewHead(call, bhttp::status::no_content));
}

}  // namespace kura::s3
