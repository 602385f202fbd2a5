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

std::string too_large(std::size_t max_bytes) { return spec_too_large(max_bytes); }

// Reads at most max_bytes + 1 bytes so an endless stream (/dev/zero) stops.
// `expected`: the size when known (a regular file), reserved up front; growing
// a 66 MB spec by doubling copies and touches twice the memory.
std::string read_fd(int fd, const std::string& file, std::size_t max_bytes,
                    std::size_t expected = 0) {
  std::string text;
  text.reserve(std::min(expected, max_bytes) + 1);
  char buf[65536];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw ParseError(file, {}, "", fmt::format("cannot read: {}", std::strerror(errno)));
    }
    if (n == 0) {
      break;
    }
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > max_bytes) {
      throw ParseError(file, {}, "", too_large(max_bytes));
    }
  }
  return text;
}

std::string read_regular_file(const std::string& path, std::size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    throw ParseError(path, {}, "", fmt::format("cannot open: {}", std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw ParseError(
        path, {}, "",
        S_ISDIR(st.st_mode) ? "is a directory, not a spec file" : "is not a regular file");
  }
  if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    throw ParseError(path, {}, "", too_large(max_bytes));
  }
  try {
    std::string text = read_fd(fd, path, max_bytes, static_cast<std::size_t>(st.st_size));
    ::close(fd);
    return text;
  } catch (...) {
    ::close(fd);
    throw;
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

std::string spec_too_large(std::size_t max_bytes) {
  return fmt::format("spec is larger than {} bytes (raise the limit with --max-bytes)", max_bytes);
}

SpecSource load_source(const std::string& arg, std::istream& stdin_stream, std::size_t max_bytes) {
  SpecSource src;
  if (arg == "-") {
    src.file = "<stdin>";
    src.source = "stdin";
    src.default_name = "stdin";
    std::string text;
    char buf[65536];
    while (stdin_stream.read(buf, sizeof buf) || stdin_stream.gcount() > 0) {
      text.append(buf, static_cast<std::size_t>(stdin_stream.gcount()));
      if (text.size() > max_bytes) {
        throw ParseError(src.file, {}, "", too_large(max_bytes));
      }
    }
    src.text = std::move(text);
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
    throw ParseError(arg, {}, "", unknown_net_message(arg));
  }
  src.text = read_regular_file(arg, max_bytes);
  src.file = arg;
  src.source = fmt::format("file:{}", arg);
  src.default_name = std::filesystem::path(arg).stem().string();
  src.format = format_of(arg);
  return src;
}

Net load_net(const std::string& arg, std::istream& stdin_stream, std::size_t max_bytes,
             std::size_t max_layers) {
  SpecSource src = load_source(arg, stdin_stream, max_bytes);
  Net net = parse_spec(src.text, src.file, src.default_name, src.format, max_layers);
  net.source = src.source;
  return net;
}

}  // namespace netlens
