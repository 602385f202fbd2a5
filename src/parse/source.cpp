#include "parse/source.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "parse/bundled.h"

namespace netlens {

namespace {

// The bytes that decide a source's kind.
constexpr std::size_t kHeadBytes = 64;

[[noreturn]] void fail(const std::string& file, const std::string& message) {
  throw ParseError(file, {}, "", message);
}

// Appends what `fd` holds to `text` until it has `most` bytes or the file ends.
void read_up_to(int fd, const std::string& file, std::string& text, std::size_t most) {
  char buf[65536];
  while (text.size() < most) {
    const ssize_t n = ::read(fd, buf, std::min(sizeof buf, most - text.size()));
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail(file, fmt::format("cannot read: {}", std::strerror(errno)));
    }
    if (n == 0) {
      return;
    }
    text.append(buf, static_cast<std::size_t>(n));
  }
}

// A regular file's first bytes say its kind. An ONNX file is left for its
// reader (which maps it, checking its size); a spec is read, its size
// checked first.
void read_regular_file(const std::string& path, const SourceLimits& limits, Source& src) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    fail(path, fmt::format("cannot open: {}", std::strerror(errno)));
  }
  const struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};  // closes fd however the function ends
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    fail(path, S_ISDIR(st.st_mode) ? "is a directory, not a spec file" : "is not a regular file");
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  std::string text;
  read_up_to(fd, path, text, kHeadBytes);
  src.kind = is_onnx_source(path, text) ? SourceKind::Onnx : SourceKind::Spec;
  if (src.kind == SourceKind::Onnx) {
    src.path = path;
    return;
  }
  if (size <= limits.spec.bytes) {
    text.reserve(size + 1);  // growing it by doubling would touch twice the memory
    read_up_to(fd, path, text, limits.spec.bytes + 1);  // a file that grows stops too
  }
  if (text.size() > limits.spec.bytes || size > limits.spec.bytes) {
    fail(path, too_large("spec", limits.spec));
  }
  src.text = std::move(text);
}

// Standard input: its first bytes say its kind, then it is read to the
// limit of that kind.
void read_stream(std::istream& in, const SourceLimits& limits, Source& src) {
  const auto read = [&](std::size_t most) {
    char buf[65536];
    in.read(buf, static_cast<std::streamsize>(std::min(sizeof buf, most)));
    src.text.append(buf, static_cast<std::size_t>(in.gcount()));
    return in.gcount() > 0;
  };
  while (src.text.size() < kHeadBytes && read(kHeadBytes - src.text.size())) {
  }
  src.kind = is_onnx_source(src.file, src.text) ? SourceKind::Onnx : SourceKind::Spec;
  const bool onnx = src.kind == SourceKind::Onnx;
  const ByteLimit& limit = onnx ? limits.onnx : limits.spec;
  while (src.text.size() <= limit.bytes && read(limit.bytes + 1 - src.text.size())) {
  }
  if (src.text.size() > limit.bytes) {
    fail(src.file, too_large(onnx ? "ONNX file" : "spec", limit));
  }
}

SpecFormat format_of(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".json" || ext == ".JSON") {
    return SpecFormat::Json;
  }
  if (ext == ".yaml" || ext == ".yml" || ext == ".YAML" || ext == ".YML") {
    return SpecFormat::Yaml;
  }
  return SpecFormat::Auto;
}

std::string unknown_net_message(const std::string& arg) {
  return fmt::format("no such file or bundled net{}; 'netlens list' shows the bundled nets",
                     bundled_hint(arg));
}

}  // namespace

bool is_onnx_source(std::string_view path, std::string_view head) {
  if (path.ends_with(".onnx") || path.ends_with(".ONNX")) {
    return true;
  }
  if (path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with(".json")) {
    return false;
  }
  // A ModelProto starts with a field's tag: a field number from 1 and a wire
  // type 0, 1, 2 or 5 (ir_version's tag is 0x08). A NUL byte (field 0) or a
  // byte order mark (FF FE, FE FF, EF BB BF: wire types 7 and 6) cannot, and
  // text gone wrong starts so (/dev/zero, UTF-16): a spec, whose checks say
  // what is wrong.
  if (head.empty()) {
    return false;
  }
  const auto first = static_cast<unsigned char>(head[0]);
  const unsigned wire_type = first & 7U;
  if (first < 8 || (wire_type != 0 && wire_type != 1 && wire_type != 2 && wire_type != 5)) {
    return false;
  }
  // A spec is text: any byte below 0x09, or from 0x0e to 0x1f, says binary.
  for (char ch : head) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x09 || (u > 0x0d && u < 0x20)) {
      return true;
    }
  }
  return false;
}

Source load_source(const std::string& arg, std::istream& stdin_stream, const SourceLimits& limits) {
  Source src;
  if (arg == "-") {
    src.file = "<stdin>";
    src.source = "stdin";
    src.default_name = "stdin";
    read_stream(stdin_stream, limits, src);
    return src;
  }
  std::error_code ec;
  const bool exists = std::filesystem::exists(arg, ec);
  const BundledNet* bundled = exists ? nullptr : find_bundled(arg);
  if (bundled != nullptr) {
    src.text = std::string(bundled->text);
    src.file = fmt::format("{}.yaml", bundled->name);
    src.source = fmt::format("bundled:{}", bundled->name);
    src.default_name = std::string(bundled->name);
    src.format = SpecFormat::Yaml;
    return src;
  }
  if (!exists) {
    fail(arg, unknown_net_message(arg));
  }
  read_regular_file(arg, limits, src);
  src.file = arg;
  src.source = fmt::format("file:{}", arg);
  src.default_name = std::filesystem::path(arg).stem().string();
  src.format = format_of(arg);
  return src;
}

Net load_net(const std::string& arg, std::istream& stdin_stream, std::size_t max_bytes,
             std::size_t max_layers) {
  SourceLimits limits;
  limits.spec.bytes = max_bytes;
  const Source src = load_source(arg, stdin_stream, limits);
  if (src.kind == SourceKind::Onnx) {
    fail(src.file, "an ONNX file, not a spec");
  }
  Net net = parse_spec(src.text, src.file, src.default_name, src.format, max_layers);
  net.source = src.source;
  return net;
}

}  // namespace netlens
