// Document kind from weighed cues (templates/document_types.yaml) and the split of a file
// into the documents it holds.
#include "extract/grammar/document_type.h"

#include <gtest/gtest.h>

#include "extract/grammar/parse.h"
#include "extract/source/plain_text.h"

namespace billwise {
namespace {

const DocumentTypeRules& Rules() {
  static DocumentTypeRules* rules = [] {
    auto r = DocumentTypeRules::LoadFile(BILLWISE_SOURCE_DIR "/templates/document_types.yaml");
    EXPECT_TRUE(r) << r.error().message;
    return new DocumentTypeRules(r ? std::move(*r) : *DocumentTypeRules::LoadString("empty", "cues: []"));
  }();
  return *rules;
}

const LayoutSet& Layouts() {
  static LayoutSet* set = [] {
    auto s = LayoutSet::LoadDir(BILLWISE_SOURCE_DIR "/templates/layouts");
    EXPECT_TRUE(s) << s.error().message;
    return new LayoutSet(std::move(*s));
  }();
  return *set;
}

KindDecision Classify(std::string_view text) { return ClassifyDocument(Rules(), PagesFromPlainText(text)); }

constexpr std::string_view kHospitalItemization =
    "RIVERBEND REGIONAL HOSPITAL\n"
    "ITEMIZED STATEMENT                         THIS IS NOT A BILL\n"
    "Patient Account: 884120                    Statement Date: 03/02/2026\n"
    "\n"
    "Date        Rev    CPT      Description                  Qty      Charges\n"
    "02/11/2026  0450   99284    ER visit level 4               1     2,450.00\n"
    "02/11/2026  0300   80053    Metabolic panel                1       120.00\n"
    "02/11/2026         Insurance payment - Aetna                      -1,200.00\n"
    "                                              Total Charges:    2,570.00\n";

constexpr std::string_view kEob =
    "NORTHSTAR HEALTH PLAN\n"
    "EXPLANATION OF BENEFITS                    THIS IS NOT A BILL\n"
    "Member:   Dana R. Whitfield                 Member ID:     NSH448120977\n"
    "Provider: Lakeside Orthopedic Associates    Claim Number:  2026-0418-55102\n"
    "Patient Account Number: LOA-77120           Date Processed: 04/18/2026\n"
    "Statement Date: 04/20/2026\n"
    "\n"
    "Service Date   Procedure   Billed       Allowed      Plan Paid   Patient Responsibility\n"
    "03/30/2026     99204       $412.00      $188.40      $150.72     $37.68\n"
    "Totals                     $412.00      $188.40      $150.72     $37.68\n"
    "\n"
    "You may owe the provider $37.68.\n";

constexpr std::string_view kNotice =
    "Summit Recovery Services LLC\n"
    "2200 Commerce Parkway, Tulsa, OK 74133                 February 2, 2026\n"
    "                                                       Reference: SRS-5529014\n"
    "Summit Recovery Services LLC is a debt collector. We are trying to collect a debt that\n"
    "you owe to Prairie Regional\n"
    "Medical Center. We will use any information you give us to help collect the debt.\n"
    "You had a medical account from Prairie Regional Medical Center with account number 7730019.\n"
    "Total amount of the debt now:                                        $1,482.60\n"
    "Call or write to us by March 16, 2026, to dispute all or part of the debt.\n";

TEST(DocumentTypeTest, HospitalItemizationSayingNotABillIsAStatement) {
  KindDecision d = Classify(kHospitalItemization);
  EXPECT_EQ(d.kind, DocumentKind::kStatement) << d.Explain();
  // The phrase counted, for both kinds, and did not decide.
  EXPECT_NE(d.Explain().find("this is not a bill"), std::string::npos) << d.Explain();
}

TEST(DocumentTypeTest, EobFromSeveralCues) {
  KindDecision d = Classify(kEob);
  EXPECT_EQ(d.kind, DocumentKind::kEob) << d.Explain();
  EXPECT_GE(d.fired.size(), 3u);
  EXPECT_NE(d.Explain().find("allowed and plan-paid columns"), std::string::npos) << d.Explain();
}

TEST(DocumentTypeTest, EobWithoutTitleFromItsColumns) {
  KindDecision d = Classify(
      "SUMMIT PLAN SERVICES\n"
      "Claim #: 55012      Insured ID #: 123456789\n"
      "CPT     Units   Billed    Allow    Pay     Deduct    Coins\n"
      "96372   1       $35.00    $17.87   $0.00   $17.87    $0.00\n");
  EXPECT_EQ(d.kind, DocumentKind::kEob) << d.Explain();
}

TEST(DocumentTypeTest, CollectionNotice) {
  KindDecision d = Classify(kNotice);
  EXPECT_EQ(d.kind, DocumentKind::kCollectionNotice) << d.Explain();
}

TEST(DocumentTypeTest, NothingSpeaksMeansStatement) {
  KindDecision d = Classify("hello\nworld\n");
  EXPECT_EQ(d.kind, DocumentKind::kStatement);
  EXPECT_TRUE(d.fired.empty());
  EXPECT_NE(d.Explain().find("no cue found"), std::string::npos);
}

TEST(DocumentTypeTest, BadRulesNameTheKey) {
  auto bad = DocumentTypeRules::LoadString("t.yaml", "cues:\n  - cue: x\n    pattern: '(unclosed'\n    eob: 1\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kBadTemplate);
  EXPECT_NE(bad.error().message.find("t.yaml: cues[0].pattern: bad pattern"), std::string::npos) << bad.error().message;
  auto kind = DocumentTypeRules::LoadString("t.yaml", "cues:\n  - cue: x\n    pattern: 'a'\n    bill: 1\n");
  ASSERT_FALSE(kind);
  EXPECT_NE(kind.error().message.find("cues[0].bill: unknown key"), std::string::npos) << kind.error().message;
  auto weight = DocumentTypeRules::LoadString("t.yaml", "cues:\n  - cue: x\n    pattern: 'a'\n    eob: -2\n");
  ASSERT_FALSE(weight);
  auto capture = DocumentTypeRules::LoadString("t.yaml", "cues: []\nsplit:\n  first_page: 'page 1'\n");
  ASSERT_FALSE(capture);
  EXPECT_NE(capture.error().message.find("split.first_page"), std::string::npos) << capture.error().message;
}

TEST(SplitDocumentsTest, OneStatementOverTwoPagesStaysOne) {
  auto docs = SplitDocuments(Rules(), PagesFromPlainText("CLINIC\nPage 1 of 2\nInvoice Number: INV-1001\n"
                                                         "\fPage 2 of 2\nInvoice Number: INV-1001\n"));
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].size(), 2u);
}

TEST(SplitDocumentsTest, FourInvoicesInOneFile) {
  std::string text;
  for (int i = 1; i <= 4; ++i) {
    if (i > 1) text += "\f";
    text += "CITY LAB\nInvoice Number: INV-200" + std::to_string(i) + "\nDate  Description  Amount\n";
  }
  auto docs = SplitDocuments(Rules(), PagesFromPlainText(text));
  ASSERT_EQ(docs.size(), 4u);
  EXPECT_EQ(docs[2].front().number, 3);  // pages keep their numbers in the file
}

TEST(SplitDocumentsTest, ItemizationFollowedByRemittancePage) {
  std::string text(kHospitalItemization);
  text += "\f";
  text += kEob;
  auto docs = SplitDocuments(Rules(), PagesFromPlainText(text));
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(ClassifyDocument(Rules(), docs[0]).kind, DocumentKind::kStatement);
  EXPECT_EQ(ClassifyDocument(Rules(), docs[1]).kind, DocumentKind::kEob);
}

TEST(SplitDocumentsTest, PagesWithoutTextStayWithTheDocument) {
  auto pages = PagesFromPlainText(std::string(kEob) + "\f\f");
  ASSERT_GE(pages.size(), 2u);
  const size_t n = pages.size();
  auto docs = SplitDocuments(Rules(), std::move(pages));
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].size(), n);
}

// The EOB's header fields in the meanings of bill-json.md.
TEST(HeaderMeaningsTest, EobClaimMemberAccountAndNoticeDate) {
  Bill b;
  ParseBill(Layouts(), PagesFromPlainText(kEob), &b, DocumentType::kEob);
  EXPECT_EQ(b.document_type, DocumentType::kEob);
  EXPECT_EQ(b.claim_number, "2026-0418-55102");
  EXPECT_EQ(b.member_id, "NSH448120977");
  EXPECT_EQ(b.account_number, "LOA-77120");
  ASSERT_TRUE(b.statement_date);
  EXPECT_EQ(b.statement_date->Iso(), "2026-04-20");  // the notice date, not the processed date
  EXPECT_EQ(b.provider.name, "Lakeside Orthopedic Associates");
}

TEST(HeaderMeaningsTest, CollectionNoticeCreditorsAndNumbers) {
  Bill b;
  ParseBill(Layouts(), PagesFromPlainText(kNotice), &b, DocumentType::kCollectionNotice);
  EXPECT_EQ(b.document_type, DocumentType::kCollectionNotice);
  ASSERT_TRUE(b.collector);
  EXPECT_EQ(b.collector->reference, "SRS-5529014");
  EXPECT_EQ(b.account_number, "7730019");  // the original creditor's account
  EXPECT_EQ(b.collector->creditor, "Prairie Regional Medical Center");  // whole across the line break
  EXPECT_EQ(b.collector->original_creditor, "Prairie Regional Medical Center");
  EXPECT_EQ(b.provider.name, "Prairie Regional Medical Center");
}

TEST(HeaderMeaningsTest, APlainAccountNumberOnANoticeIsTheCreditorsBesideTheCollectorsReference) {
  constexpr const char* kWithReference =
      "STONEGATE RECEIVABLES MANAGEMENT\n"
      "                                   Reference: R3668072352\n"
      "Creditor:           Bellmont Regional Medical Center\n"
      "Account Number:     BRMC-46165367\n"
      "Balance Due:        $2,884.25\n"
      "This communication is from a debt collector. This is an attempt to collect a debt.\n";
  Bill b;
  ParseBill(Layouts(), PagesFromPlainText(kWithReference), &b, DocumentType::kCollectionNotice);
  ASSERT_TRUE(b.collector);
  EXPECT_EQ(b.collector->reference, "R3668072352");
  EXPECT_EQ(b.account_number, "BRMC-46165367");
  // With no reference of its own, the notice's account number is the collector's.
  constexpr const char* kAlone =
      "STONEGATE RECEIVABLES MANAGEMENT\n"
      "Creditor:           Bellmont Regional Medical Center\n"
      "Account Number:     SRM-5529014\n"
      "Balance Due:        $2,884.25\n"
      "This communication is from a debt collector. This is an attempt to collect a debt.\n";
  Bill c;
  ParseBill(Layouts(), PagesFromPlainText(kAlone), &c, DocumentType::kCollectionNotice);
  ASSERT_TRUE(c.collector);
  EXPECT_EQ(c.collector->reference, "SRM-5529014");
  EXPECT_FALSE(c.account_number.has_value());
}

TEST(HeaderMeaningsTest, TheOriginalCreditorEndsWithItsSentence) {
  constexpr const char* kModel =
      "NORTHPOINT REVENUE SOLUTIONS, INC.\n"
      "Northpoint Revenue Solutions, Inc. is a debt collector. We are trying to collect a debt\n"
      "that you owe to Sable Point Capital Recovery LLC.\n"
      "You had a medical account from Granite Bay Community Hospital.\n"
      "Total amount of the debt now:        $1,346.50\n";
  Bill b;
  ParseBill(Layouts(), PagesFromPlainText(kModel), &b, DocumentType::kCollectionNotice);
  ASSERT_TRUE(b.collector);
  EXPECT_EQ(b.collector->original_creditor, "Granite Bay Community Hospital");
  EXPECT_EQ(b.provider.name, "Granite Bay Community Hospital");
}

TEST(HeaderMeaningsTest, EvidenceOverridesTheNotABillKeyword) {
  Bill b;
  ParseBill(Layouts(), PagesFromPlainText(kHospitalItemization), &b, TypeOfKind(Classify(kHospitalItemization).kind));
  EXPECT_EQ(b.document_type, DocumentType::kItemizedStatement);
  EXPECT_EQ(b.source.layout, "generic");
  ASSERT_EQ(b.line_items.size(), 2u);
  EXPECT_EQ(b.line_items[0].charge, Money{245000});
}

}  // namespace
}  // namespace billwise
