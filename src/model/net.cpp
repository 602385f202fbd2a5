#include "model/net.h"

#include <array>
#include <utility>

namespace netlens {

namespace {
constexpr std::array<std::pair<Convention, const char*>, 3> kConventions{
    {{Convention::PyTorch, "pytorch"}, {Convention::Keras, "keras"}, {Convention::Caffe, "caffe"}}};
}  // namespace

const char* convention_name(Convention c) {
  return kConventions[static_cast<std::size_t>(c)].second;
}

std::optional<Convention> convention_from_name(std::string_view name) {
  for (const auto& [c, n] : kConventions) {
    if (name == n) {
      return c;
    }
  }
  return std::nullopt;
}

}  // namespace netlens
