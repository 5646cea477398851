#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
typedef struct pcre2_real_code_8 pcre2_code_8;
extern pcre2_code_8 *pcre2_compile_8(const unsigned char *, size_t, uint32_t, int *, size_t *, void *);
extern void pcre2_code_free_8(pcre2_code_8 *);
extern int pcre2_get_error_message_8(int, unsigned char *, size_t);
/* A harness for TestEnumeratedAgainstPCRE2: reads patterns, one per
   line, hex-encoded, compiles each with the PCRE2 library on this machine
   (no options, as nginx compiles a case-sensitive regex) and prints OK or
   ERR, the offset and PCRE2's message. Declares the three functions it
   calls, so that the library's headers are not needed. */
int main(void) {
  char line[1 << 16]; unsigned char pat[1 << 15];
  while (fgets(line, sizeof line, stdin)) {
    size_t n = strlen(line); if (n && line[n-1] == '\n') line[--n] = 0;
    size_t m = 0;
    for (size_t i = 0; i + 1 < n + 1 && i < n; i += 2) { unsigned v; sscanf(line + i, "%2x", &v); pat[m++] = v; }
    int err; size_t off;
    pcre2_code_8 *c = pcre2_compile_8(pat, m, 0, &err, &off, NULL);
    if (c) { puts("OK"); pcre2_code_free_8(c); }
    else { unsigned char msg[256]; pcre2_get_error_message_8(err, msg, sizeof msg); printf("ERR %zu %s\n", off, msg); }
    fflush(stdout);
  }
  return 0;
}
