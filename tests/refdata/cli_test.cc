// Runs the built billwise binary: price and estimate subcommands.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>

#include <sys/wait.h>

namespace {

std::string RunBillwise(const std::string& args, int* status) {
  std::string cmd = std::string(BILLWISE_BINARY) + " --data-dir " + BILLWISE_SOURCE_DIR + " " + args + " 2>&1";
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
