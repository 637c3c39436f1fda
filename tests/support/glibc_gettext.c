#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* usage: h LOCALEDIR DOMAIN, then lines on stdin: "g<TAB>msgid" or "n<TAB>msgid<TAB>plural<TAB>N" or "p<TAB>ctx<TAB>msgid"; escapes \n as \\n */
static void unesc(char *s) { char *o = s; for (; *s; s++) { if (*s == '\\' && s[1] == 'n') { *o++ = '\n'; s++; } else *o++ = *s; } *o = 0; }
static void esc(const char *s) { for (; *s; s++) { if (*s == '\n') fputs("\\n", stdout); else putchar(*s); } putchar('\n'); }
int main(int argc, char **argv) {
  setlocale(LC_ALL, "");
  bindtextdomain(argv[2], argv[1]); bind_textdomain_codeset(argv[2], "UTF-8"); textdomain(argv[2]);
  char line[65536];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0; unesc(line);
    char *f[4] = {0}; int n = 0; char *p = line;
    while (n < 4 && p) { f[n++] = p; p = strchr(p, '\t'); if (p) *p++ = 0; }
    if (f[0][0] == 'g') esc(gettext(f[1]));
    else if (f[0][0] == 'n') esc(ngettext(f[1], f[2], strtoul(f[3], 0, 10)));
    else { char key[70000]; snprintf(key, sizeof key, "%s\004%s", f[1], f[2]); const char *r = gettext(key); esc(r == key ? f[2] : r); }
  }
  return 0;
}
