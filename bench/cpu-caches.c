// What the CPU tells software about its data caches: CPUID leaf 4 (Intel's, which oneDNN's xbyak reads)
// and 0x8000001D (AMD's), each cache's level, type and size, and the legacy AMD leaves 0x80000005/6.
// A VM can leave these empty; oneDNN then sizes its kernels' blocks from built-in guesses.
//   gcc -o /tmp/cpu-caches bench/cpu-caches.c && /tmp/cpu-caches
#include <cpuid.h>
#include <stdio.h>

static void deterministic_leaf(unsigned leaf) {
  for (unsigned i = 0; i < 8; i++) {
    unsigned a, b, c, d;
    __cpuid_count(leaf, i, a, b, c, d);
    unsigned type = a & 0x1f, level = (a >> 5) & 7;
    if (type == 0) { // no more caches
      printf("leaf 0x%x: %u cache%s described\n", leaf, i, i == 1 ? "" : "s");
      return;
    }
    unsigned long size = (((b >> 22) & 0x3ff) + 1UL) * (((b >> 12) & 0x3ff) + 1) * ((b & 0xfff) + 1) * (c + 1UL);
    printf("leaf 0x%x: L%u %s %lu KB, shared by %u threads\n", leaf, level,
        type == 1 ? "data" : type == 2 ? "instruction" : "unified", size / 1024, ((a >> 14) & 0xfff) + 1);
  }
}

int main(void) {
  unsigned a, b, c, d;
  deterministic_leaf(4);
  deterministic_leaf(0x8000001D);
  __cpuid(0x80000005, a, b, c, d);
  printf("leaf 0x80000005: L1 data %u KB\n", c >> 24);
  __cpuid(0x80000006, a, b, c, d);
  printf("leaf 0x80000006: L2 %u KB, L3 %u MB\n", c >> 16, (d >> 18) / 2);
  return 0;
}
