// `kura migrate --from DATA_DIR --to postgresql://… --blobs rados://… --secrets-key-file FILE`:
// moves an embedded installation onto the shared engines and verifies the copy
// (migrate/migration.h). Prints a line per phase and a summary. Exit status: 0 migrated and
// verified, 1 copied but the verification found differences, 2 could not run (nothing
// committed).
#pragma once

#include <string>
#include <vector>

namespace kura::cmd {

// args: the words after `kura migrate`. The process exit code.
int MigrateCommand(const std::vector<std::string>& args);

}  // namespace kura::cmd
