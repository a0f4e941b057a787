#include "pipeline/refdata/revenue_codes.h"

#include <cctype>

namespace billwise {
namespace {

// Longest prefix first where a category has a more specific code.
struct Category {
  const char* prefix;
  const char* name;
};

constexpr Category kCategories[] = {
    {"0762", "observation hours"},
    {"0760", "treatment or observation room"},
    {"0761", "treatment room"},
    {"0769", "observation room"},
    {"0636", "drugs that need detailed coding"},
    {"0278", "implants"},
    {"0490", "ambulatory surgical care"},
    {"010", "room and board"},
    {"011", "room and board, private"},
    {"012", "room and board, semi-private"},
    {"013", "room and board, semi-private"},
    {"014", "room and board, private deluxe"},
    {"015", "room and board, ward"},
    {"016", "room and board"},
    {"017", "nursery"},
    {"018", "leave of absence"},
    {"019", "subacute care"},
    {"020", "intensive care"},
    {"021", "coronary care"},
    {"022", "special charges"},
    {"023", "incremental nursing"},
    {"024", "all-inclusive ancillary"},
    {"025", "pharmacy"},
    {"026", "IV therapy"},
    {"027", "medical and surgical supplies"},
    {"028", "oncology"},
    {"029", "durable medical equipment"},
    {"030", "laboratory"},
    {"031", "pathology laboratory"},
    {"032", "diagnostic radiology"},
    {"033", "therapeutic radiology"},
    {"034", "nuclear medicine"},
    {"035", "CT scan"},
    {"036", "operating room services"},
    {"037", "anesthesia"},
    {"038", "blood"},
    {"039", "blood storage and processing"},
    {"040", "other imaging"},
    {"041", "respiratory services"},
    {"042", "physical therapy"},
    {"043", "occupational therapy"},
    {"044", "speech therapy"},
    {"045", "emergency room"},
    {"046", "pulmonary function"},
    {"047", "audiology"},
    {"048", "cardiology"},
    {"049", "ambulatory surgical care"},
    {"051", "clinic"},
    {"052", "free-standing clinic"},
    {"061", "MRI"},
    {"062", "medical and surgical supplies"},
    {"063", "drugs"},
    {"070", "cast room"},
    {"071", "recovery room"},
    {"072", "labor and delivery"},
    {"073", "EKG/ECG"},
    {"074", "EEG"},
    {"075", "gastrointestinal services"},
    {"079", "lithotripsy"},
    {"080", "dialysis"},
    {"090", "behavioral health"},
    {"091", "behavioral health"},
    {"092", "other diagnostic services"},
    {"094", "other therapeutic services"},
    {"096", "professional fees"},
    {"097", "professional fees"},
    {"098", "professional fees"},
    {"099", "patient convenience items"},
};

}  // namespace

std::string RevenueCodeName(std::string_view revenue_code) {
  std::string rc(revenue_code);
  if (rc.size() == 3) rc = "0" + rc;
  if (rc.size() != 4) return "";
  for (char c : rc) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return "";
  }
  for (const Category& c : kCategories) {
    if (rc.starts_with(c.prefix)) return c.name;
  }
  return "";
}

}  // namespace billwise
