// The receptive-field table of Araujo et al. (Distill 2019) and
// google-research/receptive_field for the TF-Slim nets netlens bundles a twin
// of: rf / jump / padding_eff at the last feature map.
#include <catch2/catch.hpp>

#include "helpers.h"

using namespace netlens;
using namespace netlens::test;

namespace {
void check_row(const std::string& net, const std::string& layer, std::int64_t rf, std::int64_t jump,
               std::int64_t padding) {
  const Report report = analyze_bundled(net);
  for (const LayerReport& lr : report.layers) {
    if (report.layer(lr.index - 1).name != layer) {
      continue;
    }
    for (std::size_t a = 0; a < 2; ++a) {
      CHECK(lr.rf[a].rf == rf);
      CHECK(lr.rf[a].jump == Ratio::of(jump));
      CHECK(lr.rf[a].padding_eff == Ratio::of(padding));
    }
    return;
  }
  FAIL("no layer " << layer << " in " << net);
}
}  // namespace

TEST_CASE("the Distill / receptive_field table", "[oracle][distill]") {
  SECTION("vgg_16: 212 / 32 / 90") { check_row("vgg16", "pool5", 212, 32, 90); }
  // torchvision's inception_v3 has TF-Slim's layout: Mixed_7c is 1311 / 32 / 618.
  SECTION("inception_v3: 1311 / 32 / 618") {
    check_row("inception_v3", "Mixed_7c.cat_2", 1311, 32, 618);
  }
}
