# Warnings and sanitizers as INTERFACE targets that every netlens target links.
add_library(netlens_warnings INTERFACE)
target_compile_options(netlens_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion)
# GCC 12 reports -Wrestrict inside libstdc++'s string concatenation at -O2/-O3
# where there is no overlap (GCC bug 105329): off for GCC, on for clang.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(netlens_warnings INTERFACE -Wno-restrict)
endif()
if(NETLENS_WERROR)
  target_compile_options(netlens_warnings INTERFACE -Werror)
endif()

add_library(netlens_sanitize INTERFACE)
if(NETLENS_SANITIZE)
  target_compile_options(netlens_sanitize INTERFACE
    -fsanitize=${NETLENS_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(netlens_sanitize INTERFACE -fsanitize=${NETLENS_SANITIZE})
endif()
