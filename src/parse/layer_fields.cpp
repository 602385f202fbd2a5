#include "parse/layer_fields.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <climits>
#include <type_traits>
#include <vector>

#include "model/report.h"
#include "model/suggest.h"

namespace netlens {

namespace {

using F = FieldFormat;
using Ints = std::vector<std::int64_t>;

template <class>
[[maybe_unused]] inline constexpr bool kUnsupported = false;

// What one field read needs to know besides the member it fills.
struct Read {
  const FieldReader& r;
  const LayerType& type;
  const FieldDef& def;
  const DocNode& node;
  const std::string& path;
};

constexpr std::int64_t min_of(FieldFormat f) {
  switch (f) {
    case F::Count:
    case F::AxisCounts:
    case F::Stride:
    case F::Sizes:
    case F::InertCount:
      return 1;
    case F::Count0:
    case F::AxisOffsets:
    case F::Parts:
    case F::Repeats:
      return 0;
    case F::Shape:
      return -1;
    case F::Int:
    case F::IntOrNull:
    case F::Dims:
    case F::Ints:
    case F::Flag:
    case F::Real:
    case F::AxisFactors:
    case F::Padding:
    case F::Cropping:
    case F::Mode:
    case F::Choice:
    case F::Warnings:
    case F::InertNumber:
    case F::InertFlag:
    case F::InertChoice:
      return INT64_MIN;
  }
  return INT64_MIN;
}

// "a, b or c": the words of `choices`.
std::string choice_list(std::string_view choices) {
  std::vector<std::string_view> words;
  for_each_word(choices, [&](std::string_view w) { words.push_back(w); });
  const std::string_view last = words.back();
  words.pop_back();
  return fmt::format("{} or {}", fmt::join(words, ", "), last);
}

std::string choice(const Read& c) {
  std::string word = c.r.string(c.node, c.path);
  bool known = false;
  for_each_word(c.def.choices, [&](std::string_view w) { known = known || w == word; });
  if (!known) {
    c.r.fail(c.node, c.path,
             fmt::format("expected {}, got '{}'", choice_list(c.def.choices), word));
  }
  return word;
}

// The names of the upsampling modes; the first of each mode is the one written.
constexpr std::pair<std::string_view, UpsampleMode> kModes[] = {
    {"nearest", UpsampleMode::Nearest},    {"nearest-exact", UpsampleMode::NearestExact},
    {"bilinear", UpsampleMode::Bilinear},  {"linear", UpsampleMode::Bilinear},
    {"trilinear", UpsampleMode::Bilinear}, {"bicubic", UpsampleMode::Bicubic}};

UpsampleMode upsample_mode(const Read& c) {
  const std::string mode = c.r.string(c.node, c.path);
  for (const auto& [name, m] : kModes) {
    if (mode == name) {
      return m;
    }
  }
  c.r.fail(c.node, c.path,
           fmt::format("expected nearest, nearest-exact, bilinear (linear, trilinear) or "
                       "bicubic, got '{}'",
                       mode));
}

// A list of ints; [] is allowed where it means a scalar's shape or every dim.
Ints int_list(const Read& c, FieldFormat f) {
  const bool empty_ok = f == F::Dims || f == F::Shape || f == F::Repeats;
  if (empty_ok && c.node.kind == DocNode::Kind::Seq && c.node.items.empty()) {
    return {};
  }
  return c.r.int_list(c.node, c.path, min_of(f));
}

// Warning kinds by name, as -W names them.
std::vector<std::string> warning_kinds(const Read& c) {
  std::vector<std::string> kinds;
  const auto add = [&](const DocNode& item, const std::string& path) {
    const std::string name = c.r.string(item, path);
    const std::optional<WarningKind> kind = warning_kind_from_name(name);
    if (!kind) {
      std::vector<std::string> names;
      for (std::size_t k = 0; k < kWarningKinds; ++k) {
        names.emplace_back(warning_kind_name(static_cast<WarningKind>(k)));
      }
      c.r.fail(item, path,
               fmt::format("unknown warning kind '{}'{}; kinds: {}", name,
                           did_you_mean(name, names), fmt::join(names, ", ")));
    }
    kinds.emplace_back(warning_kind_name(*kind));  // whole-tensor: roles-lost
  };
  if (c.node.kind != DocNode::Kind::Seq) {
    add(c.node, c.path);
  }
  for (std::size_t i = 0; i < c.node.items.size(); ++i) {
    add(c.node.items[i], fmt::format("{}[{}]", c.path, i));
  }
  return kinds;
}

std::string inert_text(const Read& c, FieldFormat f) {
  if (f == F::InertNumber) {
    return fmt::format("{}", c.r.number(c.node, c.path));
  }
  if (f == F::InertFlag) {
    return c.r.boolean(c.node, c.path) ? "true" : "false";
  }
  if (f == F::InertChoice) {
    return choice(c);
  }
  return fmt::format("{}", c.r.integer(c.node, c.path, min_of(f)));  // InertCount
}

template <FieldFormat Fmt, class T>
void read_into(const Read& c, T& m) {
  const FieldReader& r = c.r;
  if constexpr (std::is_same_v<T, std::int64_t>) {
    m = r.integer(c.node, c.path, min_of(Fmt));
  } else if constexpr (std::is_same_v<T, std::optional<std::int64_t>>) {
    if (!(Fmt == F::IntOrNull && c.node.kind == DocNode::Kind::Null)) {
      m = r.integer(c.node, c.path, min_of(Fmt));
    }
  } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::optional<bool>>) {
    static_assert(Fmt == F::Flag);
    m = r.boolean(c.node, c.path);
  } else if constexpr (std::is_same_v<T, std::optional<double>>) {
    static_assert(Fmt == F::Real);
    m = r.number(c.node, c.path);
  } else if constexpr (std::is_same_v<T, AxisParam<std::int64_t>>) {
    if (Fmt == F::Stride && c.node.kind == DocNode::Kind::Null && c.type.stride_is_kernel) {
      return;  // PyTorch's and Keras' stride=None: the kernel size
    }
    m = r.axis_ints(c.node, c.path, min_of(Fmt));
  } else if constexpr (std::is_same_v<T, AxisParam<double>>) {
    static_assert(Fmt == F::AxisFactors);
    m = r.axis_numbers(c.node, c.path);
  } else if constexpr (std::is_same_v<T, PaddingParam>) {
    m = r.padding(c.node, c.path);
    if (Fmt == F::Cropping && m.mode != PadMode::Explicit) {
      r.fail(c.node, c.path, "expected an integer, a list or [before, after] pairs");
    }
  } else if constexpr (std::is_same_v<T, UpsampleMode> ||
                       std::is_same_v<T, std::optional<UpsampleMode>>) {
    static_assert(Fmt == F::Mode);
    m = upsample_mode(c);
  } else if constexpr (std::is_same_v<T, Ints> || std::is_same_v<T, std::optional<Ints>>) {
    m = int_list(c, Fmt);
  } else if constexpr (std::is_same_v<T, std::string>) {
    static_assert(Fmt == F::Choice);
    m = choice(c);
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    static_assert(Fmt == F::Warnings);
    m = warning_kinds(c);
  } else if constexpr (std::is_same_v<T, std::vector<InertValue>>) {
    m.push_back({c.def.id, inert_text(c, Fmt)});
  } else {
    static_assert(kUnsupported<T>, "a member type fields.def's formats cannot read");
  }
}

// The text of one value as a YAML/JSON flow scalar or list.
std::string text_of(std::int64_t v) { return fmt::format("{}", v); }
std::string text_of(bool v) { return v ? "true" : "false"; }
std::string text_of(double v) { return fmt::format("{}", v); }
std::string text_of(const std::string& v) { return v; }
std::string text_of(const Ints& v) { return fmt::format("[{}]", fmt::join(v, ", ")); }
std::string text_of(const std::vector<std::string>& v) {
  return fmt::format("[{}]", fmt::join(v, ", "));
}
std::string text_of(const std::array<std::int64_t, 2>& pair) {
  return pair[0] == pair[1] ? text_of(pair[0]) : fmt::format("[{}, {}]", pair[0], pair[1]);
}
template <class T>
std::string text_of(const AxisParam<T>& p) {
  std::vector<std::string> items;
  for (const T& v : p.values) {
    items.push_back(text_of(v));
  }
  return p.scalar ? items.at(0) : fmt::format("[{}]", fmt::join(items, ", "));
}
std::string text_of(const PaddingParam& p) {
  switch (p.mode) {
    case PadMode::Same:
      return "same";
    case PadMode::SameLower:
      return "same_lower";
    case PadMode::Valid:
      return "valid";
    case PadMode::Explicit:
      break;
  }
  return text_of(static_cast<const AxisParam<std::array<std::int64_t, 2>>&>(p));
}
std::string text_of(UpsampleMode m) {
  for (const auto& [name, mode] : kModes) {
    if (mode == m) {
      return std::string(name);
    }
  }
  return "nearest";
}

template <class T>
std::optional<std::string> written(const T& value, const T& fallback, bool required) {
  if constexpr (std::is_same_v<T, std::vector<InertValue>>) {
    (void)fallback;
    (void)required;
    return std::nullopt;  // write_field finds its own
  } else if constexpr (requires { value.has_value(); }) {
    if (!value) {
      return std::nullopt;
    }
    return text_of(*value);
  } else {
    if (!required && value == fallback) {
      return std::nullopt;
    }
    return text_of(value);
  }
}

}  // namespace

void read_field(const FieldReader& reader, const LayerType& type, Field field, const DocNode& node,
                const std::string& path, Layer& layer) {
  const Read c{reader, type, field_def(field), node, path};
  layer.field_pos.push_back({field, node.pos});
  switch (field) {
#define NETLENS_FIELD(id, key, format, member, choices) \
  case Field::id:                                       \
    read_into<FieldFormat::format>(c, layer.member);    \
    return;
#include "model/fields.def"
#undef NETLENS_FIELD
  }
}

std::optional<std::string> write_field(const Layer& layer, Field field, bool required) {
  static const Layer kDefaults;
  for (const InertValue& v : layer.extra->inert) {
    if (v.field == field) {
      return v.text;
    }
  }
  switch (field) {
#define NETLENS_FIELD(id, key, format, member, choices) \
  case Field::id:                                       \
    return written(layer.member, kDefaults.member, required);
#include "model/fields.def"
#undef NETLENS_FIELD
  }
  return std::nullopt;
}

}  // namespace netlens
