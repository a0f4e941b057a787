// The parser's parts one by one: rows, column inference, row shapes, item helpers and
// the provider block (extract/grammar/*.h in billwise::grammar_internal).
#include <gtest/gtest.h>

#include "extract/grammar/cell_text.h"
#include "extract/grammar/columns.h"
#include "extract/grammar/header_fields.h"
#include "extract/grammar/items.h"
#include "extract/grammar/normalize.h"
#include "extract/grammar/provider_block.h"
#include "extract/grammar/row_shapes.h"
#include "extract/grammar/rows.h"
#include "extract/source/plain_text.h"

namespace billwise::grammar_internal {
namespace {

const Layout& Generic() {
  static LayoutSet* set = [] {
    auto s = LayoutSet::LoadDir(BILLWISE_SOURCE_DIR "/templates/layouts");
    EXPECT_TRUE(s) << s.error().message;
    return new LayoutSet(std::move(*s));
  }();
  const Layout* generic = set->Find("generic");
  EXPECT_NE(generic, nullptr);
  return *generic;
}

const Layout& Eob() {
  static LayoutSet* set = [] {
    auto s = LayoutSet::LoadDir(BILLWISE_SOURCE_DIR "/templates/layouts");
    EXPECT_TRUE(s) << s.error().message;
    return new LayoutSet(std::move(*s));
  }();
  const Layout* eob = set->Find("eob");
  EXPECT_NE(eob, nullptr);
  return *eob;
}

std::vector<Row> RowsOf(std::string_view text) { return BuildRows(PagesFromPlainText(text)); }

// The header fields `layout` finds in `rows`.
std::map<Field, FieldValue> FieldsFound(const Layout& layout, const std::vector<Row>& rows) {
  FieldFinder finder(layout, rows);
  std::map<Field, FieldValue> found;
  finder.Run(&found);
  return found;
}

// --- rows --------------------------------------------------------------------------

TEST(RowsTest, OneRowPerNonEmptyLineWithCellsByPosition) {
  auto rows = RowsOf("Date        Code\n\n12/30/2025  99284\n");
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(rows[1].cells.size(), 2u);
  EXPECT_EQ(rows[1].cells[1].text, "99284");
  EXPECT_LT(rows[1].cells[0].x1, rows[1].cells[1].x0);
}

TEST(RowsTest, OcrCellsLoseSpecksAndMergedValuesAreSplit) {
  Page p;
  p.origin = TextOrigin::kOcr;
  Line l;
  l.cells = {Cell{"87880.", Box{10, 0, 40, 10}}, Cell{"95:00", Box{100, 0, 130, 10}},
             Cell{"22.00 13.42", Box{200, 0, 260, 10}}, Cell{".,'", Box{300, 0, 310, 10}}};
  p.lines.push_back(l);
  auto rows = BuildRows({p});
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].cells.size(), 4u);
  EXPECT_EQ(rows[0].cells[0].text, "87880");
  EXPECT_EQ(rows[0].cells[1].text, "95.00");
  EXPECT_EQ(rows[0].cells[2].text, "22.00");
  EXPECT_EQ(rows[0].cells[3].text, "13.42");
}

TEST(RowsTest, AYearSplitOffAMonthNameDateIsJoinedBack) {
  Page p;
  p.origin = TextOrigin::kOcr;
  Line l;  // "Date: March 15, 2026" in a monospaced font: the comma's gap split the cell
  l.cells = {Cell{"Patient: John A. Doe", Box{30, 0, 160, 10}},
             Cell{"Date: March 15,", Box{227, 0, 322, 10}}, Cell{"2026", Box{332, 0, 356, 10}},
             Cell{"March 15", Box{400, 0, 450, 10}}, Cell{"Total", Box{500, 0, 530, 10}},
             Cell{"2026", Box{600, 0, 624, 10}}};
  p.lines.push_back(l);
  auto rows = BuildRows({p});
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].cells.size(), 5u);
  EXPECT_EQ(rows[0].cells[1].text, "Date: March 15, 2026");
  EXPECT_EQ(rows[0].cells[2].text, "March 15");  // a year far off, after another cell, stays
  EXPECT_EQ(rows[0].cells[4].text, "2026");
}

// --- column inference --------------------------------------------------------------

TEST(ColumnsTest, HeaderWordsDropQualifiersAndCurrencies) {
  const ItemRules& r = Generic().items;
  EXPECT_EQ(HeaderWords(r, "Amount (USD)"), "amount");
  EXPECT_EQ(HeaderWords(r, "AMOUNT(S$)"), "amount");
  EXPECT_EQ(HeaderWords(r, "Charges $"), "charges");
  EXPECT_EQ(HeaderWords(r, "Cost (\xE2\x82\xB9)"), "cost");
  EXPECT_EQ(HeaderWords(r, "Amount INR"), "amount");
  EXPECT_EQ(HeaderWords(r, "DescriptionCPT"), "description cpt");
  EXPECT_EQ(HeaderWords(r, "Description"), "description");  // not split when it is a word
}

TEST(ColumnsTest, AlternativesAndAbbreviationsNameColumns) {
  const ItemRules& r = Generic().items;
  EXPECT_EQ(LookupColumn(r, "description / particulars"), Column::kDescription);
  EXPECT_EQ(LookupColumn(r, "svc dt"), Column::kDate);
  EXPECT_EQ(LookupColumn(r, "cpt cd"), Column::kCode);
  EXPECT_EQ(LookupColumn(r, "rev cd"), Column::kRevenue);
  EXPECT_EQ(LookupColumn(r, "chg"), Column::kCharge);
  EXPECT_EQ(LookupColumn(r, "patient name / address"), Column::kIgnore);  // first alternative
  EXPECT_FALSE(LookupColumn(r, "remarks about the visit").has_value());
}

TEST(ColumnsTest, HeaderWithQualifiersAndAbbreviationsIsFound) {
  auto rows = RowsOf(
      "Svc Dt      CPT Cd    Description / Particulars     Qty    Amount (USD)\n"
      "01/05/2026  99213     Office visit                    1          150.00\n");
  auto cols = HeaderAt(Generic().items, rows, 0);
  ASSERT_TRUE(cols.has_value());
  std::vector<Column> kinds;
  for (const auto& c : *cols) kinds.push_back(c.kind);
  EXPECT_EQ(kinds, (std::vector<Column>{Column::kDate, Column::kCode, Column::kDescription,
                                        Column::kQuantity, Column::kCharge}));
  EXPECT_FALSE(HeaderAt(Generic().items, rows, 1).has_value());  // a row with values
}

TEST(ColumnsTest, ProseIsNotAHeader) {
  auto rows = RowsOf("Please call us about the amount you owe\n");
  EXPECT_FALSE(HeaderAt(Generic().items, rows, 0).has_value());
}

TEST(ColumnsTest, CellsGoToTheColumnTheyFitByTypeAndPlace) {
  auto rows = RowsOf(
      "Date        Code     Description          Charge\n"
      "01/05/2026  99213    Office visit         150.00\n");
  auto cols = HeaderAt(Generic().items, rows, 0);
  ASSERT_TRUE(cols.has_value());
  auto assign = AssignCells(rows[1].cells, *cols, rows[1].width, DateOrder::kMonthFirst);
  ASSERT_EQ(assign.size(), 4u);
  EXPECT_EQ(assign, (std::vector<int>{0, 1, 2, 3}));
}

// --- row shapes --------------------------------------------------------------------

TEST(RowShapesTest, RowStartingWithACode) {
  auto s = ReadRowShape("99213 Office Visit - Est Patient Moderate $350.00", DateOrder::kMonthFirst);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->item.code, "99213");
  EXPECT_EQ(s->item.description, "Office Visit - Est Patient Moderate");
  EXPECT_EQ(s->item.charge, Money{35000});
  EXPECT_TRUE(s->leading_value);
}

TEST(RowShapesTest, SerialLeadersAndAForeignCurrencySign) {
  auto s = ReadRowShape("1. Emergency Visit (CPT 99284) .......... \xC2\xB9" "1,450.00",
                        DateOrder::kMonthFirst);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->item.description, "Emergency Visit (CPT 99284)");
  EXPECT_EQ(s->item.charge, Money{145000});
}

TEST(RowShapesTest, DateLeadsAndLabelColonIsNoted) {
  auto s = ReadRowShape("12/01/2026 Lab test 45.00", DateOrder::kMonthFirst);
  ASSERT_TRUE(s.has_value());
  ASSERT_TRUE(s->item.date_of_service.has_value());
  EXPECT_EQ(s->item.date_of_service->Iso(), "2026-12-01");
  auto c = ReadRowShape("Room charges (5 days): $2,000.00", DateOrder::kMonthFirst);
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->label_colon);
  EXPECT_FALSE(c->leading_value);
  EXPECT_EQ(c->item.description, "Room charges (5 days)");
}

TEST(RowShapesTest, QuantityAndUnitPriceOnlyWhenTheyMultiplyOut) {
  auto s = ReadRowShape("Saline bag 2 $10.50 $21.00", DateOrder::kMonthFirst);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->item.quantity, 2);
  EXPECT_EQ(s->item.unit_price, Money{1050});
  EXPECT_EQ(s->item.charge, Money{2100});
  auto t = ReadRowShape("Saline bag 3 $10.50 $21.00", DateOrder::kMonthFirst);
  ASSERT_TRUE(t.has_value());
  EXPECT_FALSE(t->item.unit_price.has_value());
  EXPECT_EQ(t->item.charge, Money{2100});
}

TEST(RowShapesTest, NoShapeWithoutMoneyOrWords) {
  EXPECT_FALSE(ReadRowShape("Account 12345", DateOrder::kMonthFirst).has_value());
  EXPECT_FALSE(ReadRowShape("99213 $350.00", DateOrder::kMonthFirst).has_value());
  EXPECT_FALSE(ReadRowShape("Office visit 350", DateOrder::kMonthFirst).has_value());
}

// --- items -------------------------------------------------------------------------

TEST(ItemsTest, GluedCodeIsPeeledFromTheDescription) {
  LineItem it;
  it.description = "Complete Blood Count85025";
  PeelGluedCode(&it);
  EXPECT_EQ(it.code, "85025");
  EXPECT_EQ(it.description, "Complete Blood Count");
  LineItem lot;
  lot.description = "Lot 2026-12345";  // not glued to a word
  PeelGluedCode(&lot);
  EXPECT_FALSE(lot.code.has_value());
}

TEST(ItemsTest, TableWithoutHeaderIsReadByShape) {
  auto rows = RowsOf(
      "CITY GENERAL HOSPITAL\n"
      "  99213   Office Visit - Est Patient Moderate           $350.00\n"
      "  J0696   Ceftriaxone Injection 250mg                     $45.00\n"
      "  TOTAL BILLED AMOUNT:                               $395.00\n");
  FieldFinder finder(Generic(), rows);
  auto reading = ReadItems(Generic(), finder, rows, std::nullopt);
  ASSERT_EQ(reading.items.size(), 2u);
  EXPECT_EQ(reading.items[0].code, "99213");
  EXPECT_EQ(reading.items[1].code, "J0696");
  EXPECT_EQ(reading.items[1].charge, Money{4500});
}

TEST(ItemsTest, TwoLineRecordsUnderATwoLineHeader) {
  auto rows = RowsOf(
      "CPT        Units    Billed     Allow      Pay       Deduct     Reas/Remk\n"
      "       Service Dates         Contr      WHold     Denied     Reas/Remk\n"
      "96372        1      $35.00     $17.87     $0.00     $17.87     PR1\n"
      "   01/25/2022 to 01/25/2022  $17.13     $0.00     $0.00      CO45\n"
      "99214,25     1     $153.00     $78.89     $0.00     $78.89     PR1\n"
      "   01/26/2022 to 01/26/2022  $74.11     $0.00     $0.00      CO45\n");
  FieldFinder finder(Generic(), rows);
  auto reading = ReadItems(Generic(), finder, rows, std::nullopt);
  ASSERT_EQ(reading.items.size(), 2u);
  EXPECT_EQ(reading.items[0].code, "96372");
  EXPECT_EQ(reading.items[0].charge, Money{3500});
  EXPECT_EQ(reading.items[0].allowed, Money{1787});
  EXPECT_EQ(reading.items[0].adjustment, Money{1713});
  ASSERT_TRUE(reading.items[1].date_of_service.has_value());
  EXPECT_EQ(reading.items[1].date_of_service->Iso(), "2022-01-26");
  EXPECT_EQ(reading.items[1].modifiers, std::vector<std::string>{"25"});
}

TEST(ItemsTest, ArithmeticDecidesQuantityUnitPriceAndAmount) {
  // The header names the columns in one order, the figures follow another: the amount is
  // the one the other two multiply out to.
  auto rows = RowsOf(
      "Date        Description            Qty      Amount     Unit Price\n"
      "01/05/2026  Saline bag              2       $10.50       $21.00\n"
      "01/05/2026  Gauze pack              3        $4.00       $12.00\n"
      "01/05/2026  Office visit            1      $150.00      $150.00\n");
  FieldFinder finder(Generic(), rows);
  auto reading = ReadItems(Generic(), finder, rows, std::nullopt);
  ASSERT_EQ(reading.items.size(), 3u);
  EXPECT_EQ(reading.items[0].quantity, 2);
  EXPECT_EQ(reading.items[0].unit_price, Money{1050});
  EXPECT_EQ(reading.items[0].charge, Money{2100});
  EXPECT_EQ(reading.items[1].charge, Money{1200});
  EXPECT_EQ(reading.items[2].charge, Money{15000});
}

TEST(ItemsTest, ArithmeticKeepsTheHeaderWhenItMultipliesOut) {
  auto rows = RowsOf(
      "Date        Description            Qty   Unit Price      Amount\n"
      "01/05/2026  Saline bag              2       $10.50       $21.00\n"
      "01/05/2026  Gauze pack              3        $4.00       $12.00\n");
  FieldFinder finder(Generic(), rows);
  auto reading = ReadItems(Generic(), finder, rows, std::nullopt);
  ASSERT_EQ(reading.items.size(), 2u);
  EXPECT_EQ(reading.items[1].quantity, 3);
  EXPECT_EQ(reading.items[1].unit_price, Money{400});
  EXPECT_EQ(reading.items[1].charge, Money{1200});
}

TEST(ItemsTest, DateSharingACellWithTheDescriptionGoesToTheDateColumn) {
  std::string t = "01/05/2026 Office visit";
  auto d = TakeEdgeDate(&t, DateOrder::kMonthFirst);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->Iso(), "2026-01-05");
  EXPECT_EQ(t, "Office visit");
  std::string u = "Visit on 01/05/2026 follow-up";
  EXPECT_FALSE(TakeEdgeDate(&u, DateOrder::kMonthFirst).has_value());
  EXPECT_EQ(u, "Visit on 01/05/2026 follow-up");
  // In a table: the date column is empty and the description cell starts with the date.
  auto rows = RowsOf(
      "Date           Description                  Charge\n"
      "01/05/2026 Office visit, established        150.00\n");
  FieldFinder finder(Generic(), rows);
  auto reading = ReadItems(Generic(), finder, rows, std::nullopt);
  ASSERT_EQ(reading.items.size(), 1u);
  ASSERT_TRUE(reading.items[0].date_of_service.has_value());
  EXPECT_EQ(reading.items[0].date_of_service->Iso(), "2026-01-05");
  EXPECT_EQ(reading.items[0].description, "Office visit, established");
}

TEST(CellTextTest, DateRangeStart) {
  EXPECT_EQ(DateRangeStart("01/25/2022 to 01/27/2022", DateOrder::kMonthFirst)->Iso(), "2022-01-25");
  EXPECT_EQ(DateRangeStart("01/25/2022 - 01/27/2022", DateOrder::kMonthFirst)->Iso(), "2022-01-25");
  EXPECT_FALSE(DateRangeStart("01/25/2022 Office visit", DateOrder::kMonthFirst).has_value());
  EXPECT_FALSE(DateRangeStart("Visit 01/25/2022 to 01/27/2022", DateOrder::kMonthFirst).has_value());
}

// --- header fields -----------------------------------------------------------------

TEST(HeaderFieldsTest, TwoLabelledValuesInOneCell) {
  Row r;
  r.text = "Patient: John A. Doe Date: March 15, 2026";
  r.cells.push_back(CellView{r.text, 30, 400});
  std::vector<Row> rows{r};
  auto found = FieldsFound(Generic(), rows);
  ASSERT_TRUE(found.count(Field::kPatientName));
  EXPECT_EQ(found[Field::kPatientName].text, "John A. Doe");
  ASSERT_TRUE(found.count(Field::kStatementDate));
  EXPECT_EQ(found[Field::kStatementDate].text, "2026-03-15");
}

TEST(HeaderFieldsTest, AbbreviatedLabelsAreWrittenOut) {
  auto rows = RowsOf("Stmt Dt:   03/22/2026        Acct No.:   WC391549\n");
  FieldFinder finder(Generic(), rows);
  EXPECT_EQ(finder.ExpandAbbreviations("stmt dt"), "statement date");
  std::map<Field, FieldValue> found;
  finder.Run(&found);
  ASSERT_TRUE(found.count(Field::kStatementDate));
  EXPECT_EQ(found[Field::kStatementDate].text, "2026-03-22");
  ASSERT_TRUE(found.count(Field::kAccountNumber));
  EXPECT_EQ(found[Field::kAccountNumber].text, "WC391549");
}

TEST(HeaderFieldsTest, ALabelHoldingItsValueDoesNotMakeALabelRow) {
  // "Amount Due: $509.45" is a label with its value: the date beside "Billing Date:" is
  // its value, not something below.
  auto rows = RowsOf("Billing Date:     03/22/26          Amount Due: $509.45\n");
  FieldFinder finder(Generic(), rows);
  EXPECT_FALSE(finder.IsLabelRow(0));
  std::map<Field, FieldValue> found;
  finder.Run(&found);
  ASSERT_TRUE(found.count(Field::kStatementDate));
  EXPECT_EQ(found[Field::kStatementDate].text, "2026-03-22");
  ASSERT_TRUE(found.count(Field::kAmountDue));
  EXPECT_EQ(found[Field::kAmountDue].money, Money{50945});
}

TEST(HeaderFieldsTest, ALabelBoxPrintedOverTwoLinesIsReadAsTwoLineLabels) {
  // "Blue Cross" over "Paid" is the plan's payment, not the patient's: a qualified label is
  // read only when the two lines together are a synonym.
  auto rows = RowsOf(
      "Total          Plan          Blue Cross     Amount\n"
      "Charges        Discount      Paid           Due\n"
      "$66.00         $41.26        $19.79         $4.95\n");
  auto found = FieldsFound(Generic(), rows);
  ASSERT_TRUE(found.count(Field::kAmountDue));
  EXPECT_EQ(found[Field::kAmountDue].money, Money{495});
  ASSERT_TRUE(found.count(Field::kTotalCharges));
  EXPECT_EQ(found[Field::kTotalCharges].money, Money{6600});
  EXPECT_FALSE(found.count(Field::kPatientPaid));
  // A title over a row of labels qualifies none of them.
  rows = RowsOf(
      "ACCOUNT SUMMARY\n"
      "Statement Date      Account Number      Amount Due\n"
      "03/01/2026          A-12345             $50.00\n");
  FieldFinder titled(Generic(), rows);
  found.clear();
  titled.Run(&found);
  ASSERT_TRUE(found.count(Field::kStatementDate));
  EXPECT_EQ(found[Field::kStatementDate].text, "2026-03-01");
  ASSERT_TRUE(found.count(Field::kAmountDue));
  EXPECT_EQ(found[Field::kAmountDue].money, Money{5000});
}

TEST(HeaderFieldsTest, AWordOfATableHeaderTakesNoValueFromTheNextCell) {
  auto rows = RowsOf("Date of    Service    Provider    Negotiated    Paid by    Patient\n");
  auto found = FieldsFound(Generic(), rows);
  EXPECT_FALSE(found.count(Field::kProviderName));
}

TEST(HeaderFieldsTest, TheFirstLineOfATwoLineTableHeaderHoldsNoLabelledValue) {
  // "Provider" over "Charges" titles a column: "Plan" beside it is no provider's name.
  auto rows = RowsOf(
      "Service Provider: Westhaven Clinical Laboratories\n"
      "                                      Provider                        Plan      Patient\n"
      "Procedure   Date      Particulars     Charges    Allowed   Deductible  Paid      Resp\n"
      "87086       08/22/26  Urine culture   59.00      45.43     0.00        15.43     30.00\n");
  auto found = FieldsFound(Eob(), rows);
  ASSERT_TRUE(found.count(Field::kProviderName));
  EXPECT_EQ(found[Field::kProviderName].text, "Westhaven Clinical Laboratories");
}

TEST(HeaderFieldsTest, AColonSetApartFromItsLabelIsNoPartOfTheValue) {
  auto rows = RowsOf("Patient Name     : John Smith\n");
  auto found = FieldsFound(Generic(), rows);
  ASSERT_TRUE(found.count(Field::kPatientName));
  EXPECT_EQ(found[Field::kPatientName].text, "John Smith");
}

TEST(HeaderFieldsTest, OnAnEobABarePaidIsWhatThePlanPaid) {
  auto rows = RowsOf("Billed: $263.00      Paid: $0.00      Patient Resp: $97.88\n");
  auto found = FieldsFound(Eob(), rows);
  ASSERT_TRUE(found.count(Field::kInsurancePaid));
  EXPECT_EQ(found[Field::kInsurancePaid].money, Money{0});
  EXPECT_FALSE(found.count(Field::kPatientPaid));
  ASSERT_TRUE(found.count(Field::kPatientResponsibility));
  EXPECT_EQ(found[Field::kPatientResponsibility].money, Money{9788});
}

TEST(ItemsTest, LabelListClaimLinesOfAnEob) {
  auto rows = RowsOf(
      "Deductible Met YTD: $840.00\n"
      "Coinsurance: 20%\n"
      "This claim\n"
      "Provider: Riverside Primary Care\n"
      "Service Date: June 12, 2026\n"
      "Service: Office visit, established patient\n"
      "Amount Billed: $180.00\n"
      "Patient Responsibility: $132.40\n"
      "Service Date: June 19, 2026\n"
      "Service: Lab work\n"
      "Amount Billed: $45.00\n");
  auto items = ReadLabelListItems(Generic(), rows);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].description, "Office visit, established patient");
  ASSERT_TRUE(items[0].date_of_service.has_value());
  EXPECT_EQ(items[0].date_of_service->Iso(), "2026-06-12");
  EXPECT_EQ(items[0].charge, Money{18000});
  EXPECT_EQ(items[0].patient_responsibility, Money{13240});
  EXPECT_EQ(items[1].charge, Money{4500});
}

TEST(ColumnsTest, TheFirstLineOfATwoLineHeaderIsNotTheHeader) {
  auto rows = RowsOf(
      "Service    Date of                 Service                  Unit      Amount    Insurance\n"
      "Code       Service      Units      Description              Price     (USD)     Paid\n"
      "97110-GP   05-11-2026   1          Therapeutic exercises    $62.00    $62.00    $25.42\n");
  const ItemRules& r = Generic().items;
  EXPECT_FALSE(HeaderAt(r, rows, 0).has_value());
  auto cols = HeaderAt(r, rows, 1);
  ASSERT_TRUE(cols.has_value());
  FieldFinder finder(Generic(), rows);
  auto reading = ReadItems(Generic(), finder, rows, std::nullopt);
  ASSERT_EQ(reading.items.size(), 1u);
  EXPECT_EQ(reading.items[0].code, "97110");
  ASSERT_TRUE(reading.items[0].date_of_service.has_value());
  EXPECT_EQ(reading.items[0].date_of_service->Iso(), "2026-05-11");
}

// --- provider block ----------------------------------------------------------------

TEST(ProviderBlockTest, AnInitialsLogoIsNotTheName) {
  EXPECT_TRUE(IsInitialsOf("PIC", "PINECREST IMAGING CENTER"));
  EXPECT_TRUE(IsInitialsOf("KPIL", "Kestrel Point Imaging & Laboratory"));
  EXPECT_FALSE(IsInitialsOf("PIC", "Valley General Hospital"));
  EXPECT_FALSE(IsInitialsOf("Pic", "Pinecrest Imaging Center"));
  auto rows = RowsOf(
      "BMH                        BROOKSTONE MEMORIAL HOSPITAL\n"
      "                           6882 Tamarind Row\n"
      "                           Brennan Falls, WI 53391\n");
  FieldFinder finder(Generic(), rows);
  Party p;
  ReadProviderBlock(Generic(), rows, finder, &p);
  EXPECT_EQ(p.name, "BROOKSTONE MEMORIAL HOSPITAL");
}

TEST(ProviderBlockTest, TitlesAndProseAreNotNames) {
  EXPECT_TRUE(IsTitleLine(Generic(), "Laboratory Services Statement"));
  EXPECT_TRUE(IsTitleLine(Generic(), "HOSPITAL FINAL BILL"));
  EXPECT_FALSE(IsTitleLine(Generic(), "Valley General Hospital"));
  EXPECT_TRUE(IsSentence("Welcome to your Explanation of Benefits statement"));
  EXPECT_FALSE(IsSentence("Department of Health and Human Services"));
  EXPECT_FALSE(IsSentence("Meridian Credit & Collections, Inc."));
}

TEST(ProviderBlockTest, CapitalTitleAfterTheNameIsStripped) {
  EXPECT_EQ(StripCapitalTitle(Generic(), "Brookstone Family Medicine, PC PATIENT STATEMENT"),
            "Brookstone Family Medicine, PC");
  EXPECT_EQ(StripCapitalTitle(Generic(), "HOSPITAL FINAL BILL"), "HOSPITAL FINAL BILL");
  EXPECT_EQ(StripCapitalTitle(Generic(), "Laboratory Services Statement"), "Laboratory Services Statement");
  EXPECT_EQ(StripCapitalTitle(Generic(), "Valley General Hospital"), "Valley General Hospital");
  EXPECT_EQ(StripCapitalTitle(Generic(), "KESTREL POINT LABORATORY Laboratory Services Statement"),
            "KESTREL POINT LABORATORY");
}

TEST(ProviderBlockTest, LetterheadBelowATitle) {
  auto rows = RowsOf(
      "Laboratory Services Statement\n"
      "Northgate Clinical Labs\n"
      "400 Oak Ave, Suite 2\n"
      "Fresno, CA 93701\n"
      "Account: 5521\n");
  FieldFinder finder(Generic(), rows);
  Party p;
  ReadProviderBlock(Generic(), rows, finder, &p);
  EXPECT_EQ(p.name, "Northgate Clinical Labs");
  ASSERT_EQ(p.address.size(), 2u);
  FillStateZip(&p);
  EXPECT_EQ(p.zip, "93701");
}

TEST(ProviderBlockTest, AnotherPartysLetterheadGivesNoAddressOrPhone) {
  // An EOB's provider is named by label; the letterhead, its address and phone are the plan's.
  auto rows = RowsOf(
      "PINECREST MUTUAL HEALTH PLAN\n"
      "PO Box 99794, Dunmore Heights, PA 18976\n"
      "Questions? 1-800-555-0131\n");
  FieldFinder finder(Eob(), rows);
  Party p;
  p.name = "Westhaven Clinical Laboratories";
  ReadProviderBlock(Eob(), rows, finder, &p);
  EXPECT_EQ(p.name, "Westhaven Clinical Laboratories");
  EXPECT_TRUE(p.address.empty());
  EXPECT_FALSE(p.phone.has_value());
  Party q;  // a bill's letterhead is its provider's
  FieldFinder bill_finder(Generic(), rows);
  ReadProviderBlock(Generic(), rows, bill_finder, &q);
  EXPECT_EQ(q.name, "PINECREST MUTUAL HEALTH PLAN");
  EXPECT_EQ(q.address.size(), 1u);
  EXPECT_EQ(q.phone, "1-800-555-0131");
}

TEST(ProviderBlockTest, AnAddressLineEndsAtItsZipAndLeavesOutThePhone) {
  auto rows = RowsOf(
      "CITY GENERAL HOSPITAL\n"
      "123 Medical Drive | Anytown, CA 90210 | (555) 800-1234\n");
  FieldFinder finder(Generic(), rows);
  Party p;
  ReadProviderBlock(Generic(), rows, finder, &p);
  EXPECT_EQ(p.address, (std::vector<std::string>{"123 Medical Drive", "Anytown, CA 90210"}));
  EXPECT_EQ(p.phone, "(555) 800-1234");
  rows = RowsOf(
      "Brookstone Radiology\n"
      "9066 Alder Crossing, Pelham Ridge, GA 30552 Tel (402) 555-0153\n");
  FieldFinder second(Generic(), rows);
  Party q;
  ReadProviderBlock(Generic(), rows, second, &q);
  EXPECT_EQ(q.address, (std::vector<std::string>{"9066 Alder Crossing, Pelham Ridge, GA 30552"}));
  EXPECT_EQ(q.phone, "(402) 555-0153");
}

TEST(ProviderBlockTest, TheLetterheadIsInTheLargestType) {
  // A department line in body type above the organisation's name in large type.
  std::vector<Row> rows;
  auto add = [&](std::string text, double height) {
    Row r;
    r.line = static_cast<int>(rows.size());
    r.y0 = rows.empty() ? 20 : rows.back().y1 + 4;
    r.y1 = r.y0 + height;
    r.text = text;
    r.cells.push_back(CellView{text, 40, 300});
    rows.push_back(r);
  };
  add("Central Business Office", 9);
  add("Mercy Regional Health", 16);
  add("88 Harbor Rd", 9);
  add("Dover, DE 19901", 9);
  add("Account: 7781", 9);
  FieldFinder finder(Generic(), rows);
  Party p;
  ReadProviderBlock(Generic(), rows, finder, &p);
  EXPECT_EQ(p.name, "Mercy Regional Health");
  ASSERT_FALSE(p.address.empty());
  EXPECT_EQ(p.address.front(), "88 Harbor Rd");
  // All in one size: the first candidate.
  for (auto& r : rows) r.y1 = r.y0 + 9;
  Party q;
  ReadProviderBlock(Generic(), rows, finder, &q);
  EXPECT_EQ(q.name, "Central Business Office");
}

TEST(NormalizeCurrencyTest, ForeignSignsAndStandIns) {
  EXPECT_EQ(ParseMoney("\xE2\x82\xB9" "1,200.00"), Money{120000});
  EXPECT_EQ(ParseMoney("\xC2\xB9" "17,500"), Money{1750000});
  EXPECT_EQ(ParseMoney("`450.00"), Money{45000});
  EXPECT_EQ(ParseMoney("S$ 12.00"), Money{1200});
  EXPECT_TRUE(LooksLikeMoney("\xE2\x82\xAC" "12"));
  EXPECT_FALSE(ParseMoney("\xC2\xB9").has_value());
}

}  // namespace
}  // namespace billwise::grammar_internal
