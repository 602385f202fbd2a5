#include "parse/bundled.h"

#include <vector>

#include "bundled_nets_data.h"  // generated: kBundledNets
#include "model/suggest.h"

namespace netlens {

std::span<const BundledNet> bundled_nets() { return {kBundledNets}; }

// Case-insensitive: VGG16 is vgg16 (the bundled names are all lower case).
const BundledNet* find_bundled(std::string_view name) {
  const std::string wanted = lower(name);
  for (const BundledNet& net : kBundledNets) {
    if (net.name == wanted) {
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
  return did_you_mean(lower(name), names);
}

}  // namespace netlens
