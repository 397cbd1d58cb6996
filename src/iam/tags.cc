// Tag/Untag/List{User,Role,Policy}Tags. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html
// Keys are unique case-insensitively; tagging an existing key replaces its value; at most 50.
#include "iam/entity_kinds.h"
#include "iam/iam_entities.h"
#include "iam/iam_handlers.h"

namespace kura::iam::handlers {
namespace {

constexpr size_t kMaxTagsPerEntity = 50;

// Where the tagged entity lives: its map and key, from the call's parameters.
struct TagTarget {
  std::string resource;  // the ARN to authorize
  std::string display;   // for NoSuchEntity
  std::string key;       // map key, or "" when missing
};

Result<void> MergeTags(std::vector<Tag>& tags, const std::vector<Tag>& add) {
  for (const Tag& t : add) {
    auto it = std::find_if(tags.begin(), tags.end(),
                           [&](const Tag& x) { return NameKey(x.key) == NameKey(t.key); });
    if (it != tags.end()) {
      it->value = t.value;
    } else {
      tags.push_back(t);
    }
  }
  if (tags.size() > kMaxTagsPerEntity) {
    return MakeError(ErrorCode::kLimitExceeded, "Cannot exceed quota for TagsPerEntity: 50");
  }
  return Ok();
}

void RemoveTags(std::vector<Tag>& tags, const std::vector<std::string>& keys) {
  for (const std::string& k : keys) {
    std::erase_if(tags, [&](const Tag& t) { return NameKey(t.key) == NameKey(k); });
  }
}

// One entity kind's tag operations; Find returns the entity's tags in a state, or null.
template <typename T>
struct NamedTags {
  static Result<std::string> Name(const IamCall& call) {
    return call.Name(EntityKind<T>::kParam, EntityKind<T>::kMember, EntityKind<T>::kMaxName);
  }
  static std::string Resource(const IamCall& call, const std::string& name) {
    return EntityResource<T>(call.snapshot(), name);
  }
  static std::vector<Tag>* Edit(IdentityState& s, const std::string& name) {
    auto& map = EntityKind<T>::Map(s);
    std::string key = NameKey(name);
    if (map.count(key) == 0) return nullptr;
    return &iam::Edit(map, key).tags;
  }
  static const std::vector<Tag>* Find(const IdentitySnapshot& snap, const std::string& name) {
    const T* e = FindEntity<T>(snap, name);
    return e == nullptr ? nullptr : &e->tags;
  }
  static Error Missing(const std::string& name) { return NoSuchEntity(EntityKind<T>::kNoun, name); }
};

struct PolicyTags {
  static Result<std::string> Name(const IamCall& call) {
    return call.Required("PolicyArn", "policyArn");
  }
  static std::string Resource(const IamCall&, const std::string& arn) { return arn; }
  static std::vector<Tag>* Edit(IdentityState& s, const std::string& arn) {
    const ManagedPolicy* p = FindPolicyIn(s, arn);
    if (p == nullptr) return nullptr;
    return &iam::Edit(s.policies, NameKey(p->name)).tags;
  }
  static const std::vector<Tag>* Find(const IdentitySnapshot& snap, const std::string& arn) {
    const ManagedPolicy* p = snap.FindPolicy(arn);
    return p == nullptr ? nullptr : &p->tags;
  }
  static Error Missing(const std::string& arn) { return NoSuchPolicy(arn); }
};

template <typename Ops>
net::awaitable<Result<std::string>> TagEntity(IamCall& call) {
  auto name = Ops::Name(call);
  if (!name) co_return name.error();
  auto tags = call.Tags();
  if (!tags) co_return tags.error();
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::vector<Tag>* current = Ops::Edit(s, *name);
    if (current == nullptr) return Ops::Missing(*name);
    return MergeTags(*current, *tags);
  }));
  co_return call.Empty();
}

template <typename Ops>
net::awaitable<Result<std::string>> UntagEntity(IamCall& call) {
  auto name = Ops::Name(call);
  if (!name) co_return name.error();
  std::vector<std::string> keys = call.List("TagKeys");
  KURA_CO_TRY(co_await call.Apply([&](IdentityState& s) -> Result<void> {
    std::vector<Tag>* current = Ops::Edit(s, *name);
    if (current == nullptr) return Ops::Missing(*name);
    RemoveTags(*current, keys);
    return Ok();
  }));
  co_return call.Empty();
}

template <typename Ops>
net::awaitable<Result<std::string>> ListEntityTags(IamCall& call) {
  auto name = Ops::Name(call);
  if (!name) co_return name.error();
  const std::vector<Tag>* tags = Ops::Find(call.snapshot(), *name);
  if (tags == nullptr) co_return Ops::Missing(*name);
  auto& w = call.Start();
  WriteTags(w, *tags);
  w.Bool("IsTruncated", false);
  co_return call.Finish();
}

}  // namespace

net::awaitable<Result<std::string>> TagUser(IamCall& c) { return TagEntity<NamedTags<User>>(c); }
net::awaitable<Result<std::string>> UntagUser(IamCall& c) { return UntagEntity<NamedTags<User>>(c); }
net::awaitable<Result<std::string>> ListUserTags(IamCall& c) { return ListEntityTags<NamedTags<User>>(c); }
net::awaitable<Result<std::string>> TagRole(IamCall& c) { return TagEntity<NamedTags<Role>>(c); }
net::awaitable<Result<std::string>> UntagRole(IamCall& c) { return UntagEntity<NamedTags<Role>>(c); }
net::awaitable<Result<std::string>> ListRoleTags(IamCall& c) { return ListEntityTags<NamedTags<Role>>(c); }
net::awaitable<Result<std::string>> TagPolicy(IamCall& c) { return TagEntity<PolicyTags>(c); }
net::awaitable<Result<std::string>> UntagPolicy(IamCall& c) { return UntagEntity<PolicyTags>(c); }
net::awaitable<Result<std::string>> ListPolicyTags(IamCall& c) { return ListEntityTags<PolicyTags>(c); }

}  // namespace kura::iam::handlers
