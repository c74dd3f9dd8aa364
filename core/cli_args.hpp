#pragma once
// Command-line options of the form `--name value` and `--flag`, after a subcommand path.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace hl {

struct CliArgs {
  std::vector<std::string> words;              // positional words (subcommands)
  std::map<std::string, std::string> options;  // --name value
  std::set<std::string> flags;                 // --flag (names listed as flags by the caller)

  std::optional<std::string> get(const std::string& name) const;
  bool has(const std::string& flag) const { return flags.contains(flag); }
};

// `flag_names` are options that take no value. Fails on `--name` without a value.
Result<CliArgs> parse_cli(int argc, const char* const* argv, const std::set<std::string>& flag_names);

}  // namespace hl
