// The nets shipped inside the binary (nets/*.yaml, embedded at build time).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace netlens {

struct BundledNet {
  std::string_view name;         // the file's stem: vgg16, zf-5, ...
  std::string_view description;  // the file's first comment line
  std::string_view text;         // the YAML as written
};

std::span<const BundledNet> bundled_nets();
const BundledNet* find_bundled(std::string_view name);
// " (did you mean 'vgg16'?)" for the closest bundled name, or "".
std::string bundled_hint(std::string_view name);

}  // namespace netlens
