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
if(NETLENS_BUILD_TESTS)
  netlens_require(Catch2 Catch2::Catch2 catch2 2)
endif()
if(NETLENS_BENCH)
  netlens_require(benchmark benchmark::benchmark libbenchmark-dev)
endif()
