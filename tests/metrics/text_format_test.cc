#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "metrics/text_format.h"

namespace kura::metrics {
namespace {

TEST(EscapeLabelValue, EscapesBackslashQuoteAndNewlineOnly) {
  EXPECT_EQ(EscapeLabelValue(R"(a\b"c)" "\n" "d\te"), R"(a\\b\"c\nd)" "\te");
  EXPECT_EQ(EscapeLabelValue("plain"), "plain");
}

TEST(EscapeHelp, EscapesBackslashAndNewlineButNotQuotes) {
  EXPECT_EQ(EscapeHelp("a\\b\n\"c\""), "a\\\\b\\n\"c\"");
}

TEST(FormatValue, WritesIntegersInFullAndOthersShortest) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(12345678901), "12345678901");
  EXPECT_EQ(FormatValue(0.0005), "0.0005");
  EXPECT_EQ(FormatValue(2.5), "2.5");
  EXPECT_EQ(FormatValue(-1.5), "-1.5");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatValue(std::nan("")), "NaN");
  EXPECT_EQ(std::stod(FormatValue(1e300)), 1e300);
}

TEST(TextWriter, WritesHelpTypeAndSamplesWithEscapedLabels) {
  TextWriter out;
  out.Family("kura_x_total", "Things\nand \\ more.", MetricType::kCounter);
  out.Sample("kura_x_total", {}, 3);
  out.Sample("kura_x_total", {{"a", "1"}, {"b", "q\"\\\n"}}, 0.25);
  EXPECT_EQ(out.text(),
            "# HELP kura_x_total Things\\nand \\\\ more.\n"
            "# TYPE kura_x_total counter\n"
            "kura_x_total 3\n"
            "kura_x_total{a=\"1\",b=\"q\\\"\\\\\\n\"} 0.25\n");
}

}  // namespace
}  // namespace kura::metrics
