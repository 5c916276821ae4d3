#ifndef SOP_CCURL_SHIM_H
#define SOP_CCURL_SHIM_H

/* Distinct handle types (`struct Curl_easy *`, `struct Curl_multi *`) instead of `void *`,
   so Swift sees them as opaque pointers and cannot mix them up with any raw pointer. The
   ABI is the same either way. */
#define CURL_STRICTER
#include <curl/curl.h>

/* `curl_easy_setopt`, `curl_easy_getinfo` and `curl_multi_setopt` are variadic, and Swift
   cannot call a variadic C function. Each wrapper below passes exactly one argument of the
   type libcurl documents for its options, so the C compiler builds a correct variadic call
   on every platform; the option numbers and types are the header's own. */

/** Options that take a `long` (flags, sizes, milliseconds, `CURLOPT_PROTOCOLS`). */
static inline CURLcode sop_curl_easy_setopt_long(CURL *easy, CURLoption option, long value) {
    return curl_easy_setopt(easy, option, value);
}

/** Options that take a pointer: strings (libcurl copies them), buffers, lists, user data. */
static inline CURLcode sop_curl_easy_setopt_pointer(CURL *easy, CURLoption option, const void *value) {
    return curl_easy_setopt(easy, option, value);
}

/** Options that take a `curl_off_t` (the `*_LARGE` sizes). */
static inline CURLcode sop_curl_easy_setopt_off_t(CURL *easy, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(easy, option, value);
}

/** `CURLOPT_WRITEFUNCTION`: the callback that receives body bytes. */
static inline CURLcode sop_curl_easy_setopt_write_callback(CURL *easy, curl_write_callback callback) {
    return curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, callback);
}

/** `CURLOPT_HEADERFUNCTION`: the callback that receives each header line (same signature). */
static inline CURLcode sop_curl_easy_setopt_header_callback(CURL *easy, curl_write_callback callback) {
    return curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, callback);
}

/** Information that libcurl returns as a `long` (`CURLINFO_RESPONSE_CODE`). */
static inline CURLcode sop_curl_easy_getinfo_long(CURL *easy, CURLINFO info, long *value) {
    return curl_easy_getinfo(easy, info, value);
}

/** Multi-handle options that take a `long` (connection limits). */
static inline CURLMcode sop_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/** `curl_global_init(CURL_GLOBAL_ALL)`: the flags are a macro expression Swift does not import. */
static inline CURLcode sop_curl_global_init_all(void) {
    return curl_global_init(CURL_GLOBAL_ALL);
}

/** `CURLPROTO_HTTP | CURLPROTO_HTTPS`, for libcurl older than 7.85 (no `CURLOPT_PROTOCOLS_STR`). */
static inline long sop_curl_protocols_http_https(void) {
    return CURLPROTO_HTTP | CURLPROTO_HTTPS;
}

#endif
