// BILLWISE_ASAN is defined when the build runs under AddressSanitizer, whose shadow memory
// makes an address-space limit (RLIMIT_AS) meaningless: memory ceilings are then not set.
#ifndef BILLWISE_PIPELINE_MODEL_SANITIZER_H_
#define BILLWISE_PIPELINE_MODEL_SANITIZER_H_

#if defined(__SANITIZE_ADDRESS__)
#define BILLWISE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BILLWISE_ASAN 1
#endif
#endif

#endif  // BILLWISE_PIPELINE_MODEL_SANITIZER_H_
