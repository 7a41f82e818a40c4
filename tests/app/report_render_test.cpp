// `stepcoder report` as a user meets it, and the page as a browser draws it: headless Chromium
// dumps the DOM (every plot's polyline has as many points as its data-points says) and takes a
// screenshot whose plot colours are counted in the decoded PNG. Skipped without Chromium
// (scripts/install-deps.sh installs it).
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <sstream>

#include "tests/app/run_cli.h"
#include "tests/app/run_fixture.h"

namespace stepcoder {
namespace {

using testing::Outcome;
using testing::run_cli;
using testing::run_shell;

std::string find_chromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    std::istringstream path(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin");
    for (std::string dir; std::getline(path, dir, ':');)
      if (::access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
  }
  return "";
}

// An 8-bit RGB or RGBA PNG, non-interlaced (what Chromium writes), as rows of pixels.
struct Image {
  int width = 0, height = 0, channels = 0;
  std::vector<uint8_t> pixels;
  const uint8_t* at(int x, int y) const { return &pixels[(static_cast<size_t>(y) * width + x) * channels]; }
};

uint32_t be32(const std::string& s, size_t i) {
  return (uint32_t(uint8_t(s[i])) << 24) | (uint32_t(uint8_t(s[i + 1])) << 16) | (uint32_t(uint8_t(s[i + 2])) << 8) | uint8_t(s[i + 3]);
}

int paeth(int a, int b, int c) {
  int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

Expected<Image> decode_png(const std::string& png) {
  if (png.size() < 8 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return Error("not a PNG");
  Image img;
  std::string idat;
  for (size_t i = 8; i + 8 <= png.size();) {
    uint32_t len = be32(png, i);
    std::string type = png.substr(i + 4, 4);
    if (type == "IHDR") {
      img.width = static_cast<int>(be32(png, i + 8)), img.height = static_cast<int>(be32(png, i + 12));
      if (png[i + 16] != 8 || png[i + 20] != 0) return Error("unsupported bit depth or interlace");
      img.channels = png[i + 17] == 2 ? 3 : png[i + 17] == 6 ? 4 : 0;
      if (!img.channels) return Error("unsupported colour type");
    } else if (type == "IDAT") {
      idat += png.substr(i + 8, len);
    }
    i += 12 + len;
  }
  const size_t stride = static_cast<size_t>(img.width) * img.channels;
  std::vector<uint8_t> raw((stride + 1) * img.height);
  uLongf raw_len = raw.size();
  if (uncompress(raw.data(), &raw_len, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) != Z_OK || raw_len != raw.size())
    return Error("bad image data");
  img.pixels.resize(stride * img.height);
  for (int y = 0; y < img.height; ++y) {
    const uint8_t filter = raw[y * (stride + 1)];
    const uint8_t* in = &raw[y * (stride + 1) + 1];
    uint8_t* out = &img.pixels[y * stride];
    const uint8_t* up = y ? out - stride : nullptr;
    for (size_t x = 0; x < stride; ++x) {
      int a = x >= size_t(img.channels) ? out[x - img.channels] : 0, b = up ? up[x] : 0;
      int c = up && x >= size_t(img.channels) ? up[x - img.channels] : 0;
      int pred = filter == 1 ? a : filter == 2 ? b : filter == 3 ? (a + b) / 2 : filter == 4 ? paeth(a, b, c) : 0;
      out[x] = static_cast<uint8_t>(in[x] + pred);
    }
  }
  return img;
}

// Pixels within a small distance of colour `rgb` whose x lies in [x0, x1).
int count_colour(const Image& img, uint32_t rgb, int x0 = 0, int x1 = 1 << 30) {
  int n = 0;
  for (int y = 0; y < img.height; ++y)
    for (int x = x0; x < std::min(x1, img.width); ++x) {
      const uint8_t* p = img.at(x, y);
      int d = std::abs(p[0] - int(rgb >> 16)) + std::abs(p[1] - int((rgb >> 8) & 255)) + std::abs(p[2] - int(rgb & 255));
      n += d <= 30;
    }
  return n;
}

class ReportRenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::create("report-render");
    ASSERT_TRUE(d);
    dir_ = std::make_unique<TempDir>(std::move(*d));
    ASSERT_TRUE(make_dirs(dir_->file("run")));
    ASSERT_TRUE(testing::write_fixture_run(dir_->file("run")));
  }
  std::unique_ptr<TempDir> dir_;
};

TEST_F(ReportRenderTest, CliWritesTheReportAndRejectsBadInput) {
  Outcome o = run_cli("report " + dir_->file("run"));
  EXPECT_EQ(o.code, 0) << o.output;
  EXPECT_NE(o.output.find("wrote " + dir_->file("run") + "/report.html"), std::string::npos) << o.output;
  EXPECT_TRUE(file_exists(dir_->file("run") + "/report.html"));
  Outcome other = run_cli("report " + dir_->file("run") + " -o " + dir_->file("elsewhere.html"));
  EXPECT_EQ(other.code, 0) << other.output;
  EXPECT_TRUE(file_exists(dir_->file("elsewhere.html")));
  Outcome missing = run_cli("report " + dir_->file("nope"));
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.output.find("nope: no such run directory"), std::string::npos) << missing.output;
  ASSERT_TRUE(write_file_atomic(dir_->file("run") + "/metrics.jsonl", "{\"kind\":\"ppo\",\"step\":1}\nnot json\n"));
  Outcome corrupt = run_cli("report " + dir_->file("run"));
  EXPECT_EQ(corrupt.code, 2);
  EXPECT_NE(corrupt.output.find("metrics.jsonl:2:"), std::string::npos) << corrupt.output;
}

TEST_F(ReportRenderTest, ChromiumDrawsEveryPlot) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh installs it)";
  ASSERT_EQ(run_cli("report " + dir_->file("run")).code, 0);
  const std::string browser = chromium + " --headless --no-sandbox --disable-gpu --user-data-dir=" + dir_->file("profile") +
                              " --window-size=1200,3000 ";
  const std::string url = "file://" + dir_->file("run") + "/report.html";
  Outcome dom = run_shell(browser + "--dump-dom " + url + " 2>/dev/null");
  ASSERT_EQ(dom.code, 0);
  // The DOM as Chromium parsed it: every series polyline with as many points as it claims.
  std::regex poly("<polyline class=\"series\" data-series=\"([^\"]*)\" data-points=\"(\\d+)\"[^>]* points=\"([^\"]*)\"");
  int polylines = 0;
  for (std::sregex_iterator it(dom.output.begin(), dom.output.end(), poly), end; it != end; ++it, ++polylines) {
    std::istringstream pts((*it)[3].str());
    int pairs = 0;
    for (std::string p; pts >> p;) pairs += p.find(',') != std::string::npos;
    EXPECT_EQ(pairs, std::stoi((*it)[2].str())) << (*it)[1].str();
    if ((*it)[1].str() == "reward") {
      EXPECT_EQ(pairs, testing::kFixtureSteps);
    }
  }
  EXPECT_EQ(polylines, 23);
  EXPECT_EQ(dom.output.find("<script"), std::string::npos);
  Outcome shot = run_shell(browser + "--screenshot=" + dir_->file("shot.png") + " " + url + " 2>&1");
  ASSERT_EQ(shot.code, 0) << shot.output;
  auto png = read_file(dir_->file("shot.png"));
  ASSERT_TRUE(png) << png.error();
  auto img = decode_png(*png);
  ASSERT_TRUE(img) << img.error();
  ASSERT_EQ(img->width, 1200);
  // Plot lines in the palette's first colours, in both columns of plots.
  EXPECT_GT(count_colour(*img, 0x1f77b4, 0, 600), 500);
  EXPECT_GT(count_colour(*img, 0x1f77b4, 600, 1200), 500);
  EXPECT_GT(count_colour(*img, 0xd62728), 300);
  EXPECT_GT(count_colour(*img, 0x2ca02c), 100);
}

}  // namespace
}  // namespace stepcoder
