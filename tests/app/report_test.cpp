// The run report as a library: what a fixture run directory draws (one polyline point per
// logged step, one band per category, one bar segment per phase and step), escaping of
// everything that comes from the run, and notes or errors for missing or corrupt pieces.
#include "report/run_report.h"

#include <gtest/gtest.h>

#include <cmath>

#include "report/gallery.h"
#include "report/html.h"
#include "report/svg_plot.h"
#include "tests/app/run_fixture.h"

namespace stepcoder::report {
namespace {

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + needle.size())) ++n;
  return n;
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::create("report-test");
    ASSERT_TRUE(d);
    dir_ = std::make_unique<TempDir>(std::move(*d));
  }
  std::unique_ptr<TempDir> dir_;
};

TEST_F(ReportTest, DrawsEveryCurveWithOnePointPerLoggedStep) {
  ASSERT_TRUE(testing::write_fixture_run(dir_->path()));
  auto run = load_run(dir_->path());
  ASSERT_TRUE(run) << run.error();
  EXPECT_EQ(run->ppo.size(), 7u);
  EXPECT_EQ(run->eval.size(), 3u);
  EXPECT_EQ(run->sft_train.size(), 3u);
  EXPECT_EQ(run->sft_eval.size(), 1u);
  EXPECT_EQ(run->episodes, 28);
  std::string html = render_report(*run);
  for (const char* s : {"reward", "task reward", "pass rate", "kl", "kept fraction", "entropy", "tokens/s"})
    EXPECT_EQ(count(html, std::string("data-series=\"") + s + "\" data-points=\"7\""), 1u) << s;
  EXPECT_EQ(count(html, "data-series=\"pass@1 valid\" data-points=\"2\""), 1u);
  EXPECT_EQ(count(html, "data-series=\"pass@1 test\" data-points=\"1\""), 1u);
  EXPECT_EQ(count(html, "data-series=\"train loss\" data-points=\"3\""), 1u);
  // 14 PPO curves, 2 held-out, 3 pass rate by stage + advances, 3 SFT.
  EXPECT_EQ(count(html, "<polyline class=\"series\""), 23u);
  EXPECT_EQ(count(html, "<polygon class=\"band\""), 4u + 3u);  // verdict mix + stages
  EXPECT_EQ(count(html, "data-category=\"stage 3\""), 1u);
  EXPECT_EQ(count(html, "<rect class=\"bar\""), 7u * 3u);  // steps x phases: not the step, not judge_busy
  EXPECT_EQ(count(html, "data-category=\"judge_busy\""), 0u);
  EXPECT_NE(html.find("<td class=\"l\">judge</td>"), std::string::npos);
  EXPECT_NE(html.find("eval.json"), std::string::npos);
  EXPECT_NE(html.find("33.3%"), std::string::npos);  // pass@1 of eval.json
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(count(html, "http"), count(html, "http://www.w3.org/2000/svg"));  // nothing fetched
}

TEST_F(ReportTest, EscapesEverythingThatComesFromTheRun) {
  ASSERT_TRUE(testing::write_fixture_run(dir_->path()));
  auto path = write_report(dir_->path());
  ASSERT_TRUE(path) << path.error();
  EXPECT_EQ(*path, dir_->path() + "/report.html");
  auto html = read_file(*path);
  ASSERT_TRUE(html);
  EXPECT_EQ(html->find("<script>"), std::string::npos);
  EXPECT_NE(html->find("// &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html->find("<b>runs/x</b>"), std::string::npos);
  EXPECT_NE(html->find("&lt;b&gt;runs/x&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html->find("add(1, 2) == 3 &amp; &lt;more&gt;"), std::string::npos);
}

TEST_F(ReportTest, GalleryShowsTheLastStepAndRecentEpisodesOfEachVerdict) {
  ASSERT_TRUE(testing::write_fixture_run(dir_->path()));
  auto run = load_run(dir_->path());
  ASSERT_TRUE(run) << run.error();
  ASSERT_EQ(run->gallery.size(), 5u);  // last step + 4 verdicts
  EXPECT_EQ(run->gallery[0].title, "Last step (7)");
  EXPECT_EQ(run->gallery[0].episodes.size(), 4u);
  for (size_t g = 1; g < run->gallery.size(); ++g) {
    ASSERT_EQ(run->gallery[g].episodes.size(), 3u) << run->gallery[g].title;
    EXPECT_EQ(run->gallery[g].episodes[0].step, 6) << "most recent not yet shown first";
    for (const auto& e : run->gallery[g].episodes) EXPECT_EQ("Recent: " + e.verdict, run->gallery[g].title);
  }
  std::string card = episode_html(testing::fixture_episode(7, 0));
  EXPECT_EQ(count(card, "class=\"ln "), 6u);  // 2 prompt lines + 4 completion lines
  EXPECT_EQ(count(card, "class=\"ln m-x\""), 3u);
  EXPECT_EQ(count(card, "class=\"ln m-u\""), 2u);
  EXPECT_EQ(count(card, "class=\"ln m-n\""), 1u);
  EXPECT_EQ(count(card, "<span class=\"pr\">"), 2u);  // the prompt's lines are dimmed
  std::string err = episode_html(testing::fixture_episode(7, 2));
  EXPECT_EQ(count(err, "class=\"ln m-e\""), 1u);
}

TEST_F(ReportTest, MissingPiecesBecomeNotes) {
  ASSERT_TRUE(write_file_atomic(dir_->file("metrics.jsonl"), "{\"kind\":\"train\",\"step\":5,\"loss\":2.5}\n"));
  auto run = load_run(dir_->path());
  ASSERT_TRUE(run) << run.error();
  std::string html = render_report(*run);
  EXPECT_NE(html.find("No episodes.sqlite"), std::string::npos);
  EXPECT_NE(html.find("No config.yaml"), std::string::npos);
  EXPECT_NE(html.find("No PPO steps in metrics.jsonl yet."), std::string::npos);
  EXPECT_NE(html.find("No evaluations yet"), std::string::npos);
  EXPECT_EQ(count(html, "data-series=\"train loss\" data-points=\"1\""), 1u);
  auto empty = TempDir::create("report-empty");
  ASSERT_TRUE(empty);
  ASSERT_TRUE(write_file_atomic(empty->file("config.yaml"), "train:\n  steps: 2\n"));
  auto bare = load_run(empty->path());
  ASSERT_TRUE(bare) << bare.error();
  EXPECT_NE(render_report(*bare).find("No metrics.jsonl"), std::string::npos);
}

TEST_F(ReportTest, ADirectoryThatIsNoRunIsAnError) {
  auto empty = TempDir::create("report-none");
  ASSERT_TRUE(empty);
  auto run = load_run(empty->path());
  ASSERT_FALSE(run);
  EXPECT_NE(run.error().find("not a run directory"), std::string::npos) << run.error();
  EXPECT_FALSE(load_run(empty->file("missing")));
}

TEST_F(ReportTest, SftCurvesComeFromTheSftRunThePpoRunStartedFrom) {
  const std::string sft = dir_->file("sft"), ppo = dir_->file("ppo");
  ASSERT_TRUE(make_dirs(sft) && make_dirs(ppo));
  ASSERT_TRUE(write_file_atomic(sft + "/metrics.jsonl", "{\"kind\":\"train\",\"step\":5,\"loss\":2.5}\n"
                                "{\"kind\":\"train\",\"step\":10,\"loss\":2.0}\n"
                                "{\"kind\":\"eval\",\"step\":12,\"valid_pass1\":0.5}\n"));  // stopped by time
  ASSERT_TRUE(write_file_atomic(ppo + "/metrics.jsonl", to_jsonl({testing::fixture_ppo_line(1)})));
  auto config = [&](const std::string& train) {
    return write_file_atomic(ppo + "/config.yaml", "sft:\n  run_dir: " + sft + "\ntrain:\n" + train);
  };
  for (const std::string& train : std::vector<std::string>{"  run_sft_first: true\n", "  init: " + sft + "/checkpoints/best.pt\n"}) {
    ASSERT_TRUE(config(train));
    auto run = load_run(ppo);
    ASSERT_TRUE(run) << run.error();
    EXPECT_EQ(run->sft_train.size(), 2u) << train;
    EXPECT_EQ(run->sft_eval.size(), 1u) << train;
    const std::string html = render_report(*run);
    EXPECT_EQ(count(html, "data-series=\"train loss\" data-points=\"2\""), 1u) << train;
    EXPECT_NE(html.find("SFT steps</th><td class=\"l\">12<"), std::string::npos) << train;
  }
  // A run from some other checkpoint is not this SFT run's continuation.
  ASSERT_TRUE(config("  init: elsewhere.pt\n"));
  auto other = load_run(ppo);
  ASSERT_TRUE(other) << other.error();
  EXPECT_TRUE(other->sft_train.empty());
}

TEST_F(ReportTest, ACorruptMetricsLineIsAnErrorNamingFileAndLine) {
  ASSERT_TRUE(write_file_atomic(dir_->file("metrics.jsonl"),
                                "{\"kind\":\"ppo\",\"step\":1}\n{\"kind\":\"ppo\",\"step\":2}\n{\"kind\":\"ppo\",\"st\n"));
  auto run = load_run(dir_->path());
  ASSERT_FALSE(run);
  EXPECT_NE(run.error().find("metrics.jsonl:3"), std::string::npos) << run.error();
  ASSERT_TRUE(write_file_atomic(dir_->file("metrics.jsonl"), ""));
  ASSERT_TRUE(write_file_atomic(dir_->file("eval-test.json"), "{\"a\":1}\n{oops\n"));
  auto bad_eval = load_run(dir_->path());
  ASSERT_FALSE(bad_eval);
  EXPECT_NE(bad_eval.error().find("eval-test.json:2"), std::string::npos) << bad_eval.error();
  EXPECT_FALSE(load_run(dir_->file("nope")));
}

TEST(SvgPlotTest, SkipsNonFiniteValuesAndThinsLongSeries) {
  Series s{"a", {1, 2, 3, 4}, {0.5, NAN, 0.7, INFINITY}};
  std::string svg = line_plot_svg({s}, {"t"});
  EXPECT_NE(svg.find("data-points=\"2\""), std::string::npos) << svg;
  EXPECT_EQ(line_plot_svg({Series{"b", {1}, {NAN}}}, {"t"}), "");
  Series big{"big", {}, {}};
  for (int i = 0; i < 5000; ++i) big.x.push_back(i), big.y.push_back(std::sin(i));
  PlotOptions o;
  o.max_points = 100;
  std::string thin = line_plot_svg({big}, o);
  size_t at = thin.find("data-points=\"");
  ASSERT_NE(at, std::string::npos);
  int points = std::stoi(thin.substr(at + 13));
  EXPECT_LE(points, 101);
  EXPECT_GE(points, 90);
  Stacked st{{1, 2, 3}, {"a", "b"}, {{1, 1, 1}, {0, 1, 3}}};
  EXPECT_EQ(count(stacked_bars_svg(st, o), "class=\"bar\""), 5u);  // zero segments are not drawn
  o.max_bars = 2;
  EXPECT_EQ(count(stacked_bars_svg(st, o), "class=\"bar\""), 4u);  // 3 steps merged into 2 bars
}

TEST(HtmlTest, EscapesMarkupAndReplacesInvalidUtf8) {
  EXPECT_EQ(html_escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
  EXPECT_EQ(html_escape(std::string("x\xff" "y\0z", 5)), "x\xEF\xBF\xBDy\xEF\xBF\xBDz");
  EXPECT_EQ(html_escape("\xC3\xA9"), "\xC3\xA9");  // é kept
  EXPECT_EQ(fmt_num(0.416666), "0.417");
  EXPECT_EQ(fmt_pct(0.416666), "41.7%");
}

}  // namespace
}  // namespace stepcoder::report
