/* Checks the constants of constants.h at compile time against EXPECTED, a header of `#define EXPECT_NAME value`
   lines, so a cross compiler (whose programs cannot run here) checks another architecture's values:
   aarch64-linux-gnu-gcc -fsyntax-only -DEXPECTED='"arm64.h"' expect.c */
#include "constants.h"
#include EXPECTED

#define CHECK(name, value) _Static_assert((long long)(value) == (long long)(EXPECT_##name), #name " differs from the C# value");
REKERNEL_CONSTANTS(CHECK)
