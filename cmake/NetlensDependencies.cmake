# Every dependency comes from Debian's packages; nothing is downloaded.
# A missing one stops configure with the package to install.
macro(netlens_require package target debian_package)
  find_package(${package} ${ARGN} QUIET)
  if(NOT ${package}_FOUND)
    message(FATAL_ERROR
      "netlens needs ${package}, which was not found.\n"
      "Install it with:  apt-get install -y ${debian_package}")
  endif()
endmacro()

netlens_require(fmt fmt::fmt libfmt-dev)
netlens_require(yaml-cpp yaml-cpp libyaml-cpp-dev)
netlens_require(nlohmann_json nlohmann_json::nlohmann_json nlohmann-json3-dev)
netlens_require(CLI11 CLI11::CLI11 libcli11-dev)
# The ONNX reader: libonnx-dev's schema (onnx/onnx.proto, a lite message)
# compiled by protoc into netlens itself, over protobuf-lite (src/CMakeLists.txt).
netlens_require(Protobuf protobuf::libprotobuf-lite "libprotobuf-dev protobuf-compiler")
find_path(NETLENS_ONNX_PROTO_DIR onnx/onnx.proto)
if(NOT NETLENS_ONNX_PROTO_DIR OR NOT Protobuf_PROTOC_EXECUTABLE)
  message(FATAL_ERROR
    "netlens needs ONNX's schema (onnx/onnx.proto) and protoc, which were not found.\n"
    "Install them with:  apt-get install -y libonnx-dev protobuf-compiler")
endif()
set(NETLENS_PROTOBUF protobuf::libprotobuf-lite)
if(NETLENS_BUILD_TESTS)
  netlens_require(Catch2 Catch2::Catch2 catch2 2)
endif()
if(NETLENS_BENCH)
  netlens_require(benchmark benchmark::benchmark libbenchmark-dev)
endif()

# How fmt and yaml-cpp are linked. By default (NETLENS_STATIC_DEPS) the
# binary carries them and libstdc++ itself: loading and relocating three
# shared C++ libraries is most of what `netlens analyze vgg16` costs
# (docs/performance.md). Debian ships fmt's headers (header-only mode) and
# yaml-cpp's static archive in the same -dev packages. Sanitizer and fuzzer
# builds keep the shared libraries.
option(NETLENS_STATIC_DEPS "Link fmt, yaml-cpp and libstdc++ into the binary (faster start)" ON)
set(NETLENS_FMT fmt::fmt)
set(NETLENS_YAML_CPP yaml-cpp)
if(NETLENS_STATIC_DEPS AND NOT NETLENS_SANITIZE AND NOT NETLENS_FUZZ)
  find_library(NETLENS_YAML_CPP_ARCHIVE libyaml-cpp.a)
  if(TARGET fmt::fmt-header-only AND NETLENS_YAML_CPP_ARCHIVE)
    set(NETLENS_FMT fmt::fmt-header-only)
    add_library(netlens_yaml_cpp_static STATIC IMPORTED)
    set_target_properties(netlens_yaml_cpp_static PROPERTIES
      IMPORTED_LOCATION ${NETLENS_YAML_CPP_ARCHIVE}
      INTERFACE_INCLUDE_DIRECTORIES "$<TARGET_PROPERTY:yaml-cpp,INTERFACE_INCLUDE_DIRECTORIES>")
    set(NETLENS_YAML_CPP netlens_yaml_cpp_static)
    # protobuf-lite's archive too: with libstdc++ linked in, a shared C++
    # library beside it would bring a second libstdc++.
    find_library(NETLENS_PROTOBUF_LITE_ARCHIVE libprotobuf-lite.a)
    if(NETLENS_PROTOBUF_LITE_ARCHIVE)
      add_library(netlens_protobuf_static STATIC IMPORTED)
      set_target_properties(netlens_protobuf_static PROPERTIES
        IMPORTED_LOCATION ${NETLENS_PROTOBUF_LITE_ARCHIVE}
        INTERFACE_INCLUDE_DIRECTORIES "${Protobuf_INCLUDE_DIRS}"
        INTERFACE_LINK_LIBRARIES Threads::Threads)
      find_package(Threads REQUIRED)
      set(NETLENS_PROTOBUF netlens_protobuf_static)
    endif()
    set(NETLENS_STATIC_LINK_OPTIONS -static-libstdc++ -static-libgcc)
  else()
    message(STATUS "netlens: no static yaml-cpp or header-only fmt; linking the shared libraries")
  endif()
endif()
