/* Prints the constants of constants.h for the build architecture as NAME=VALUE lines. */
#include "constants.h"
#include <stdio.h>

#define PRINT(name, value) printf("%s=%lld\n", #name, (long long)(value));

int main(void)
{
    REKERNEL_CONSTANTS(PRINT)
    return 0;
}
