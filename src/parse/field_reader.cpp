#include "parse/field_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "model/suggest.h"

namespace netlens {

std::string describe(const DocNode& node) {
  if (node.kind == DocNode::Kind::Seq || node.kind == DocNode::Kind::Map) {
    return kind_name(node.kind);
  }
  if (node.kind == DocNode::Kind::Null) {
    return "null";
  }
  // Long values are cut: the message stays one readable line.
  std::string text = node.text.size() > 40 ? node.text.substr(0, 37) + "..." : node.text;
  if (node.kind == DocNode::Kind::String) {
    return fmt::format("'{}'", text);
  }
  return text;
}

void FieldReader::check_key(const DocNode& map, std::size_t i, const std::string& path,
                            const std::vector<std::string>& allowed) const {
  if (std::find(allowed.begin(), allowed.end(), map.keys[i]) == allowed.end()) {
    fail_at(map.key_pos[i], path,
            fmt::format("unknown key '{}'{}; allowed: {}", map.keys[i],
                        did_you_mean(map.keys[i], allowed), fmt::join(allowed, ", ")));
  }
}

namespace {
bool looks_like_non_decimal_int(const std::string& t) {
  std::size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
  return t.size() > i + 1 && t[i] == '0' &&
         (std::isdigit(static_cast<unsigned char>(t[i + 1])) != 0 || t[i + 1] == 'x' ||
          t[i + 1] == 'o' || t[i + 1] == 'b');
}
}  // namespace

std::int64_t FieldReader::integer(const DocNode& node, const std::string& path,
                                  std::int64_t min) const {
  switch (node.kind) {
    case DocNode::Kind::Int:
      break;
    case DocNode::Kind::Float:
      if (std::isfinite(node.float_value) && std::fabs(node.float_value) >= 9.2e18 &&
          node.float_value == std::floor(node.float_value)) {
        fail(node, path, fmt::format("integer {} is out of range", node.text));
      }
      fail(node, path, fmt::format("expected an integer, got {}", node.text));
    case DocNode::Kind::String:
      if (!node.quoted && looks_like_non_decimal_int(node.text)) {
        fail(node, path,
             fmt::format("expected a decimal integer, got '{}' (no leading zeros, octal or hex)",
                         node.text));
      }
      [[fallthrough]];
    default:
      fail(node, path, fmt::format("expected an integer, got {}", describe(node)));
  }
  if (node.int_value < min) {
    fail(node, path, fmt::format("must be >= {} (got {})", min, node.int_value));
  }
  return node.int_value;
}

double FieldReader::number(const DocNode& node, const std::string& path) const {
  if (node.kind == DocNode::Kind::Int) {
    return static_cast<double>(node.int_value);
  }
  if (node.kind == DocNode::Kind::Float && std::isfinite(node.float_value)) {
    return node.float_value;
  }
  fail(node, path, fmt::format("expected a number, got {}", describe(node)));
}

bool FieldReader::boolean(const DocNode& node, const std::string& path) const {
  if (node.kind != DocNode::Kind::Bool) {
    fail(node, path, fmt::format("expected true or false, got {}", describe(node)));
  }
  return node.bool_value;
}

std::string FieldReader::string(const DocNode& node, const std::string& path) const {
  if (node.kind != DocNode::Kind::String) {
    fail(node, path, fmt::format("expected a string, got {}", describe(node)));
  }
  return node.text;
}

namespace {

// One value for every axis, or a list of one per axis; `read(node, path)`
// reads one value.
template <class T, class Read>
AxisParam<T> axis_list(const FieldReader& r, const DocNode& node, const std::string& path,
                       Read read) {
  AxisParam<T> p;
  p.given = true;
  if (node.kind != DocNode::Kind::Seq) {
    p.values.push_back(read(node, path));
    return p;
  }
  if (node.items.empty() || node.items.size() > kMaxRank) {
    r.fail(
        node, path,
        fmt::format("expected 1 to 3 entries (one per spatial axis), got {}", node.items.size()));
  }
  p.scalar = false;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    p.values.push_back(read(node.items[i], fmt::format("{}[{}]", path, i)));
  }
  return p;
}

}  // namespace

AxisParam<std::int64_t> FieldReader::axis_ints(const DocNode& node, const std::string& path,
                                               std::int64_t min) const {
  using K = DocNode::Kind;
  if (node.kind != K::Seq && node.kind != K::Int && node.kind != K::Float &&
      node.kind != K::String) {
    fail(node, path,
         fmt::format("expected an integer or a list of integers (one per spatial axis), got {}",
                     describe(node)));
  }
  return axis_list<std::int64_t>(*this, node, path, [&](const DocNode& n, const std::string& at) {
    return integer(n, at, min);
  });
}

AxisParam<double> FieldReader::axis_numbers(const DocNode& node, const std::string& path) const {
  return axis_list<double>(*this, node, path, [&](const DocNode& n, const std::string& at) {
    const double v = number(n, at);
    if (!(v > 0)) {
      fail(n, at, fmt::format("must be > 0 (got {})", n.text));
    }
    return v;
  });
}

PaddingParam FieldReader::padding(const DocNode& node, const std::string& path) const {
  PaddingParam p;
  if (node.kind == DocNode::Kind::String) {
    p.given = true;
    if (node.text == "valid" || node.text == "VALID") {
      p.mode = PadMode::Valid;
    } else if (node.text == "same" || node.text == "SAME") {
      p.mode = PadMode::Same;
    } else if (node.text == "same_lower" || node.text == "SAME_LOWER") {
      p.mode = PadMode::SameLower;
    } else if (!node.quoted && looks_like_non_decimal_int(node.text)) {
      integer(node, path, 0);  // reports the leading-zero error
    } else {
      fail(node, path,
           fmt::format("expected an integer, a list, or one of valid, same, same_lower; got {}",
                       describe(node)));
    }
    return p;
  }
  // An int for both sides, or a [before, after] pair; one for every axis or one per axis.
  using Pair = std::array<std::int64_t, 2>;
  static_cast<AxisParam<Pair>&>(
      p) = axis_list<Pair>(*this, node, path, [&](const DocNode& n, const std::string& at) {
    if (n.kind != DocNode::Kind::Seq) {
      const std::int64_t v = integer(n, at, 0);
      return Pair{v, v};
    }
    if (n.items.size() != 2) {
      fail(n, at, fmt::format("expected a [before, after] pair, got {} entries", n.items.size()));
    }
    return Pair{integer(n.items[0], at + "[0]", 0), integer(n.items[1], at + "[1]", 0)};
  });
  return p;
}

std::vector<std::int64_t> FieldReader::int_list(const DocNode& node, const std::string& path,
                                                std::int64_t min) const {
  if (node.kind != DocNode::Kind::Seq) {
    return {integer(node, path, min)};
  }
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    out.push_back(integer(node.items[i], fmt::format("{}[{}]", path, i), min));
  }
  if (out.empty()) {
    fail(node, path, "expected an integer or a list of integers, got an empty list");
  }
  return out;
}

void FieldReader::names(const DocNode& node, const std::string& path,
                        std::vector<std::string>& names, std::vector<SourcePos>& pos) const {
  if (node.kind == DocNode::Kind::String) {
    names.push_back(node.text);
    pos.push_back(node.pos);
    return;
  }
  if (node.kind != DocNode::Kind::Seq || node.items.empty()) {
    fail(node, path,
         fmt::format("expected a list of layer names, got {}",
                     node.kind == DocNode::Kind::Seq ? "an empty list" : describe(node)));
  }
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    names.push_back(string(node.items[i], fmt::format("{}[{}]", path, i)));
    pos.push_back(node.items[i].pos);
  }
}

}  // namespace netlens
