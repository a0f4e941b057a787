// The plan's appeals address read from EOB text (the page text as pdftotext or a plain-text
// EOB gives it): inline, below a label, under a department heading, beside a label in a
// column; nothing when no "City, ST 12345" ends the block.
#include "pipeline/audit/appeals_address.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "extract/source/plain_text.h"

namespace billwise {
namespace {

using Lines = std::vector<std::string>;

Lines Find(const std::string& text) { return FindAppealsAddress(PagesFromPlainText(text)); }

constexpr const char* kTop =
    "PINECREST MUTUAL HEALTH PLAN                                   EXPLANATION OF BENEFITS\n"
    "PO Box 90811, Dunmore Heights, PA 18512 Member Services 1-800-555-0163\n"
    "\n"
    "Member:     Leslie P. Tranh                     Claim Number:   PMH-26-0917-448213\n"
    "\n"
    "Service Date    CPT        Billed     Allowed    Plan Paid    Patient Responsibility\n"
    "09/17/2026      87880       42.00       0.00        0.00          42.00   CO-50\n"
    "\n"
    "You have 180 days from the date of this notice to file an appeal.\n";

TEST(AppealsAddressTest, InlineAfterSendAppealsTo) {
  EXPECT_EQ(Find(std::string(kTop) +
                 "Send appeals to: Pinecrest Appeals Unit, PO Box 7730, Harrow Falls, PA 18499-7730\n"),
            (Lines{"Pinecrest Appeals Unit", "PO Box 7730", "Harrow Falls, PA 18499-7730"}));
}

TEST(AppealsAddressTest, BlockBelowALabel) {
  EXPECT_EQ(Find(std::string(kTop) +
                 "\n"
                 "Appeals address:\n"
                 "Pinecrest Mutual Health Plan\n"
                 "Attn: Member Appeals\n"
                 "2200 Quarry Road, Suite 400\n"
                 "Harrow Falls, PA 18499\n"
                 "\n"
                 "Questions? Call Member Services.\n"),
            (Lines{"Pinecrest Mutual Health Plan", "Attn: Member Appeals", "2200 Quarry Road, Suite 400",
                   "Harrow Falls, PA 18499"}));
}

TEST(AppealsAddressTest, GrievanceAndAppealsHeadingInAColumn) {
  // The block sits in the right-hand column, beside other text.
  EXPECT_EQ(Find(std::string(kTop) +
                 "\n"
                 "Your rights                                         Grievance and Appeals Department\n"
                 "If you disagree, you may appeal in writing.         PO Box 4417\n"
                 "Include a copy of this notice.                      Lansing, MI 48909\n"),
            (Lines{"Grievance and Appeals Department", "PO Box 4417", "Lansing, MI 48909"}));
}

TEST(AppealsAddressTest, ValueBesideTheLabel) {
  EXPECT_EQ(Find(std::string(kTop) +
                 "Mail your appeal to:     Appeals Unit\n"
                 "                         PO Box 1200\n"
                 "                         Tulsa, OK 74101\n"),
            (Lines{"Appeals Unit", "PO Box 1200", "Tulsa, OK 74101"}));
}

TEST(AppealsAddressTest, NothingWithoutAnAddressBlock) {
  // The sentence about appeals and the insurer's letterhead address are not an appeals address.
  EXPECT_TRUE(Find(kTop).empty());
  EXPECT_TRUE(Find(std::string(kTop) + "Send appeals to the address on your member ID card.\n").empty());
  EXPECT_TRUE(Find(std::string(kTop) + "Appeals address:\nPinecrest Mutual Health Plan\nAttn: Member Appeals\n\n"
                                       "Harrow Falls is lovely in spring.\n")
                  .empty());
}

TEST(AppealsAddressTest, StateZipEndings) {
  EXPECT_TRUE(EndsWithStateZip("Dunmore Heights, PA 18512"));
  EXPECT_TRUE(EndsWithStateZip("PA 18512-0811"));
  EXPECT_FALSE(EndsWithStateZip("Claim 18512"));
  EXPECT_FALSE(EndsWithStateZip("Room 4 PA 1851"));
  EXPECT_FALSE(EndsWithStateZip("xPA 18512"));
}

}  // namespace
}  // namespace billwise
