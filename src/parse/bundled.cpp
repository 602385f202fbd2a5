#include "parse/bundled.h"

#include <vector>

#include "bundled_nets_data.h"  // generated: kBundledNets
#include "model/suggest.h"

namespace netlens {

std::span<const BundledNet> bundled_nets() { return {kBundledNets}; }

const BundledNet* find_bundled(std::string_view name) {
  for (const BundledNet& net : kBundledNets) {
    if (net.name == name) {
      return &net;
    }
  }
  return nullptr;
}

std::string bundled_hint(std::string_view name) {
  std::vector<std::string> names;
  for (const BundledNet& net : kBundledNets) {
    names.emplace_back(net.name);
  }
  return did_you_mean(name, names);
}

}  // namespace netlens
