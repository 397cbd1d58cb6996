#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "console/assets.h"

namespace kura::console {
std::span<const Asset> TestAssets();  // generated from testdata/assets (see CMakeLists.txt)

namespace {
namespace fs = std::filesystem;

const fs::path kTestData = KURA_CONSOLE_TESTDATA;

TEST(IsSafeAssetPath, AcceptsPlainRelativePaths) {
  EXPECT_TRUE(IsSafeAssetPath("index.html"));
  EXPECT_TRUE(IsSafeAssetPath("js/app.js"));
  EXPECT_TRUE(IsSafeAssetPath("a-b_c/d.e.f"));
}

TEST(IsSafeAssetPath, RefusesTraversalAbsoluteHiddenAndOddBytes) {
  for (std::string_view bad : {"", "..", "../etc/passwd", "js/../../x", "/etc/passwd", "js//app.js",
                               "js/", ".git/config", "js/.hidden", "a\\b", "a%2e%2e/b", "a b",
                               "./index.html"}) {
    EXPECT_FALSE(IsSafeAssetPath(bad)) << bad;
  }
  EXPECT_FALSE(IsSafeAssetPath(std::string_view("a\0b", 3)));
  EXPECT_FALSE(IsSafeAssetPath(std::string(256, 'a')));
  EXPECT_TRUE(IsSafeAssetPath(std::string(255, 'a')));
}

TEST(EmbeddedAssets, TheBuildStepEmbedsEveryFileOfTheDirectorySortedWithItsBytes) {
  auto table = TestAssets();
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(table[0].path, "empty.txt");
  EXPECT_EQ(table[1].path, "index.html");
  EXPECT_EQ(table[2].path, "js/app.js");
  EXPECT_EQ(table[2].bytes, "console.log(\"hi\");\n");
  EXPECT_EQ(table[0].bytes.size(), 0u);
}

TEST(EmbeddedAssetSource, FindsByPathWithTheSameEtagAsTheSameFileOnDisk) {
  EmbeddedAssetSource embedded(TestAssets());
  auto disk = DirectoryAssetSource::Open(kTestData / "assets");
  ASSERT_TRUE(disk);
  auto a = embedded.Find("index.html");
  auto b = (*disk)->Find("index.html");
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_EQ(a->bytes(), "<!doctype html><title>kura</title>\n");
  EXPECT_EQ(a->bytes(), b->bytes());
  EXPECT_EQ(a->etag, b->etag);
  EXPECT_EQ(a->etag.size(), 34u);
  EXPECT_EQ(a->etag.front(), '"');
  EXPECT_FALSE(embedded.Find("nope.js"));
  EXPECT_FALSE(embedded.Find("js"));
  EXPECT_FALSE(embedded.Find("../assets/index.html"));
  auto empty = embedded.Find("empty.txt");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->bytes(), "");
}

TEST(EmbeddedAssetSource, AnEmptyTableFindsNothing) {
  EmbeddedAssetSource none({});
  EXPECT_FALSE(none.Find("index.html"));
}

class DirectoryAssetSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("kura-console-test-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "site" / "js");
    fs::create_directories(root_ / "private");
    Write(root_ / "site" / "index.html", "home");
    Write(root_ / "site" / "js" / "app.js", "js");
    Write(root_ / "private" / "key.pem", "SECRET");
    fs::create_symlink(root_ / "private" / "key.pem", root_ / "site" / "link.pem");
    fs::create_directory_symlink(root_ / "private", root_ / "site" / "dir");
    fs::create_symlink(root_ / "site" / "js" / "app.js", root_ / "site" / "inside.js");
  }
  void TearDown() override { fs::remove_all(root_); }
  static void Write(const fs::path& path, std::string_view bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
  }
  fs::path root_;
};

TEST_F(DirectoryAssetSourceTest, ServesFilesUnderTheDirectory) {
  auto source = DirectoryAssetSource::Open(root_ / "site");
  ASSERT_TRUE(source);
  auto index = (*source)->Find("index.html");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->bytes(), "home");
  auto js = (*source)->Find("js/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->bytes(), "js");
}

TEST_F(DirectoryAssetSourceTest, RefusesSymlinksOutOfTheDirectoryButFollowsOnesInside) {
  auto source = DirectoryAssetSource::Open(root_ / "site");
  ASSERT_TRUE(source);
  EXPECT_FALSE((*source)->Find("link.pem"));
  EXPECT_FALSE((*source)->Find("dir/key.pem"));
  auto inside = (*source)->Find("inside.js");
  ASSERT_TRUE(inside);
  EXPECT_EQ(inside->bytes(), "js");
}

TEST_F(DirectoryAssetSourceTest, RefusesTraversalDirectoriesAndMissingFiles) {
  auto source = DirectoryAssetSource::Open(root_ / "site");
  ASSERT_TRUE(source);
  EXPECT_FALSE((*source)->Find("../private/key.pem"));
  EXPECT_FALSE((*source)->Find("js/../../private/key.pem"));
  EXPECT_FALSE((*source)->Find("js"));
  EXPECT_FALSE((*source)->Find("missing.html"));
  EXPECT_EQ((*source)->Find("../private/key.pem").error().code, ErrorCode::kNoSuchKey);
}

TEST_F(DirectoryAssetSourceTest, OpenRefusesWhatIsNotADirectory) {
  EXPECT_FALSE(DirectoryAssetSource::Open(root_ / "site" / "index.html"));
  EXPECT_FALSE(DirectoryAssetSource::Open(root_ / "absent"));
}

TEST(ContentTypeFor, NamesTheTypeByExtension) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("js/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a/style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("font.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("a.js/README"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("x.exe"), "application/octet-stream");
}

}  // namespace
}  // namespace kura::console
