// Hand-built documents of one hospital account (a statement, its EOB, a collection
// notice) and temporary database files for the case-file tests.
#ifndef BILLWISE_TESTS_CASES_FIXTURES_H_
#define BILLWISE_TESTS_CASES_FIXTURES_H_

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "pipeline/model/bill.h"
#include "tests/testing/files.h"

namespace billwise::testing_cases {

inline Date D(const char* iso) { return *Date::FromIso(iso); }
inline Money Usd(double dollars) { return RoundDollarsToCents(dollars); }

inline LineItem Line(const char* dos, const char* code, double charge) {
  LineItem item;
  item.date_of_service = D(dos);
  item.code = code;
  item.code_type = CodeType::kCpt;
  item.description = std::string("service ") + code;
  item.charge = Usd(charge);
  return item;
}

// Itemized statement: ER visit 2025-12-30, charges $2,450.00, asks $1,850.00.
inline Bill Statement(const char* date = "2026-01-12", double due = 1850, double charges = 2450,
                      const char* sha = "stmt-1") {
  Bill b;
  b.source.path = std::string("statements/") + sha + ".pdf";
  b.source.sha256 = sha;
  b.document_type = DocumentType::kItemizedStatement;
  b.provider.name = "Springfield Memorial Hospital, Inc.";
  b.account_number = "00-4417-2209";
  b.statement_date = D(date);
  b.amount_due = Usd(due);
  b.totals.charges = Usd(charges);
  b.line_items.push_back(Line("2025-12-30", "99284", 1800));
  b.line_items.push_back(Line("2025-12-30", "80053", 650));
  // Analyzed with a profile, the provider found on the shipped hospital list.
  b.plan = Plan{};
  b.plan->nonprofit_hospital = true;
  return b;
}

// The insurer's EOB for the same visit: a claim number, not the hospital's account.
inline Bill Eob(const char* date = "2026-01-20", double insurance_paid = 600, double responsibility = 350) {
  Bill b;
  b.source.path = "statements/eob.pdf";
  b.source.sha256 = "eob-1";
  b.document_type = DocumentType::kEob;
  b.provider.name = "Springfield Memorial Hospital";
  b.account_number = "CLM-99812";
  b.statement_date = D(date);
  b.totals.charges = Usd(2450);
  b.totals.insurance_paid = Usd(insurance_paid);
  b.totals.patient_responsibility = Usd(responsibility);
  b.line_items.push_back(Line("2025-12-30", "99284", 1800));
  b.line_items.push_back(Line("2025-12-30", "80053", 650));
  return b;
}

// A collection notice for the hospital's account (creditor written differently).
inline Bill CollectionNotice(double due = 1975, bool with_validation_end = true) {
  Bill b;
  b.source.path = "statements/collector.pdf";
  b.source.sha256 = "coll-1";
  b.document_type = DocumentType::kCollectionNotice;
  b.provider.name = "Apex Recovery LLC";
  b.account_number = "4417 2209";
  b.amount_due = Usd(due);
  Collector c;
  c.name = "Apex Recovery LLC";
  c.creditor = "SPRINGFIELD MEMORIAL HOSPITAL";
  c.notice_date = D("2026-03-02");
  if (with_validation_end) c.validation_end_date = D("2026-04-10");
  b.collector = c;
  return b;
}

using billwise::testing::TempDir;  // tests/testing/files.h

}  // namespace billwise::testing_cases

#endif  // BILLWISE_TESTS_CASES_FIXTURES_H_
