#include "helpers.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace netlens::test {

RunResult run_netlens(const std::string& args, const std::string& input) {
  char dir_template[] = "/tmp/netlens-test-XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  if (dir == nullptr) {
    throw std::runtime_error("test: mkdtemp failed");
  }
  const std::string d = dir;
  {
    std::ofstream in(d + "/in");
    in << input;
  }
  const std::string cmd =
      std::string(NETLENS_BINARY) + " " + args + " <" + d + "/in >" + d + "/out 2>" + d + "/err";
  const int raw = std::system(cmd.c_str());
  RunResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  r.out = slurp(d + "/out");
  r.err = slurp(d + "/err");
  std::remove((d + "/in").c_str());
  std::remove((d + "/out").c_str());
  std::remove((d + "/err").c_str());
  ::rmdir(dir);
  return r;
}

}  // namespace netlens::test
