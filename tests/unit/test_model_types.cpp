// The layer-type table, the texts the model shares (axis phrases, shapes),
// and the line index every parse error's position comes from.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "engine/shape_rules.h"
#include "model/layer_types.h"
#include "model/report.h"
#include "parse/line_index.h"

namespace netlens {
namespace {

std::vector<std::string> words(std::string_view list) {
  std::vector<std::string> out;
  for_each_word(list, [&](std::string_view w) { out.emplace_back(w); });
  return out;
}

TEST_CASE("every kind has a row, names and aliases are unique, required keys are taken",
          "[model]") {
  std::set<LayerKind> kinds;
  std::set<std::string> names;
  for (const LayerType& t : layer_types()) {
    kinds.insert(t.kind);
    CHECK(names.insert(std::string(t.name)).second);
    for (const std::string& alias : words(t.aliases)) {
      CHECK(names.insert(alias).second);
    }
    std::vector<std::string> fields = words(t.fields);
    fields.emplace_back("inputs");
    for (const std::string& field : words(t.required)) {
      CHECK(std::find(fields.begin(), fields.end(), field) != fields.end());
    }
    CHECK(&layer_type(t.kind) ==
          &*std::find_if(layer_types().begin(), layer_types().end(),
                         [&](const LayerType& u) { return u.kind == t.kind; }));
  }
  CHECK(kinds.size() == kLayerKinds);
}

TEST_CASE("every field a row names is in the schema, once, with a key of its own in the row",
          "[model]") {
  for (const LayerType& t : layer_types()) {
    INFO(t.name);
    std::set<std::string_view> keys{"name", "type", "inputs", "params", "allow"};
    for (const std::string& name : words(t.fields)) {
      INFO(name);
      const std::optional<Field> field = field_named(name);
      REQUIRE(field);
      CHECK(field_def(*field).name == name);
      CHECK(keys.insert(field_def(*field).key).second);
    }
  }
  CHECK(field_def(Field::crop_size).key == "size");
  CHECK(field_def(Field::in_features).member == field_def(Field::in_channels).member);
  CHECK_FALSE(field_named("size_of"));
}

TEST_CASE("type names resolve with case, separators and rank suffixes", "[model]") {
  const auto name_of = [](std::string_view written) {
    const auto m = find_layer_type(written);
    return m ? std::string(m->type->name) + "/" + std::to_string(m->rank) : std::string("none");
  };
  CHECK(name_of("Conv2d") == "conv/2");
  CHECK(name_of("conv_transpose") == "conv_transpose/0");
  CHECK(name_of("Conv2DTranspose") == "conv_transpose/2");
  CHECK(name_of("max_pool_2d") == "maxpool/2");
  CHECK(name_of("SpatialDropout1D") == "dropout/1");
  CHECK(name_of("Swish") == "silu/0");
  CHECK(name_of("ReLU2d") == "none");  // activations take no rank
  CHECK(name_of("convolutions") == "none");
  CHECK(find_layer_type("UpsamplingBilinear2d")->fixed_bilinear);
  CHECK(find_layer_type("UpSampling2D")->keras_upsampling);
  CHECK(suggest_layer_type("conv2") == "conv");
  CHECK(suggest_layer_type("ConvTranspse") == "conv_transpose");
  CHECK(canonical_field(LayerKind::Conv, "strides") == "stride");
  CHECK(canonical_field(LayerKind::Lrn, "local_size") == "size");
  CHECK(canonical_field(LayerKind::Conv, "local_size") == "local_size");
}

TEST_CASE("axis phrases name one axis, two of three, or every axis", "[model]") {
  CHECK(axis_phrase({0}, 1) == "axis l");
  CHECK(axis_phrase({1}, 2) == "axis w");
  CHECK(axis_phrase({0, 1}, 2) == "every axis");
  CHECK(axis_phrase({0, 2}, 3) == "axes d and w");
  CHECK(axis_phrase({0, 1, 2}, 3) == "every axis");
}

TEST_CASE("per-axis findings of one kind and text become one warning", "[model]") {
  const std::vector<Warning> w = merge_axis_findings({{WarningKind::UnreadInput, 0, "a on {axes}"},
                                                      {WarningKind::PaddingOnly, 1, "b on {axes}"},
                                                      {WarningKind::UnreadInput, 2, "a on {axes}"},
                                                      {WarningKind::UnreadInput, 1, "c on {axes}"}},
                                                     3);
  REQUIRE(w.size() == 3);
  CHECK(w[0].kind == WarningKind::UnreadInput);
  CHECK(w[0].axes == std::vector<std::size_t>{0, 2});
  CHECK(w[0].text == "a on axes d and w");
  CHECK(w[1].text == "b on axis h");
  CHECK(w[2].text == "c on axis h");
  CHECK(std::string(warning_kind_name(w[1].kind)) == "padding-only");
}

TEST_CASE("the line index answers in any order", "[parse]") {
  const LineIndex lines("ab\ncd\n\nef");
  CHECK(lines.at(0) == SourcePos{1, 1});
  CHECK(lines.at(4) == SourcePos{2, 2});
  CHECK(lines.at(8) == SourcePos{4, 2});
  CHECK(lines.at(1) == SourcePos{1, 2});  // backwards: the binary search
  CHECK(lines.at(6) == SourcePos{3, 1});
  CHECK(lines.at(2) == SourcePos{1, 3});  // the newline belongs to its line
  CHECK(lines.at(9) == SourcePos{4, 3});  // the end of the text
  CHECK(end_of_text("ab\ncd\n\nef") == SourcePos{4, 3});
  CHECK(end_of_text("ab\n") == SourcePos{2, 1});
  CHECK(end_of_text("") == SourcePos{1, 1});
}

}  // namespace
}  // namespace netlens
