#include "model/layer.h"

namespace netlens {

const WindowParams& Layer::window_params() const {
  static const WindowParams kDefaults;
  return window ? *window : kDefaults;
}

const LayerExtras& Layer::extra() const {
  static const LayerExtras kDefaults;
  return extras ? *extras : kDefaults;
}

bool is_merge(LayerKind kind) {
  return kind == LayerKind::Add || kind == LayerKind::Mul || kind == LayerKind::Concat;
}

bool is_pool(LayerKind kind) { return kind == LayerKind::MaxPool || kind == LayerKind::AvgPool; }

}  // namespace netlens
