// AuditData tables: spot checks against ../shared/refdata/PROVENANCE.md, the packed PTP
// format, and load failures.
#include "pipeline/audit/audit_data.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "pipeline/audit/ptp_pack.h"
#include "tests/audit/bills.h"
#include "tests/testing/packed_tables.h"

namespace billwise::testing {
namespace {

using audit_internal::PtpRow;
using audit_internal::PtpTable;

TEST(AuditDataTest, PtpSpotChecks) {
  const AuditData& d = Data();
  auto e = d.FindPtp("80053", "82947", NcciSetting::kPractitioner);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->modifier_indicator, 1);
  EXPECT_EQ(e->rationale, "Laboratory panel");
  EXPECT_EQ(e->edition, "NCCI PTP 2024Q3 (v30.2)");
  e = d.FindPtp("85025", "85027", NcciSetting::kOutpatientHospital);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->modifier_indicator, 1);
  EXPECT_EQ(e->rationale, "More extensive procedure");
  e = d.FindPtp("80053", "80048", NcciSetting::kOutpatientHospital);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->modifier_indicator, 0);
  EXPECT_EQ(e->rationale, "CPT Manual or CMS manual coding instruction");
  EXPECT_TRUE(d.FindPtp("G0463", "99213", NcciSetting::kPractitioner));
  EXPECT_FALSE(d.FindPtp("99213", "36415", NcciSetting::kPractitioner));
  EXPECT_FALSE(d.FindPtp("36415", "99213", NcciSetting::kPractitioner));
  EXPECT_FALSE(d.FindPtp("82947", "80053", NcciSetting::kPractitioner));  // order matters
  // Practitioner-only pair; lower-case input is accepted.
  EXPECT_TRUE(d.FindPtp("47600", "99211", NcciSetting::kPractitioner));
  EXPECT_FALSE(d.FindPtp("47600", "99211", NcciSetting::kOutpatientHospital));
  // A pair whose hospital rationale differs from the practitioner one.
  auto p = d.FindPtp("0238U", "81317", NcciSetting::kPractitioner);
  auto h = d.FindPtp("0238u", "81317", NcciSetting::kOutpatientHospital);
  ASSERT_TRUE(p && h);
  EXPECT_EQ(p->modifier_indicator, 0);
  EXPECT_EQ(h->modifier_indicator, 1);
  EXPECT_NE(p->rationale, h->rationale);
  EXPECT_FALSE(d.FindPtp("8005", "82947", NcciSetting::kPractitioner));
}

TEST(AuditDataTest, MueSpotChecks) {
  const AuditData& d = Data();
  auto m = d.FindMue("36415", NcciSetting::kPractitioner);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 2);
  EXPECT_EQ(m->mai, 3);
  m = d.FindMue("99285", NcciSetting::kOutpatientHospital);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 2);
  EXPECT_EQ(m->edition, "NCCI MUE 2024Q3");
  m = d.FindMue("99285", NcciSetting::kPractitioner);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 1);
  EXPECT_EQ(m->edition, "NCCI MUE 2026Q2 (practitioner, MAI 3 subset)");
  m = d.FindMue("85025", NcciSetting::kOutpatientHospital);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 4);
  m = d.FindMue("J1885", NcciSetting::kDmeSupplier);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 0);
  m = d.FindMue("J0585", NcciSetting::kPractitioner);  // 600 in 2024 Q3, 800 in 2026 Q2
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, 800);
  m = d.FindMue("0001U", NcciSetting::kPractitioner);  // listed in the 2026 Q3 excerpt
  ASSERT_TRUE(m);
  EXPECT_EQ(m->edition, "NCCI MUE 2026Q3 (practitioner, excerpt)");
  EXPECT_FALSE(d.FindMue("ZZZZZ", NcciSetting::kPractitioner));
}

TEST(AuditDataTest, PanelsExpandNestedPanels) {
  auto c = Data().PanelComponents("80050");
  auto has = [&](const char* code) {
    return std::any_of(c.begin(), c.end(), [&](const PanelComponent& p) { return p.component == code; });
  };
  EXPECT_TRUE(has("80053"));
  EXPECT_TRUE(has("82947"));  // through 80053
  EXPECT_TRUE(has("84443"));
  EXPECT_TRUE(has("85027"));  // through the CBC alternatives
  EXPECT_TRUE(Data().PanelComponents("99213").empty());
  EXPECT_EQ(Data().PanelComponents("80053").size(), 14u);
}

TEST(AuditDataTest, PovertyGuidelines) {
  const AuditData& d = Data();
  auto g = d.FindPovertyGuideline(2026, "IL", 4);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->amount, Money::FromDollars(33000));
  g = d.FindPovertyGuideline(2025, "AK", 4);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->amount, Money::FromDollars(40190));
  g = d.FindPovertyGuideline(2026, "hi", 4);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->amount, Money::FromDollars(37950));
  g = d.FindPovertyGuideline(2026, "", 10);  // beyond the table: 15,960 + 9 x 5,680
  ASSERT_TRUE(g);
  EXPECT_EQ(g->amount, Money::FromDollars(67080));
  EXPECT_FALSE(d.FindPovertyGuideline(2019, "IL", 2));
  EXPECT_FALSE(d.FindPovertyGuideline(2026, "IL", 0));
  EXPECT_EQ(d.poverty_years(), (std::vector<int>{2025, 2026}));
}

TEST(AuditDataTest, TablesReportEditionsAndRows) {
  const auto& t = Data().tables();
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t[0].file, "ncci/ptp_2024q3.bin");
  EXPECT_EQ(t[0].rows, 1675639u);
}

TEST(AuditDataTest, MissingFolderIsNotFound) {
  auto d = AuditData::Load("/nonexistent/billwise-data");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kNotFound);
}

TEST(AuditDataTest, CorruptTableIsBadData) {
  namespace fs = std::filesystem;
  fs::path tmp = fs::temp_directory_path() / ("bw_audit_data_" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  fs::copy(fs::path(BILLWISE_SOURCE_DIR) / "data", tmp / "data", fs::copy_options::recursive);
  {
    std::ofstream(tmp / "data" / "labs" / "lab_panel_components.csv", std::ios::app) << "80053,82947\n";
  }
  auto d = AuditData::Load(tmp.string());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kBadData);
  EXPECT_NE(d.error().message.find("lab_panel_components.csv"), std::string::npos) << d.error().message;
  {
    std::ofstream(tmp / "data" / "ncci" / "ptp_2024q3.bin", std::ios::trunc) << "not a packed table, just text";
  }
  d = AuditData::Load((tmp / "data").string());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kBadData);
  fs::remove_all(tmp);
}

TEST(PtpPackTest, RoundTripAndLookups) {
  std::vector<PtpRow> rows = {
      {"0001U", "0029U", 1, 1, 1, std::nullopt},
      {"0001U", "G0463", 0, 2, 3, std::nullopt},
      {"80053", "80048", 0, 0, 3, std::nullopt},
      {"80053", "82947", 1, 1, 11, std::uint8_t{5}},
      {"ZZZZZ", "00100", 2, 1, 7, std::nullopt},
  };
  auto packed = audit_internal::PackPtp("test edition", rows);
  ASSERT_TRUE(packed) << packed.error().message;
  auto table = PtpTable::Open(*packed);
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(table->edition(), "test edition");
  EXPECT_EQ(table->pair_count(), 5u);
  EXPECT_EQ(table->block_count(), 1u);
  auto rows_back = table->Rows();
  ASSERT_TRUE(rows_back);
  const auto& back = *rows_back;
  ASSERT_EQ(back.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(back[i].column1, rows[i].column1);
    EXPECT_EQ(back[i].column2, rows[i].column2);
    EXPECT_EQ(back[i].prac_mod, rows[i].prac_mod);
    EXPECT_EQ(back[i].oph_mod, rows[i].oph_mod);
    EXPECT_EQ(back[i].rationale, rows[i].rationale);
    EXPECT_EQ(back[i].oph_rationale, rows[i].oph_rationale);
  }
  auto hit = table->Find("80053", "82947");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->rationale, 11);
  EXPECT_EQ(hit->oph_rationale, 5);
  EXPECT_FALSE(table->Find("80053", "82948"));
  EXPECT_FALSE(table->Find("80054", "82947"));
  EXPECT_TRUE(table->Find("zzzzz", "00100"));
}

TEST(PtpPackTest, RejectsUnsortedRowsAndCorruption) {
  std::vector<PtpRow> unsorted = {{"80053", "82947", 1, 1, 11, std::nullopt}, {"80053", "80048", 0, 0, 3, std::nullopt}};
  EXPECT_FALSE(audit_internal::PackPtp("x", unsorted));
  std::vector<PtpRow> bad_code = {{"8005", "82947", 1, 1, 11, std::nullopt}};
  EXPECT_FALSE(audit_internal::PackPtp("x", bad_code));
  std::vector<PtpRow> rows = {{"80053", "80048", 0, 0, 3, std::nullopt}, {"80053", "82947", 1, 1, 11, std::nullopt}};
  auto packed = audit_internal::PackPtp("x", rows);
  ASSERT_TRUE(packed);
  // A damaged header or index fails Open; a damaged block is found when it is looked up:
  // the lookup finds nothing and Status() names the block.
  int found_on_open = 0, found_on_lookup = 0;
  for (size_t i = 0; i < packed->size(); ++i) {
    std::string broken = *packed;
    broken[i] = static_cast<char>(broken[i] ^ 0x5a);
    auto table = PtpTable::Open(broken);
    if (!table) {
      ++found_on_open;
      continue;
    }
    EXPECT_FALSE(table->Find("80053", "82947").has_value()) << "byte " << i;
    auto status = table->Status();
    ASSERT_FALSE(status) << "byte " << i;
    EXPECT_NE(status.error().message.find("block 0: checksum mismatch"), std::string::npos) << status.error().message;
    ++found_on_lookup;
  }
  EXPECT_GT(found_on_open, 0);
  EXPECT_GT(found_on_lookup, 0);
  EXPECT_FALSE(PtpTable::Open(packed->substr(0, packed->size() - 1)));
  EXPECT_FALSE(PtpTable::Open(*packed + "x"));
}

// A table of many blocks: every pair is found in its block, absent pairs are not, groups
// never span blocks, and the rows come back in order.
TEST(PtpPackTest, ManyBlocksRoundTripAndLookups) {
  std::vector<PtpRow> rows;
  for (int c1 = 0; c1 < 300; ++c1) {
    for (int c2 = 0; c2 < 37 + (c1 * 53) % 400; ++c2) {
      char a[6], b[6];
      std::snprintf(a, sizeof a, "%05d", 10000 + c1 * 7);
      std::snprintf(b, sizeof b, "%05d", 20000 + c2 * 3);
      PtpRow r{a, b, static_cast<uint8_t>(c2 % 4), static_cast<uint8_t>((c1 + c2) % 4),
               static_cast<uint8_t>((c1 * c2) % 16), std::nullopt};
      if (c2 % 97 == 5) r.oph_rationale = static_cast<uint8_t>((r.rationale + 1) % 16);
      rows.push_back(r);
    }
  }
  auto packed = audit_internal::PackPtp("many", rows);
  ASSERT_TRUE(packed) << packed.error().message;
  auto table = PtpTable::Open(*packed);
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_GE(table->block_count(), 3u);
  EXPECT_EQ(table->pair_count(), rows.size());
  for (size_t i = 0; i < rows.size(); i += 5) {
    auto hit = table->Find(rows[i].column1, rows[i].column2);
    ASSERT_TRUE(hit) << rows[i].column1 << " " << rows[i].column2;
    EXPECT_EQ(hit->prac_mod, rows[i].prac_mod);
    EXPECT_EQ(hit->oph_mod, rows[i].oph_mod);
    EXPECT_EQ(hit->rationale, rows[i].rationale);
    EXPECT_EQ(hit->oph_rationale, rows[i].oph_rationale.value_or(rows[i].rationale));
  }
  EXPECT_FALSE(table->Find("10001", "20000"));  // between two column-1 codes
  EXPECT_FALSE(table->Find("10000", "20001"));  // between two column-2 codes
  EXPECT_FALSE(table->Find("09999", "20000"));  // before the first block
  EXPECT_FALSE(table->Find("99999", "20000"));  // after the last code
  EXPECT_TRUE(table->Status());
  auto back = table->Rows();
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ((*back)[i].column1, rows[i].column1);
    EXPECT_EQ((*back)[i].column2, rows[i].column2);
    EXPECT_EQ((*back)[i].oph_rationale, rows[i].oph_rationale);
  }
}

// Tables read on first use: Load succeeds, the lookup that needs a malformed table finds
// nothing and Status names the file; a missing file still fails Load.
TEST(AuditDataTest, TableReadOnFirstUseReportsABadRowThroughStatus) {
  namespace fs = std::filesystem;
  fs::path tmp = fs::temp_directory_path() / ("bw_audit_lazy_" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  fs::copy(fs::path(BILLWISE_SOURCE_DIR) / "data", tmp / "data", fs::copy_options::recursive);
  const std::string excerpt = (tmp / "data" / "ncci" / "mue_practitioner_excerpt_2026q3.bwt").string();
  auto edited = testing::EditPackedTable(excerpt, "hcpcs", [](std::string* csv) {
    *csv += "ZZZZZ,lots,3,,\n";  // sorts last; "lots" is not a number
  });
  ASSERT_TRUE(edited) << edited.error().message;
  auto d = AuditData::Load(tmp.string(), TableLoading::kOnFirstUse);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_TRUE((*d)->Status());
  EXPECT_TRUE((*d)->FindPtp("80053", "82947", NcciSetting::kPractitioner));
  // The excerpt is one block: the lookup falls back to the older editions and the bad
  // row is reported.
  EXPECT_TRUE((*d)->FindMue("99213", NcciSetting::kPractitioner));
  EXPECT_FALSE((*d)->FindMue("ZZZZZ", NcciSetting::kPractitioner));
  auto status = (*d)->Status();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kBadData);
  EXPECT_NE(status.error().message.find("mue_practitioner_excerpt_2026q3.bwt line"), std::string::npos)
      << status.error().message;
  EXPECT_FALSE(AuditData::Load(tmp.string(), TableLoading::kEager));
  fs::remove(tmp / "data" / "ncci" / "ptp_2024q3.bin");
  auto missing = AuditData::Load(tmp.string(), TableLoading::kOnFirstUse);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  fs::remove_all(tmp);
}

TEST(PtpPackTest, CodeNumbersKeepAsciiOrder) {
  EXPECT_LT(*audit_internal::EncodeCode("0001U"), *audit_internal::EncodeCode("0002M"));
  EXPECT_LT(*audit_internal::EncodeCode("99999"), *audit_internal::EncodeCode("A0021"));
  EXPECT_EQ(audit_internal::DecodeCode(*audit_internal::EncodeCode("G0463")), "G0463");
  EXPECT_FALSE(audit_internal::EncodeCode("99213-25"));
  EXPECT_FALSE(audit_internal::EncodeCode("9921 "));
}

}  // namespace
}  // namespace billwise::testing
