#include "policy/value_template.h"

#include <gtest/gtest.h>

namespace kura::policy {
namespace {

std::string Resolve(std::string_view text, const RequestContext& c, bool substitute = true) {
  std::string out;
  if (!ValueTemplate(text, substitute, false).ResolveString(c, out)) return "<unresolvable>";
  return out;
}

TEST(ValueTemplate, SubstitutesKeysCaseInsensitivelyWithDefaults) {
  RequestContext c;
  c.Set("aws:username", "alice");
  EXPECT_EQ(Resolve("home/${aws:username}/", c), "home/alice/");
  EXPECT_EQ(Resolve("${AWS:UserName}", c), "alice");
  EXPECT_EQ(Resolve("${aws:PrincipalTag/team, 'none'}", c), "none");
  EXPECT_EQ(Resolve("${aws:PrincipalTag/team,'a b'}", c), "a b");
  EXPECT_EQ(Resolve("${aws:PrincipalTag/team}", c), "<unresolvable>");
}

TEST(ValueTemplate, KeepsTextThatIsNotAVariable) {
  RequestContext c;
  EXPECT_EQ(Resolve("cost${", c), "cost${");
  EXPECT_EQ(Resolve("a${x, unquoted}b", c), "a${x, unquoted}b");
  EXPECT_EQ(Resolve("${aws:username}", c, /*substitute=*/false), "${aws:username}");
}

TEST(ValueTemplate, MultiValuedKeysCannotBeSubstituted) {
  RequestContext c;
  c.SetMulti("aws:TagKeys", {"a", "b"});
  EXPECT_EQ(Resolve("${aws:TagKeys}", c), "<unresolvable>");
}

TEST(ValueTemplate, SubstitutedValuesAreLiteralInGlobs) {
  RequestContext c;
  c.Set("aws:username", "a*");
  ValueTemplate t("arn:aws:s3:::b/${aws:username}/${*}/*", true, true);
  std::vector<PatternUnit> units;
  ASSERT_TRUE(t.ResolveUnits(c, units));
  EXPECT_TRUE(GlobMatch(units, "arn:aws:s3:::b/a*/*/anything"));
  EXPECT_FALSE(GlobMatch(units, "arn:aws:s3:::b/abc/*/anything"));
  EXPECT_FALSE(GlobMatch(units, "arn:aws:s3:::b/a*/x/anything"));
}

TEST(ValueTemplate, ManyUnclosedOpenersParseInLinearTime) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "${";
  ValueTemplate t(text, true, true);
  EXPECT_FALSE(t.has_variables());
}

}  // namespace
}  // namespace kura::policy
