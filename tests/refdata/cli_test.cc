// Runs the built billwise binary: price and estimate subcommands.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include "tests/testing/files.h"

namespace {

std::string RunBillwise(const std::string& args, int* status, const std::string& data_dir = BILLWISE_SOURCE_DIR) {
  std::string cmd = std::string(BILLWISE_BINARY) + " --data-dir " + data_dir + " " + args + " 2>&1";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int rc = pclose(p);
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

TEST(RefdataCliTest, PriceNationalAndZip) {
  int status = 0;
  std::string out = RunBillwise("price 99213", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("$88.95"), std::string::npos) << out;
  EXPECT_NE(out.find("$63.72"), std::string::npos) << out;
  out = RunBillwise("price 99213 --zip 10001 --format json", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("101.06"), std::string::npos) << out;
  out = RunBillwise("price 99213 --state NY", &status);
  EXPECT_NE(out.find("Manhattan"), std::string::npos) << out;
  out = RunBillwise("price ZZZZZ", &status);
  EXPECT_NE(status, 0);
}

TEST(RefdataCliTest, DataStatusListsEachRelease) {
  int status = 0;
  std::string out = RunBillwise("data status", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("asp_limit        2025-10-01  2025-12-31"), std::string::npos) << out;
  EXPECT_NE(out.find("CMS ASC Addendum AA April 2026"), std::string::npos) << out;
  EXPECT_NE(out.find("5421"), std::string::npos) << out;  // hospitals
  out = RunBillwise("data", &status);
  EXPECT_EQ(status, 2) << out;  // a subcommand is required (CLI11's usage exit)
}

// `data import` into a scratch data folder: a release the price command then uses, the dates a
// file states, and clear refusals.
TEST(RefdataCliTest, DataImportAddsAReleaseToTheUsersFolder) {
  const std::filesystem::path home =
      std::filesystem::temp_directory_path() / ("billwise_import_" + std::to_string(::getpid()));
  std::filesystem::remove_all(home);
  std::filesystem::create_directories(home);
  const std::string env = "env XDG_DATA_HOME=" + home.string() + " ";
  auto run = [&](const std::string& args, int* status) {
    std::string cmd = env + BILLWISE_BINARY + " --data-dir " + BILLWISE_SOURCE_DIR + " " + args + " 2>&1";
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    std::array<char, 4096> buf;
    size_t n;
    while (p != nullptr && (n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    int rc = p ? pclose(p) : -1;
    *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    return out;
  };
  const std::string clfs = (home / "26CLABQ2.csv").string();
  billwise::testing::WriteFileBytes(clfs, "2026 Clinical Diagnostic Laboratory Fee Schedule,,,,,\n"
                                      "YEAR,HCPCS,MOD,EFF_DATE,INDICATOR,RATE\n2026,36415,,20260401,N,9.99\n");
  int status = 0;
  std::string out = run("data import " + clfs, &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("clfs_rate, release \"26CLABQ2.csv\", in force from 2026-04-01"), std::string::npos) << out;
  out = run("data status", &status);
  EXPECT_NE(out.find("26CLABQ2.csv"), std::string::npos) << out;
  out = run("price 36415", &status);
  EXPECT_NE(out.find("$9.99"), std::string::npos) << out;
  out = run("data import " + clfs, &status);  // the same release again
  EXPECT_EQ(status, 3) << out;

  const std::string unknown = (home / "codes.csv").string();
  billwise::testing::WriteFileBytes(unknown, "code,price\n99213,100\n");
  out = run("data import " + unknown, &status);
  EXPECT_EQ(status, 4) << out;  // no layout matches: its own exit code
  EXPECT_NE(out.find("codes.csv: not a CMS file billwise knows; expected one of:"), std::string::npos) << out;
  EXPECT_NE(out.find("Clinical Laboratory Fee Schedule"), std::string::npos) << out;

  // CMS's relative value file in its published layout (a cut of it): recognised, dated by its
  // title, listed by `data status`, and priced through.
  const std::string rvu = std::string(BILLWISE_SOURCE_DIR) + "/tests/refdata/fixtures/cms/PPRRVU25_OCT.csv";
  out = run("data import " + rvu + " --release \"RVU25D cut\" --from 2026-01-01", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("pfs_rvu, release \"RVU25D cut\", in force from 2026-01-01"), std::string::npos) << out;
  out = run("data status", &status);
  EXPECT_NE(out.find("pfs_rvu          2026-01-01  -"), std::string::npos) << out;
  EXPECT_NE(out.find("RVU25D cut"), std::string::npos) << out;
  out = run("price 99213", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("$88.95"), std::string::npos) << out;
  // CMS's RVU bundle is a zip: its CSV entries of known layout are imported, others skipped.
  const std::string zip = std::string(BILLWISE_SOURCE_DIR) + "/tests/refdata/fixtures/cms/rvu25d_cut.zip";
  out = run("data import " + zip + " --from 2025-11-01", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("rvu25d_cut.zip/PPRRVU25_OCT.csv: pfs_rvu, release \"PPRRVU25_OCT.csv\""), std::string::npos)
      << out;
  EXPECT_NE(out.find("rvu25d_cut.zip/simple.csv: skipped (not a table billwise imports)"), std::string::npos) << out;
  EXPECT_NE(out.find("rvu25d_cut.zip/README.md: skipped"), std::string::npos) << out;
  // 71046 is not in the cut: the imported release is the one in force, so no PFS amount.
  out = run("price 71046", &status);
  EXPECT_EQ(out.find("Medicare PFS"), std::string::npos) << out;
  EXPECT_NE(out.find("Medicare OPPS"), std::string::npos) << out;

  const std::string incoming = std::string(BILLWISE_SHARED_DIR) + "/refdata/incoming";
  if (std::filesystem::exists(incoming + "/asp_2025_q4/asp_pricing.csv")) {
    out = run("data import " + incoming + "/asp_2025_q4/asp_pricing.csv", &status);
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("in force from 2025-10-01 to 2025-12-31"), std::string::npos) << out;
    out = run("data import " + incoming + "/clfs_2026_q1/CLFS_2026_Q1V1.xlsx", &status);
    EXPECT_EQ(status, 3) << out;
    EXPECT_NE(out.find("save CMS's sheet as CSV"), std::string::npos) << out;
  }
  std::filesystem::remove_all(home);
}

TEST(RefdataCliTest, Estimate) {
  int status = 0;
  std::string out = RunBillwise("estimate 99213 80053 G0463 --zip 10001 --format json", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("\"cheapest_setting\": \"office\""), std::string::npos) << out;
  EXPECT_NE(out.find("10.56"), std::string::npos);
  out = RunBillwise("estimate 99213 --price-file " + std::string(BILLWISE_SOURCE_DIR) + "/tests/refdata/fixtures/tall_v2.csv",
            &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("$175.00"), std::string::npos) << out;
  out = RunBillwise("estimate 99213 --zip 10001 --state NY", &status);
  EXPECT_NE(status, 0);
}

}  // namespace

namespace {

TEST(RefdataCliTest, PricesFromAHospitalFile) {
  billwise::testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string file = std::string(BILLWISE_SOURCE_DIR) + "/tests/refdata/fixtures/wide_v2.csv";
  const std::string cache = " --cache-dir " + dir.path();
  int status = 0;
  std::string out = RunBillwise("prices " + file + " --code 70450" + cache, &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("last updated 2025-03-15"), std::string::npos) << out;
  EXPECT_NE(out.find("Negotiated median:   $650.00"), std::string::npos) << out;
  EXPECT_NE(out.find("Aetna / PPO / inpatient: $700.00 (fee schedule)"), std::string::npos) << out;
  // JSON: the negotiated band with its median and each payer and plan.
  out = RunBillwise("prices " + file + " --code 70450 --format json" + cache, &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("\"median\": 650.0"), std::string::npos) << out;
  EXPECT_NE(out.find("\"dollar\": 700.0"), std::string::npos) << out;
  EXPECT_NE(out.find("\"payer\": \"Aetna\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"last_updated_on\": \"2025-03-15\""), std::string::npos) << out;
  out = RunBillwise("prices " + file + " --code 70450 --payer nobody --format json" + cache, &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("\"payers\": []"), std::string::npos) << out;
  EXPECT_NE(out.find("\"cash\": {"), std::string::npos) << out;
  out = RunBillwise("prices " + file + " --code 99999" + cache, &status);
  EXPECT_EQ(status, 1) << out;
  out = RunBillwise("prices " + dir.path() + "/missing.json --code 1" + cache, &status);
  EXPECT_EQ(status, 3) << out;
  EXPECT_NE(out.find("missing.json"), std::string::npos) << out;
}

}  // namespace
