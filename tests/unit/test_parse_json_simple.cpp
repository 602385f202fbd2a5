// The fast JSON reader against nlohmann: on every text it accepts, the tree,
// the streamed layers, every position and every error must be the same.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "helpers.h"
#include "parse/bundled.h"
#include "parse/readers.h"
#include "readers_compare.h"

namespace netlens {
namespace {

// Compares the two readers on `text`; returns whether the fast one took it.
bool fast_json_agrees(const std::string& text) {
  const test::Readers r = test::compare_json_readers(text);
  if (r.accepted) {
    INFO(text);
    CHECK(r.fast == r.library);
  }
  return r.accepted;
}

// A Doc tree as JSON (keys sorted, as nlohmann's objects are).
nlohmann::json to_json(const DocNode& n) {
  switch (n.kind) {
    case DocNode::Kind::Null:
      return nullptr;
    case DocNode::Kind::Bool:
      return n.bool_value;
    case DocNode::Kind::Int:
      return n.int_value;
    case DocNode::Kind::Float:
      return n.float_value;
    case DocNode::Kind::String:
      return n.text;
    case DocNode::Kind::Seq: {
      nlohmann::json seq = nlohmann::json::array();
      for (const DocNode& item : n.items) {
        seq.push_back(to_json(item));
      }
      return seq;
    }
    case DocNode::Kind::Map: {
      nlohmann::json map = nlohmann::json::object();
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        map[n.keys[i]] = to_json(n.items[i]);
      }
      return map;
    }
  }
  return nullptr;
}

TEST_CASE("the fast JSON reader takes every bundled net written as JSON, as nlohmann reads it",
          "[parse]") {
  for (const BundledNet& net : bundled_nets()) {
    INFO(net.name);
    const nlohmann::json spec = to_json(read_yaml(net.text, std::string(net.name), nullptr));
    CHECK(fast_json_agrees(spec.dump(2)));  // a spec as people write it
    CHECK(fast_json_agrees(spec.dump()));   // one line, as scripts write it
  }
}

TEST_CASE("the fast JSON reader agrees with nlohmann on the test, oracle and corpus files",
          "[parse]") {
  std::size_t accepted = 0;
  std::size_t total = 0;
  for (const std::string& dir : {test::source_path("tests/data"), test::shared_path("oracle"),
                                 test::shared_path("corpora/json-test-suite")}) {
    for (const std::string& file : test::files_under(dir, {".json"})) {
      INFO(file);
      if (fast_json_agrees(test::slurp(file))) {
        ++accepted;
      }
      ++total;
    }
  }
  // The oracle's files hold floats and the corpus is mostly what this reader
  // leaves to nlohmann; the count keeps the comparison from passing by
  // accepting nothing.
  CHECK(total == 361);
  CHECK(accepted == 22);
}

TEST_CASE("the fast JSON reader: what it takes and what it leaves", "[parse]") {
  const std::string deep = "{\"a\": " + std::string(70, '[') + std::string(70, ']') + "}";
  const std::string taken[] = {
      "{}",
      "{\"a\": 1}",
      " {\"a\":-0, \"b\": [1, -2, 30], \"c\": {\"x\": \"y z\"}, \"d\": true, \"e\": false, "
      "\"f\": null}\n",
      "{\"layers\": [{\"type\": \"conv\", \"kernel_size\": 3}, {}],\r\n\t\"name\": \"n\"}",
      "{\"layers\": [\n  {\"type\": \"conv\"},\n  {\"type\": \"relu\"}\n]}\n",
      "{\"a\": [[[]]], \"b\": 999999999999999999, \"c\": -999999999999999999}",
      "{\"a\": {\"x\": 1}, \"a\": 2}",  // duplicate: the same error from both
      "{\"layers\": [{\"type\": \"conv\", \"type\": \"relu\"}]}",
      "{\"\": \"\", \"~\": \" !#$%&'()*+,-./:;<=>?@[]^_`{|}\"}",
      "{\"a\": [1.5, -0.0, 0.1, 1e3, 1E-3, 2.5e+10, -1.25e-300, 1e-400, 123456789012345678901.5]}",
  };
  for (const std::string& text : taken) {
    INFO(text);
    CHECK(fast_json_agrees(text));
  }
  const std::string left[] = {
      "",
      " \n",
      "[1]",
      "\"a\"",
      "1",
      "{\"a\": 1234567890123456789}",
      "{\"a\": 100000000000000000000}",  // found by fuzz_json_simple: no overflow on the way
      "{\"a\": 01}",
      "{\"a\": 1.}",
      "{\"a\": .5}",
      "{\"a\": 1e}",
      "{\"a\": 1e+}",
      "{\"a\": 1.5.2}",
      "{\"a\": 1e400}",
      "{\"a\": -1e400}",
      "{\"a\": -}",
      "{\"a\": 12a}",
      "{\"a\": +1}",
      "{\"a\": \"caf\\u00e9\"}",
      "{\"a\": \"x\\\"\"}",
      "{\"a\": \"caf\xc3\xa9\"}",
      "{\"a\": \"tab\there\"}",
      "{\"a\": \"\x7f\"}",
      "{\"a\": 1,}",
      "{\"a\" 1}",
      "{\"a\": tru}",
      "{\"a\": truex}",
      "{\"a\": nul}",
      "{\"a\": 1} x",
      "{\"a\": 1}{}",
      "\xef\xbb\xbf{\"a\": 1}",
      "{'a': 1}",
      "{a: 1}",
      "{\"a\": [1, 2}",
      "{\"a\": 1",
      "{\"a\": \"x",
      "{\"a\": 1}\f",
      deep,
      std::string("{\"a\": 1}\0", 9),
  };
  for (const std::string& text : left) {
    INFO(text);
    CHECK_FALSE(fast_json_agrees(text));
  }
}

}  // namespace
}  // namespace netlens
