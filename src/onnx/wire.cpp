// Parsing a ModelProto without reading its weights: the graph's initializers
// are walked field by field and a large raw_data is skipped, never copied (a
// 98 MB resnet50.onnx then costs its nodes, not its bytes). Every other field
// is parsed by the generated code.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include <climits>
#include <string>

#include "onnx/ops.h"

namespace netlens::onnx_reader {

namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::io::CodedOutputStream;
using google::protobuf::io::StringOutputStream;
using WFL = google::protobuf::internal::WireFormatLite;

// Tensor bytes kept: enough for every stored constant the folder reads
// (kMaxStoredElements of 8 bytes); larger ones keep their dims only.
constexpr std::int64_t kMaxKeptBytes = 8 * kMaxStoredElements;

// Merges the field of `tag` into `message` through a copy of its bytes (SkipField
// writes the tag and the value it skips).
template <class Message>
bool merge_field(CodedInputStream& in, std::uint32_t tag, Message& message) {
  std::string bytes;
  {
    StringOutputStream sink(&bytes);
    CodedOutputStream out(&sink);
    if (!WFL::SkipField(&in, tag, &out)) {
      return false;
    }
  }
  return message.MergeFromString(bytes);
}

// Reads the fields of `message` up to its end: each field `field` of
// `length` bytes by `read(length)`, every other by the generated code.
template <class Message, class Read>
bool read_fields(CodedInputStream& in, Message& message, int field, Read read) {
  while (const std::uint32_t tag = in.ReadTag()) {
    if (WFL::GetTagFieldNumber(tag) == field &&
        WFL::GetTagWireType(tag) == WFL::WIRETYPE_LENGTH_DELIMITED) {
      std::uint32_t length = 0;
      if (!in.ReadVarint32(&length) || length > INT_MAX || !read(static_cast<int>(length))) {
        return false;
      }
    } else if (!merge_field(in, tag, message)) {
      return false;
    }
  }
  return true;
}

// The `length` bytes of a field just read into `message` by `read`.
template <class Message, class Read>
bool read_nested(CodedInputStream& in, int length, Message& message, Read read) {
  const CodedInputStream::Limit limit = in.PushLimit(length);
  const bool ok = read(in, message) && in.ConsumedEntireMessage();
  in.PopLimit(limit);
  return ok;
}

bool read_tensor(CodedInputStream& in, onnx::TensorProto& t) {
  return read_fields(in, t, onnx::TensorProto::kRawDataFieldNumber, [&](int length) {
    return length > kMaxKeptBytes ? in.Skip(length) : in.ReadString(t.mutable_raw_data(), length);
  });
}

bool read_graph(CodedInputStream& in, onnx::GraphProto& g) {
  return read_fields(in, g, onnx::GraphProto::kInitializerFieldNumber, [&](int length) {
    return read_nested(in, length, *g.add_initializer(), read_tensor);
  });
}

bool read_model(CodedInputStream& in, onnx::ModelProto& m) {
  return read_fields(in, m, onnx::ModelProto::kGraphFieldNumber, [&](int length) {
    return read_nested(in, length, *m.mutable_graph(), read_graph);
  });
}

}  // namespace

bool parse_model_without_weights(const void* data, std::size_t size, onnx::ModelProto& model) {
  if (size > INT_MAX) {
    return false;
  }
  google::protobuf::io::ArrayInputStream stream(data, static_cast<int>(size));
  CodedInputStream in(&stream);
  in.SetTotalBytesLimit(INT_MAX);
  return read_model(in, model) && in.ConsumedEntireMessage();
}

}  // namespace netlens::onnx_reader
