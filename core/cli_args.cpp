#include "core/cli_args.hpp"

namespace hl {

std::optional<std::string> CliArgs::get(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

Result<CliArgs> parse_cli(int argc, const char* const* argv, const std::set<std::string>& flag_names) {
  CliArgs out;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.starts_with("--")) {
      std::string name = a.substr(2);
      if (auto eq = name.find('='); eq != std::string::npos) {
        out.options[name.substr(0, eq)] = name.substr(eq + 1);
      } else if (flag_names.contains(name)) {
        out.flags.insert(name);
      } else if (i + 1 < argc) {
        out.options[name] = argv[++i];
      } else {
        return fail(Errc::bad_request, "option --" + name + " needs a value");
      }
    } else {
      out.words.push_back(std::move(a));
    }
  }
  return out;
}

}  // namespace hl
