#include "parse/bundled.h"

#include "bundled_nets_data.h"  // generated: kBundledNets

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

}  // namespace netlens
