#include <CLI/CLI.hpp>

#include "pipeline/cli/commands.h"

namespace billwise {

void AddGlobalOptions(CLI::App& app, CommandContext* ctx) {
  app.add_option("--data-dir", ctx->data_dir, "Folder holding templates/ and data/ (default: auto)");
  app.add_option("--db", ctx->db_path, "Case database file (default: $XDG_DATA_HOME/billwise/cases.db)");
  app.add_flag("--no-store", ctx->no_store, "Keep nothing in the case database");
  app.add_option("--profile", ctx->profile_path, "Patient profile YAML for dropped files (default: $BILLWISE_PROFILE, "
                 "else $XDG_CONFIG_HOME/billwise/profile.yaml)");
}

}  // namespace billwise
