// Engine::Impl: what an Engine holds once loaded. Internal to pipeline/run and the
// front-ends that need the loaded resources (letters, estimate).
#ifndef BILLWISE_PIPELINE_RUN_ENGINE_IMPL_H_
#define BILLWISE_PIPELINE_RUN_ENGINE_IMPL_H_

#include <string>

#include "pipeline/run/run.h"

namespace billwise {

struct Engine::Impl {
  std::string data_dir;
  EngineOptions options;
};

}  // namespace billwise

#endif  // BILLWISE_PIPELINE_RUN_ENGINE_IMPL_H_
