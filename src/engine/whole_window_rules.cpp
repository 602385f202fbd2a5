// Convs and pools on a whole tensor, as ONNX defines them: (N, C, D1...Dn)
// as the dims stand, whatever their roles (ECA's Conv1d across the channels
// of a pooled map, a conv over features folded into positions). The window
// arithmetic is the layout rule's, run on those dims; what the units read
// follows from the roles the window slides over.
#include "engine/shape_rule.h"

namespace netlens::shape {

using dims::text;

std::int64_t Rule::whole_window(Whole& w) const {
  const Dims& d = w.dims;
  if (d.size() < 3 || d.size() > 5) {
    fail(fmt::format("{} reads (batch, channels, 1 to 3 spatial dims); '{}' is {}", layer_.type,
                     *inputs_[0].name, text(d)));
  }
  Shape layout;
  for (std::size_t k = 2; k < d.size(); ++k) {
    layout.size.push_back(d[k]);
  }
  layout.channels = d[1];
  const ShapeInput as_layout{&layout, inputs_[0].name};
  const LayerShape r =
      Rule(layer_, std::span<const ShapeInput>(&as_layout, 1), convention_, file_, batch_).run();
  Dims out{d[0], r.output.channels};
  out.insert(out.end(), r.output.size.begin(), r.output.size.end());
  // Every channel is read; along a dim the window slides over, several
  // positions unless it is 1 wide, stride 1 and unpadded.
  roles::Roles mixed{w.roles[1]};
  roles::Roles roles{w.roles[0], DimRole{Role::Features, 0}};
  bool slides_over_positions = false;
  for (std::size_t k = 2; k < d.size(); ++k) {
    const AxisWindow& a = (*r.window)[k - 2];
    const bool own =
        a.kernel == 1 && a.stride == 1 && a.pad_lo == 0 && a.pad_hi == 0 && d[k] == out[k];
    slides_over_positions = slides_over_positions || (!own && roles::positional(w.roles[k]));
    roles.push_back(own || !roles::positional(w.roles[k]) ? w.roles[k] : DimRole{});
  }
  w.mixing = roles::mixing_over(mixed, w.grid.size());
  if (slides_over_positions && w.mixing != Mixing::Global) {
    w.mixing = Mixing::Unknown;  // a window over some positions: not followed on roles
  }
  w.dims = std::move(out);
  w.roles = std::move(roles);
  w.windows = r.window;
  return r.params;
}

}  // namespace netlens::shape
