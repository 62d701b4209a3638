/* The program whose glibc version requirement the fixture raises to GLIBC_2.99 after linking. */
#include <stdio.h>

int main(void) {
  puts("ok");
  return 0;
}
