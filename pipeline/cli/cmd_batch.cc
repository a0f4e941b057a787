// billwise batch DIR --out OUT [--jobs N] [--letters] [--html] [--profile P] [--resume]
//   [--shard K/N] [--isolate process|thread] [--max-seconds S] [--max-memory MB]
//   [--max-pages N] [--ocr MODE] [--no-fsync] [--progress auto|bar|lines|none]
// billwise merge SHARD_OUT... --out DEST
// Flags only: the work is RunBatch / MergeBatchSummaries (pipeline/batch/batch.h).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "pipeline/batch/batch.h"
#include "pipeline/cli/cli_inputs.h"
#include "pipeline/cli/commands.h"
#include "pipeline/run/job.h"
#include "pipeline/run/sha256.h"

namespace billwise {

namespace {

void RunBatchCommand(const CommandContext& ctx, int* exit_code, const std::string& dir, const std::string& out,
                     int jobs, bool letters, bool html, const std::string& profile_path, bool resume,
                     const std::string& shard_text, const std::string& isolate, int max_seconds, int max_memory_mb,
                     int max_pages, const std::string& ocr, bool no_fsync, const std::string& progress) {
  *exit_code = 2;
  BatchOptions o;
  o.input_dir = dir;
  o.out_dir = out;
  o.jobs = jobs;
  o.resume = resume;
  if (!shard_text.empty()) {
    auto shard = ParseShard(shard_text);
    if (!shard) {
      std::fprintf(stderr, "billwise: %s\n", shard.error().message.c_str());
      return;
    }
    o.shard = *shard;
  }
  o.isolation = isolate == "thread" ? Isolation::kThread : Isolation::kProcess;
  o.max_seconds_per_file = max_seconds;
  o.max_memory_bytes = static_cast<int64_t>(max_memory_mb) << 20;
  o.fsync = !no_fsync;
  o.progress = progress == "bar"     ? ProgressStyle::kBar
               : progress == "lines" ? ProgressStyle::kLines
               : progress == "none"  ? ProgressStyle::kNone
                                     : ProgressStyle::kAuto;

  o.outputs_tag = std::string("json") + (html ? "+html" : "") + (letters ? "+letters" : "");
  auto request = RequestFromFlags(ctx, profile_path);
  auto resolved_profile = ProfilePath(ctx, profile_path);
  if (!request || !resolved_profile) {
    std::fprintf(stderr, "billwise: %s\n", (!request ? request.error() : resolved_profile.error()).message.c_str());
    return;
  }
  if (!resolved_profile->empty()) {
    // A changed profile changes plans and letters: a resumed run redoes those inputs.
    auto digest = Sha256File(*resolved_profile);
    o.outputs_tag += "+profile:" + (digest ? digest->substr(0, 16) : std::string("?"));
  }
  request->store.reset();  // a batch writes its folder, not the case file
  request->analyze.ocr_mode = ParseOcrMode(ocr).value_or(OcrMode::kAuto);  // --ocr is checked
  request->analyze.limits.max_pages = max_pages;
  request->analyze.limits.max_seconds_per_file = max_seconds;
  request->analyze.today = Today();
  request->letter_options.allow_blanks = true;

  // The engine is loaded before the workers fork, so that they share it.
  auto job = std::make_shared<const Job>(
      EngineOptions{.data_dir = ctx.data_dir, .ocr_workers = 1, .tables = TableLoading::kOnFirstUse});
  if (auto engine = job->engine(); !engine) {
    std::fprintf(stderr, "billwise: %s\n", engine.error().message.c_str());
    return;
  }
  Analyzer analyze = [job, request = *request](const std::string& path) -> Expected<std::vector<Bill>> {
    JobRequest read = request;
    read.inputs.push_back(JobInput::File(path));
    auto result = job->Run(read);
    if (!result) return std::unexpected(result.error());
    auto& documents = result->inputs.front().documents;
    if (!documents) return std::unexpected(documents.error());
    std::vector<Bill> bills;
    for (JobDocument& d : *documents) bills.push_back(std::move(d.bill));
    return bills;
  };
  ExtraOutputs extras;
  if (html || letters) {
    extras = [job, request = *request, html, letters](const Bill& bill) -> Expected<std::vector<OutputFile>> {
      JobRequest write = request;
      write.inputs.push_back(JobInput::FromBill(bill));
      write.applicable_letters = letters;
      write.report_html = html;
      auto result = job->Run(write);
      if (!result) return std::unexpected(result.error());
      auto& documents = result->inputs.front().documents;
      if (!documents) return std::unexpected(documents.error());
      return documents->front().OutputFiles();
    };
  }
  auto result = RunBatch(o, analyze, extras);
  if (!result) {
    std::fprintf(stderr, "billwise: %s\n", result.error().message.c_str());
    return;
  }
  std::fprintf(stderr, "billwise: %zu input%s, %d failed%s; summary in %s/summary.csv\n", result->rows.size(),
               result->rows.size() == 1 ? "" : "s", result->errors,
               result->reused ? (", " + std::to_string(result->reused) + " reused").c_str() : "", out.c_str());
  *exit_code = result->errors > 0 ? 1 : 0;
}

}  // namespace

void AddBatchCommand(CLI::App& app, CommandContext* ctx) {
  struct Args {
    std::string dir, out, profile, shard, isolate = "process", ocr = "auto", progress = "auto";
    int jobs = 0, max_seconds = Limits{}.max_seconds_per_file, max_memory_mb = kDefaultMaxMemoryMb,
        max_pages = Limits{}.max_pages;
    bool letters = false, html = false, resume = false, no_fsync = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("batch", "Read every bill in a folder (recursively) and write a summary");
  cmd->add_option("dir", a->dir, "Folder of PDFs, images and .txt statements")->required()->check(CLI::ExistingDirectory);
  cmd->add_option("--out", a->out, "Output folder (OUT/<path>/bill.json, OUT/summary.csv, ...)")->required();
  cmd->add_option("--jobs,-j", a->jobs, "Worker processes (default: the number of cores)")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--letters", a->letters, "Also write the letters that apply to each bill (and report.html)");
  cmd->add_flag("--html", a->html, "Also write report.html for each bill");
  cmd->add_option("--profile", a->profile,
                  "Patient profile YAML (enables plans; fills letters; default: the top-level --profile, "
                  "$BILLWISE_PROFILE, else $XDG_CONFIG_HOME/billwise/profile.yaml)");
  cmd->add_flag("--resume", a->resume, "Skip inputs whose outputs are complete and unchanged");
  cmd->add_option("--shard", a->shard, "Take shard K of N (0 <= K < N), e.g. $JOB_COMPLETION_INDEX/8");
  cmd->add_option("--isolate", a->isolate, "process (default: a child per file, time limit) or thread")
      ->check(CLI::IsMember({"process", "thread"}));
  cmd->add_option("--max-seconds", a->max_seconds, "Wall-time limit per file (default 300)")->check(CLI::PositiveNumber);
  cmd->add_option("--max-memory", a->max_memory_mb, "Address-space limit per worker in MB (0 = none)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-pages", a->max_pages, "Refuse documents with more pages (default 200)");
  cmd->add_option("--ocr", a->ocr, "auto (OCR pages without text), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--no-fsync", a->no_fsync, "Skip fsync (outputs stay atomic, not power-loss durable)");
  cmd->add_option("--progress", a->progress, "auto (bar on a terminal), bar, lines or none")
      ->check(CLI::IsMember({"auto", "bar", "lines", "none"}));
  cmd->callback([a, ctx] {
    RunBatchCommand(*ctx, &ctx->exit_code, a->dir, a->out, a->jobs, a->letters, a->letters || a->html, a->profile,
                    a->resume, a->shard, a->isolate, a->max_seconds, a->max_memory_mb, a->max_pages, a->ocr,
                    a->no_fsync, a->progress);
  });

  auto m = std::make_shared<std::pair<std::vector<std::string>, std::string>>();
  CLI::App* merge = app.add_subcommand("merge", "Merge the summaries of batch shards into one");
  merge->add_option("shards", m->first, "Output folders of `billwise batch --shard K/N`")->required();
  merge->add_option("--out", m->second, "Folder for the merged summary.csv, summary.json and report.html")->required();
  merge->callback([m, ctx] {
    auto merged = MergeBatchSummaries(m->first, m->second);
    if (!merged) {
      std::fprintf(stderr, "billwise: %s\n", merged.error().message.c_str());
      ctx->exit_code = 2;
      return;
    }
    for (const std::string& w : merged->warnings) std::fprintf(stderr, "billwise: warning: %s\n", w.c_str());
    std::fprintf(stderr, "billwise: merged %zu inputs (%d failed) into %s/summary.csv\n", merged->result.rows.size(),
                 merged->result.errors, m->second.c_str());
    ctx->exit_code = merged->result.errors > 0 || !merged->warnings.empty() ? 1 : 0;
  });
}

}  // namespace billwise
