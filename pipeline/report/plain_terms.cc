#include "pipeline/report/plain_terms.h"

#include <algorithm>
#include <cctype>

#include "pipeline/model/strings.h"

namespace billwise {
namespace {

struct TermEntry {
  PlainTerm term;
  std::vector<std::string_view> keys;  // lower case; any one present means the term is used
};

const std::vector<TermEntry>& Entries() {
  static const std::vector<TermEntry> kEntries = {
      {{"Medicare reference",
        "What Medicare pays for the same service in your area, from its public price lists. It is a yardstick for a "
        "fair price, not what you owe."},
       {"medicare", "reference"}},
      {{"Ratio",
        "The charge divided by the Medicare reference: 3.00x means three times what Medicare pays for the service."},
       {"ratio", "x the medicare", "\xC3\x97"}},
      {{"PFS, OPPS, CLFS",
        "Medicare's price lists: PFS for doctors' services, OPPS for hospital outpatient care, CLFS for lab tests."},
       {"pfs", "opps", "clfs"}},
      {{"NCCI",
        "National Correct Coding Initiative: Medicare's public list of code pairs that should not be billed together "
        "on the same day, because one service is part of the other."},
       {"ncci", "bundl"}},
      {{"MUE",
        "Medically Unlikely Edit: Medicare's public limit on how many units of a service are normally billed for one "
        "patient on one day."},
       {"mue", "units"}},
      {{"Packaged (bundled)",
        "A service whose price is already included in another service billed the same day, so it should not be "
        "charged on its own."},
       {"packag", "bundl", "included in"}},
      {{"EOB",
        "Explanation of benefits: your insurer's statement of what it paid and what you may owe. It is not a bill."},
       {"eob", "explanation of benefits"}},
      {{"Patient responsibility",
        "The part of a claim the insurer says you pay: deductible, coinsurance and copay. An in-network provider may "
        "not bill you more."},
       {"patient responsibility", "patient share"}},
      {{"501(r)",
        "The federal rules for nonprofit hospitals: they must offer financial assistance (free or discounted care), "
        "give you at least 240 days after the first bill to apply, and pause collection while you apply."},
       {"501(r)"}},
      {{"Financial assistance",
        "Free or discounted care that a provider gives patients who qualify by income, under its own written policy "
        "(also called charity care). Ask the provider for its policy and application."},
       {"financial assistance", "financial-assistance", "charity care"}},
      {{"Debt validation",
        "When you dispute a debt in writing within the validation period (about 30 days after the collector's first "
        "notice), the collector must prove the debt is yours and the amount is right before collecting more."},
       {"validat"}},
      {{"Certified mail",
        "A Post Office service that gives you a dated receipt and, with a return receipt, proof of delivery."},
       {"certified"}},
      {{"Good-faith estimate",
        "The written price estimate providers must give uninsured and self-pay patients before care. A bill $400 or "
        "more above it can be disputed under the No Surprises Act."},
       {"good-faith", "good faith", "no surprises"}},
      {{"Internal appeal",
        "A written request that your health plan review a denied or wrongly processed claim; you have at least 180 "
        "days from the EOB."},
       {"appeal"}},
  };
  return kEntries;
}

}  // namespace

const std::vector<PlainTerm>& AllPlainTerms() {
  static const std::vector<PlainTerm> kAll = [] {
    std::vector<PlainTerm> v;
    for (const auto& e : Entries()) v.push_back(e.term);
    return v;
  }();
  return kAll;
}

std::vector<PlainTerm> TermsUsedIn(std::string_view text) {
  std::string lower = Lower(text);
  // A key counts where a word starts with it ("ratio" in "ratio", not in "administration").
  auto has_word = [&](std::string_view key) {
    for (size_t p = lower.find(key); p != std::string::npos; p = lower.find(key, p + 1)) {
      if (p == 0 || !std::isalnum(static_cast<unsigned char>(lower[p - 1]))) return true;
    }
    return false;
  };
  std::vector<PlainTerm> out;
  for (const auto& e : Entries()) {
    if (std::any_of(e.keys.begin(), e.keys.end(), has_word)) out.push_back(e.term);
  }
  return out;
}

}  // namespace billwise
