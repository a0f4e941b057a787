#include "pipeline/refdata/price_quote.h"

namespace billwise {

Expected<CodePrices> PriceCode(const ReferenceData& data, const Service& service, const std::optional<std::string>& zip,
                               const std::optional<std::string>& state, int year) {
  if (!data.PfsConversionFactor(year)) {
    return Fail(ErrorCode::kUsage, "no fee-schedule data for " + std::to_string(year) + " (use 2025 or 2026)");
  }
  CodePrices out;
  out.service = service;
  out.year = year;
  out.location = ResolveLocation(data, zip, state);
  if (const HcpcsDescriptor* h = data.FindHcpcs(service.code)) {
    out.descriptor = h->long_desc.empty() ? h->short_desc : h->long_desc;
  }
  bool known = false;
  for (PfsSetting s : {PfsSetting::kNonFacility, PfsSetting::kFacility}) {
    auto q = PricePfs(data, service, out.location, year, s);
    if (q) {
      out.quotes.push_back(*q);
      known = true;
    } else if (q.error().code != ErrorCode::kNotFound) {
      known = true;
      if (s == PfsSetting::kNonFacility || out.notes.empty() || out.notes.back() != "PFS: " + q.error().message) {
        out.notes.push_back("PFS: " + q.error().message);
      }
    }
  }
  if (auto q = PriceOpps(data, service)) {
    out.quotes.push_back(*q);
    known = true;
  } else if (q.error().code != ErrorCode::kNotFound) {
    known = true;
    out.notes.push_back("OPPS: " + q.error().message);
  }
  if (auto q = PriceClfs(data, service)) {
    out.quotes.push_back(*q);
    known = true;
  }
  if (!known && !out.descriptor) {
    return Fail(ErrorCode::kNotFound, service.code + " is not in the PFS, OPPS or CLFS tables shipped with billwise");
  }
  if (state && !zip) {
    auto in_state = data.LocalitiesInState(*state);
    if (in_state.size() > 1) {
      for (const Locality* l : in_state) {
        PriceLocation where;
        where.locality = l;
        CodePrices::LocalityPrices lp;
        lp.locality = l;
        if (auto q = PricePfs(data, service, where, year, PfsSetting::kNonFacility)) lp.nonfacility = q->amount;
        if (auto q = PricePfs(data, service, where, year, PfsSetting::kFacility)) lp.facility = q->amount;
        if (lp.nonfacility || lp.facility) out.state_localities.push_back(lp);
      }
    }
  }
  return out;
}

}  // namespace billwise
