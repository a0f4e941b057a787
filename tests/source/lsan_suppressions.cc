// LeakSanitizer suppressions for the source tests, used only in sanitizer builds.
// fontconfig (reached through poppler when it looks up the base-14 fonts) keeps its
// configuration cache for the life of the process and never frees it.
extern "C" const char* __lsan_default_suppressions() {  // NOLINT: name fixed by LeakSanitizer
  return "leak:libfontconfig.so\n";
}
