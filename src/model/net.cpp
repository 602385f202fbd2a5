#include "model/net.h"

namespace netlens {

const char* convention_name(Convention c) {
  switch (c) {
    case Convention::PyTorch:
      return "pytorch";
    case Convention::Keras:
      return "keras";
    case Convention::Caffe:
      return "caffe";
  }
  return "pytorch";
}

std::optional<Convention> convention_from_name(std::string_view name) {
  if (name == "pytorch") {
    return Convention::PyTorch;
  }
  if (name == "keras") {
    return Convention::Keras;
  }
  if (name == "caffe") {
    return Convention::Caffe;
  }
  return std::nullopt;
}

}  // namespace netlens
