// The small value types that keep a million-layer Report small, and the
// line index every parse error's position comes from.
#include <catch2/catch.hpp>
#include <cstdint>
#include <set>
#include <vector>

#include "model/block_pool.h"
#include "model/compact_optional.h"
#include "model/heap_optional.h"
#include "model/layer.h"
#include "model/name_index.h"
#include "model/node_ids.h"
#include "parse/readers.h"

namespace netlens {
namespace {

TEST_CASE("NodeIds keeps two ids inline and more on the heap, copied and moved whole", "[model]") {
  static_assert(sizeof(NodeIds) == sizeof(std::vector<std::size_t>));
  const auto ids_of = [](const NodeIds& n) { return std::vector<std::size_t>(n.begin(), n.end()); };
  NodeIds ids;
  CHECK(ids.empty());
  for (std::size_t i = 0; i < 9; ++i) {  // inline, then 4, 8 and 16 on the heap
    ids.push_back(10 * i);
    CHECK(ids.size() == i + 1);
    CHECK(ids[i] == 10 * i);
    CHECK(ids[0] == 0);
  }
  CHECK(ids_of(ids) == std::vector<std::size_t>{0, 10, 20, 30, 40, 50, 60, 70, 80});
  const NodeIds small{3, 1};
  for (const NodeIds* original : {static_cast<const NodeIds*>(&ids), &small}) {
    NodeIds copy = *original;
    CHECK(copy == *original);
    CHECK(copy.data() != original->data());
    NodeIds moved = std::move(copy);
    CHECK(moved == *original);
    CHECK(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty, by design
    copy = moved;         // reusable, and assignable both ways
    CHECK(copy == *original);
    moved = NodeIds{7};
    CHECK(ids_of(moved) == std::vector<std::size_t>{7});
    moved = std::move(copy);
    CHECK(moved == *original);
  }
  CHECK_FALSE(small == NodeIds{3});
  CHECK_FALSE(small == NodeIds{3, 2});
}

TEST_CASE("NameIndex finds every name, keeps the first id of a repeated one, and grows",
          "[model]") {
  std::vector<std::string> names;
  const auto name_of = [&](std::size_t id) -> const std::string& { return names[id]; };
  NameIndex index;
  CHECK(index.find("conv1", name_of) == NameIndex::kNone);  // empty: no table yet
  for (std::size_t i = 0; i < 1000; ++i) {                  // from 16 slots, grown six times
    names.push_back("layer" + std::to_string(i));
    CHECK(index.insert(names.back(), i, name_of) == i);
  }
  CHECK(index.size() == 1000);
  for (std::size_t i = 0; i < 1000; ++i) {
    CHECK(index.find("layer" + std::to_string(i), name_of) == i);
  }
  CHECK(index.find("layer1000", name_of) == NameIndex::kNone);
  CHECK(index.find("", name_of) == NameIndex::kNone);
  names.push_back("layer17");  // a repeat answers with the first one's id, stores nothing
  CHECK(index.insert(names.back(), 1000, name_of) == 17);
  CHECK(index.size() == 1000);
  CHECK(index.find("layer17", name_of) == 17);
}

TEST_CASE("CompactOptional behaves as std::optional, at the size of its value", "[model]") {
  static_assert(sizeof(CompactOptional<std::int64_t>) == sizeof(std::int64_t));
  static_assert(sizeof(CompactOptional<Ratio>) == sizeof(Ratio));
  CompactOptional<std::int64_t> rf;
  CHECK_FALSE(rf.has_value());
  CHECK(rf == std::nullopt);
  CHECK(rf.value_or(7) == 7);
  CHECK_THROWS_AS(rf.value(), std::bad_optional_access);
  rf = 0;  // zero is a value, not "none"
  CHECK(rf.has_value());
  CHECK(rf == 0);
  rf = std::optional<std::int64_t>();
  CHECK_FALSE(rf.has_value());

  CompactOptional<Ratio> jump = Ratio{1, 2};
  CHECK(jump->den == 2);
  CHECK(static_cast<std::optional<Ratio>>(jump) == std::optional<Ratio>(Ratio{1, 2}));
  jump.reset();
  CHECK(static_cast<std::optional<Ratio>>(jump) == std::nullopt);
  CHECK(jump == CompactOptional<Ratio>());
}

TEST_CASE("HeapOptional copies its value, and moves without copying", "[model]") {
  HeapOptional<PerAxis<std::int64_t>> a;
  CHECK_FALSE(a.has_value());
  a = PerAxis<std::int64_t>{3, 5};
  HeapOptional<PerAxis<std::int64_t>> b = a;
  (*b)[0] = 4;
  CHECK((*a)[0] == 3);  // a deep copy
  const PerAxis<std::int64_t>* where = &*b;
  HeapOptional<PerAxis<std::int64_t>> c = std::move(b);
  CHECK(&*c == where);
  a = std::nullopt;
  CHECK_FALSE(a.has_value());
}

TEST_CASE("BlockPool hands out distinct, aligned blocks, across chunks, and takes them back",
          "[model]") {
  struct alignas(16) Block {
    std::uint64_t words[5];
  };
  using Pool = BlockPool<sizeof(Block), alignof(Block)>;
  constexpr std::size_t kCount = 40000;  // 1.9 MB: the 64 KB chunk, then 128 KB ... 2 MB
  std::vector<Block*> blocks;
  for (int round = 0; round < 2; ++round) {  // the second round reuses the freed blocks
    for (std::size_t i = 0; i < kCount; ++i) {
      void* p = Pool::allocate();
      REQUIRE(reinterpret_cast<std::uintptr_t>(p) % alignof(Block) == 0);
      blocks.push_back(::new (p) Block{{i, i, i, i, i}});
    }
    std::set<Block*> distinct(blocks.begin(), blocks.end());
    CHECK(distinct.size() == kCount);
    for (std::size_t i = 0; i < kCount; ++i) {  // no block overlaps another
      REQUIRE(blocks[i]->words[0] == i);
      REQUIRE(blocks[i]->words[4] == i);
    }
    for (Block* b : blocks) {
      Pool::deallocate(b);
    }
    blocks.clear();
  }
}

TEST_CASE("a layer reads the extras' defaults until one is written", "[model]") {
  Layer layer;
  CHECK_FALSE(layer.extras.has_value());
  CHECK_FALSE(layer.extra().output_size.given);
  layer.extra_mut().output_size = AxisParam<std::int64_t>::of(6);
  const Layer copy = layer;
  layer.extra_mut().output_size.values[0] = 7;
  CHECK(copy.extra().output_size.values[0] == 6);
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
