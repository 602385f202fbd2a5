// The startup baseline of scripts/bench.sh: a C++ program that does nothing,
// linked like netlens (libstdc++ loaded, iostreams initialised), so the
// ratio "netlens analyze vgg16 / netlens_trivial" shows how much of netlens'
// time is the work itself rather than starting a process.
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  const std::string name = argc > 0 ? argv[0] : "";
  if (argc > 1) {
    std::cout << name << '\n';
  }
  return 0;
}
