// Engine::Impl: the resources an Engine loads once and shares, read-only, between every
// document it analyzes. Internal to pipeline/run.
#ifndef BILLWISE_PIPELINE_RUN_ENGINE_IMPL_H_
#define BILLWISE_PIPELINE_RUN_ENGINE_IMPL_H_

#include <future>
#include <memory>
#include <string>

#include "extract/grammar/document_type.h"
#include "extract/grammar/layout_set.h"
#include "pipeline/audit/audit_data.h"
#include "pipeline/refdata/reference_data.h"
#include "pipeline/run/run.h"

namespace billwise {

struct Engine::Impl {
  std::string data_dir;
  EngineOptions options;
  // templates/layouts (layout_set.h), loaded by Engine::Load.
  std::shared_future<Expected<std::shared_ptr<const LayoutSet>>> layouts;
  Expected<std::shared_ptr<const LayoutSet>> Layouts() const { return layouts.get(); }
  std::shared_ptr<const DocumentTypeRules> document_types;  // templates/document_types.yaml
  std::shared_ptr<const ReferenceData> reference;     // fee schedules, localities, cash prices
  std::shared_ptr<const AuditData> audit;             // NCCI, MUE, lab panels, poverty guidelines

};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_RUN_ENGINE_IMPL_H_
