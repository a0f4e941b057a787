#include "pipeline/cases/case_format.h"

#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/cases/fixtures.h"

namespace billwise {
namespace {

using testing_cases::D;

std::vector<CaseDeadline> Sample() {
  return {
      CaseDeadline{1, "validation",
                   "debt validation window ends: dispute in writing to Apex Recovery, LLC; Dept. 4 by this date",
                   D("2026-04-10"), "case1-validation-doc3@billwise"},
      CaseDeadline{2, "assistance_501r",
                   "financial assistance application window ends (501(r): 240 days after the first statement "
                   "of 2026-01-12) — Überweisung",
                   D("2026-09-09"), "case2-assistance_501r-2026-01-12@billwise"},
  };
}

std::vector<std::string> Lines(const std::string& ics) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < ics.size()) {
    size_t end = ics.find("\r\n", pos);
    if (end == std::string::npos) {
      lines.push_back(ics.substr(pos));  // a line without CRLF: the test below fails on it
      break;
    }
    lines.push_back(ics.substr(pos, end - pos));
    pos = end + 2;
  }
  return lines;
}

// RFC 5545 3.1 unfolding: a CRLF followed by one space is removed.
std::string Unfold(const std::string& ics) {
  std::string out;
  for (size_t i = 0; i < ics.size(); ++i) {
    if (ics.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    out += ics[i];
  }
  return out;
}

TEST(IcsTest, CalendarStructureLineEndingsAndFolding) {
  // 1772668800 = 2026-03-05T00:00:00Z (20517 days * 86400).
  std::string ics = DeadlinesToIcs(Sample(), 1772668800);
  EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", 0), 0u);
  ASSERT_GE(ics.size(), 2u);
  EXPECT_EQ(ics.substr(ics.size() - 15), "END:VCALENDAR\r\n");
  // No bare LF, no line over 75 octets.
  for (size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\n') {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(ics[i - 1], '\r') << "bare LF at " << i;
    }
  }
  bool folded = false;
  for (const auto& line : Lines(ics)) {
    EXPECT_LE(line.size(), 75u) << line;
    folded = folded || (!line.empty() && line[0] == ' ');
    // A fold never splits a UTF-8 sequence: no line starts with a continuation byte.
    if (line.size() > 1 && line[0] == ' ') {
      EXPECT_NE(static_cast<unsigned char>(line[1]) & 0xC0, 0x80);
    }
  }
  EXPECT_TRUE(folded);

  std::string flat = Unfold(ics);
  EXPECT_NE(flat.find("DTSTART;VALUE=DATE:20260410\r\nDTEND;VALUE=DATE:20260411\r\n"), std::string::npos);
  EXPECT_NE(flat.find("DTSTART;VALUE=DATE:20260909\r\n"), std::string::npos);
  EXPECT_NE(flat.find("DTSTAMP:20260305T000000Z\r\n"), std::string::npos);
  EXPECT_NE(flat.find("UID:case1-validation-doc3@billwise\r\n"), std::string::npos);
  // TEXT escaping: comma and semicolon.
  EXPECT_NE(flat.find("Apex Recovery\\, LLC\\; Dept. 4"), std::string::npos) << flat;
  EXPECT_NE(flat.find("— Überweisung"), std::string::npos);
  // Two events, balanced BEGIN/END.
  std::istringstream in(flat);
  int begins = 0, ends = 0;
  for (std::string line; std::getline(in, line);) {
    begins += line == "BEGIN:VEVENT\r";
    ends += line == "END:VEVENT\r";
  }
  EXPECT_EQ(begins, 2);
  EXPECT_EQ(ends, 2);
  // Deterministic.
  EXPECT_EQ(DeadlinesToIcs(Sample(), 1772668800), ics);
  EXPECT_NE(Unfold(DeadlinesToIcs(Sample(), 1772668800 + 3661)).find("DTSTAMP:20260305T010101Z"), std::string::npos);
}

TEST(IcsTest, EmptyCalendarIsValid) {
  EXPECT_EQ(DeadlinesToIcs({}, 0),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//billwise//case deadlines//EN\r\nCALSCALE:GREGORIAN\r\n"
            "METHOD:PUBLISH\r\nEND:VCALENDAR\r\n");
}

TEST(TextTest, DeadlinesListSaysHowManyDaysAreLeft) {
  std::string text = DeadlinesText(Sample(), D("2026-03-05"));
  EXPECT_NE(text.find("2026-04-10    36d  case 1"), std::string::npos) << text;
  EXPECT_EQ(DeadlinesText({}, D("2026-03-05")), "No open deadlines.\n");
}

}  // namespace
}  // namespace billwise
