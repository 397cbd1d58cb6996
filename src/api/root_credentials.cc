#include "api/root_credentials.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/encoding.h"
#include "common/ids.h"

namespace kura::api {
namespace {
namespace fs = std::filesystem;

constexpr size_t kSecretsKeyBytes = 32;  // AES-256

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kInternalError, "cannot read " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<void> SyncDirectory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return MakeError(ErrorCode::kInternalError, "cannot open " + dir.string());
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return MakeError(ErrorCode::kInternalError, "cannot fsync " + dir.string());
  return Ok();
}
}  // namespace

Result<void> WritePrivateFile(const fs::path& path, std::string_view contents) {
  fs::path temp = path;
  temp += ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return MakeError(ErrorCode::kInternalError, "cannot create " + temp.string());
  bool ok = ::write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size()) &&
            ::fchmod(fd, 0600) == 0 && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return MakeError(ErrorCode::kInternalError, "cannot write " + path.string());
  }
  return SyncDirectory(path.parent_path().empty() ? fs::path(".") : path.parent_path());
}

Result<RootCredentials> LoadOrCreateRootCredentials(const fs::path& data_dir, Random& random) {
  const char* env_key = std::getenv("KURA_ROOT_ACCESS_KEY");
  const char* env_secret = std::getenv("KURA_ROOT_SECRET_KEY");
  if (env_key && env_secret && *env_key && *env_secret) {
    return RootCredentials{env_key, Secret(env_secret), false};
  }
  fs::path path = data_dir / "root-credentials";
  if (fs::exists(path)) {
    auto text = ReadFile(path);
    if (!text) return text.error();
    std::istringstream in(*text);
    std::string key, secret;
    in >> key >> secret;
    if (key.empty() || secret.empty()) {
      return MakeError(ErrorCode::kInternalError, path.string() + " is malformed");
    }
    return RootCredentials{key, Secret(secret), false};
  }
  RootCredentials created{NewId(random, IdPrefix::kAccessKey), Secret(NewSecretKey(random)), true};
  std::string contents = created.access_key_id + "\n" + std::string(created.secret_key.Reveal()) + "\n";
  KURA_TRY(WritePrivateFile(path, contents));
  return created;
}

Result<std::string> LoadOrCreateAccountId(const fs::path& data_dir, Random& random) {
  fs::path path = data_dir / "account-id";
  if (fs::exists(path)) {
    auto text = ReadFile(path);
    if (!text) return text.error();
    std::string id = text->substr(0, text->find('\n'));
    if (id.size() != 12) return MakeError(ErrorCode::kInternalError, path.string() + " is malformed");
    return id;
  }
  std::string id = NewAccountId(random);
  KURA_TRY(WritePrivateFile(path, id + "\n"));
  return id;
}

Result<Secret> LoadOrCreateSecretsKey(const fs::path& data_dir, Random& random) {
  return LoadOrCreateSecretsKeyFile(data_dir / "secrets.key", random);
}

Result<Secret> LoadSecretsKeyFile(const fs::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    return MakeError(ErrorCode::kNoSuchEntity, "there is no secrets key file " + path.string());
  }
  if (!S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
    return MakeError(ErrorCode::kInternalError,
                     path.string() + " must be a regular file only its owner can read (0600)");
  }
  auto key = ReadFile(path);
  if (!key) return key.error();
  if (key->size() != kSecretsKeyBytes) {
    OPENSSL_cleanse(key->data(), key->size());
    return MakeError(ErrorCode::kInternalError, path.string() + " is not 32 bytes long");
  }
  return Secret(std::move(*key));
}

Result<Secret> LoadOrCreateSecretsKeyFile(const fs::path& path, Random& random) {
  auto existing = LoadSecretsKeyFile(path);
  if (existing || existing.error().code != ErrorCode::kNoSuchEntity) return existing;
  std::string key(kSecretsKeyBytes, '\0');
  random.Fill({reinterpret_cast<uint8_t*>(key.data()), key.size()});
  Secret secret(std::move(key));
  KURA_TRY(WritePrivateFile(path, secret.Reveal()));
  return secret;
}

RootCredentialResolver::RootCredentialResolver(RootCredentials root, std::string account_id)
    : root_(std::move(root)) {
  auto principal = std::make_shared<Principal>();
  principal->type = PrincipalType::kRoot;
  principal->account_id = account_id;
  principal->arn = "arn:aws:iam::" + account_id + ":root";
  principal->user_id = account_id;
  principal->access_key_id = root_.access_key_id;
  principal_ = std::move(principal);
}

Result<sigv4::ResolvedCredential> RootCredentialResolver::Resolve(std::string_view access_key_id,
                                                                   std::string_view session_token) const {
  if (session_token.empty() && ConstantTimeEquals(access_key_id, root_.access_key_id)) {
    return sigv4::ResolvedCredential{root_.secret_key, principal_};
  }
  return MakeError(ErrorCode::kInvalidAccessKeyId);
}

}  // namespace kura::api
