// libcurl loaded at run time (see curl_loader.hpp). Each function below has libcurl's own name,
// signature (checked against <curl/curl.h>) and C linkage, and calls the function of that name in
// libcurl.so.4. The binary exports none of them (it is not linked with -rdynamic), so libcurl's
// calls to itself stay inside libcurl.
#include "net/curl_loader.hpp"

#include <curl/curl.h>
#include <dlfcn.h>

#include <cstdarg>
#include <string>

#include "core/util/error.hpp"

// Every libcurl function the project calls. A new one is one line here (and its trampoline below).
#define HOOKTOOL_CURL_FUNCTIONS(X)                                                                 \
  X(curl_global_init)                                                                              \
  X(curl_global_cleanup)                                                                           \
  X(curl_free)                                                                                     \
  X(curl_easy_init)                                                                                \
  X(curl_easy_cleanup)                                                                             \
  X(curl_easy_reset)                                                                               \
  X(curl_easy_setopt)                                                                              \
  X(curl_easy_perform)                                                                             \
  X(curl_easy_getinfo)                                                                             \
  X(curl_easy_strerror)                                                                            \
  X(curl_slist_append)                                                                             \
  X(curl_slist_free_all)                                                                           \
  X(curl_url)                                                                                      \
  X(curl_url_set)                                                                                  \
  X(curl_url_get)                                                                                  \
  X(curl_url_cleanup)                                                                              \
  X(curl_url_strerror)                                                                             \
  X(curl_multi_init)                                                                               \
  X(curl_multi_setopt)                                                                             \
  X(curl_multi_add_handle)                                                                         \
  X(curl_multi_remove_handle)                                                                      \
  X(curl_multi_perform)                                                                            \
  X(curl_multi_info_read)                                                                          \
  X(curl_multi_poll)                                                                               \
  X(curl_multi_cleanup)

namespace hooktool::net {

namespace {

constexpr const char* kLibcurl = "libcurl.so.4";

// The library and its functions, found once; `error` says why not when `handle` is null.
struct CurlApi {
  void* handle = nullptr;
  std::string error;
#define HOOKTOOL_CURL_POINTER(name) decltype(&::name) name = nullptr;
  HOOKTOOL_CURL_FUNCTIONS(HOOKTOOL_CURL_POINTER)
#undef HOOKTOOL_CURL_POINTER
};

CurlApi open_curl() {
  CurlApi api;
  void* handle = dlopen(kLibcurl, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    api.error = why ? why : std::string(kLibcurl) + ": dlopen failed";
    return api;
  }
  // Every function up front: a libcurl too old for one is refused here, not halfway through a
  // request (or in a destructor).
#define HOOKTOOL_CURL_FIND(name)                                                                   \
  api.name = reinterpret_cast<decltype(&::name)>(dlsym(handle, #name));                            \
  if (!api.name) {                                                                                 \
    api.error = std::string(kLibcurl) + " has no " #name " (libcurl 7.80 or later is needed)";     \
    return api;                                                                                    \
  }
  HOOKTOOL_CURL_FUNCTIONS(HOOKTOOL_CURL_FIND)
#undef HOOKTOOL_CURL_FIND
  api.handle = handle; // never closed: libcurl stays until exit, as a linked library would
  return api;
}

const CurlApi& curl_api() {
  static const CurlApi api = open_curl(); // thread-safe, once
  return api;
}

// The functions, for the trampolines: loaded (else load_curl throws).
const CurlApi& loaded() {
  load_curl();
  return curl_api();
}

// A variadic option's one argument is read as the type its number says (CURLOPTTYPE_*), which is
// how libcurl reads it, and passed on as that type. Function pointers travel as a function pointer.
using AnyFunction = void (*)();

// curl_easy_setopt's and curl_multi_setopt's one argument, read as its option says, passed on.
template <typename Code, typename Handle, typename Option>
Code forward_option(Code (*real)(Handle, Option, ...), Handle handle, Option option, va_list args) {
  const long type = static_cast<long>(option);
  if (type < CURLOPTTYPE_OBJECTPOINT) return real(handle, option, va_arg(args, long));
  if (type < CURLOPTTYPE_FUNCTIONPOINT) return real(handle, option, va_arg(args, void*));
  if (type < CURLOPTTYPE_OFF_T) return real(handle, option, va_arg(args, AnyFunction));
  if (type < CURLOPTTYPE_BLOB) return real(handle, option, va_arg(args, curl_off_t));
  return real(handle, option, va_arg(args, void*)); // a struct curl_blob *
}

} // namespace

void load_curl() {
  const CurlApi& api = curl_api();
  if (!api.handle) throw Error("cannot load libcurl (" + api.error + ") (network)", kExitNetwork);
}

} // namespace hooktool::net

using hooktool::net::forward_option;
using hooktool::net::loaded;

// libcurl's variadic functions name an enum before the `...`; va_start after a parameter that
// promotes is formally undefined, and clang says so. The signatures are libcurl's own (they must
// match <curl/curl.h>), and an enum of int range travels as an int in every ABI, as it does into
// libcurl itself, which reads them the same way.
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wvarargs"
#endif

extern "C" {

CURLcode(curl_global_init)(long flags) { return loaded().curl_global_init(flags); }
void(curl_global_cleanup)(void) { loaded().curl_global_cleanup(); }
void(curl_free)(void* p) { loaded().curl_free(p); }

CURL*(curl_easy_init)(void) { return loaded().curl_easy_init(); }
void(curl_easy_cleanup)(CURL* curl) { loaded().curl_easy_cleanup(curl); }
void(curl_easy_reset)(CURL* curl) { loaded().curl_easy_reset(curl); }
CURLcode(curl_easy_perform)(CURL* curl) { return loaded().curl_easy_perform(curl); }
const char*(curl_easy_strerror)(CURLcode code) { return loaded().curl_easy_strerror(code); }

CURLcode(curl_easy_setopt)(CURL* curl, CURLoption option, ...) {
  va_list args;
  va_start(args, option);
  const CURLcode rc = forward_option(loaded().curl_easy_setopt, curl, option, args);
  va_end(args);
  return rc;
}

CURLcode(curl_easy_getinfo)(CURL* curl, CURLINFO info, ...) {
  const auto real = loaded().curl_easy_getinfo;
  va_list args;
  va_start(args, info);
  const CURLcode rc = real(curl, info, va_arg(args, void*)); // always where to put the answer
  va_end(args);
  return rc;
}

curl_slist*(curl_slist_append)(curl_slist* list, const char* data) {
  return loaded().curl_slist_append(list, data);
}
void(curl_slist_free_all)(curl_slist* list) { loaded().curl_slist_free_all(list); }

CURLU*(curl_url)(void) { return loaded().curl_url(); }
CURLUcode(curl_url_set)(CURLU* handle, CURLUPart what, const char* part, unsigned int flags) {
  return loaded().curl_url_set(handle, what, part, flags);
}
CURLUcode(curl_url_get)(CURLU* handle, CURLUPart what, char** part, unsigned int flags) {
  return loaded().curl_url_get(handle, what, part, flags);
}
void(curl_url_cleanup)(CURLU* handle) { loaded().curl_url_cleanup(handle); }
const char*(curl_url_strerror)(CURLUcode code) { return loaded().curl_url_strerror(code); }

CURLM*(curl_multi_init)(void) { return loaded().curl_multi_init(); }
CURLMcode(curl_multi_setopt)(CURLM* multi, CURLMoption option, ...) {
  va_list args;
  va_start(args, option);
  const CURLMcode rc = forward_option(loaded().curl_multi_setopt, multi, option, args);
  va_end(args);
  return rc;
}
CURLMcode(curl_multi_add_handle)(CURLM* multi, CURL* curl) {
  return loaded().curl_multi_add_handle(multi, curl);
}
CURLMcode(curl_multi_remove_handle)(CURLM* multi, CURL* curl) {
  return loaded().curl_multi_remove_handle(multi, curl);
}
CURLMcode(curl_multi_perform)(CURLM* multi, int* running) {
  return loaded().curl_multi_perform(multi, running);
}
CURLMsg*(curl_multi_info_read)(CURLM* multi, int* queued) {
  return loaded().curl_multi_info_read(multi, queued);
}
CURLMcode(curl_multi_poll)(CURLM* multi, curl_waitfd extra_fds[], unsigned int extra_nfds,
                           int timeout_ms, int* ret) {
  return loaded().curl_multi_poll(multi, extra_fds, extra_nfds, timeout_ms, ret);
}
CURLMcode(curl_multi_cleanup)(CURLM* multi) { return loaded().curl_multi_cleanup(multi); }

} // extern "C"

#if defined(__clang__)
#pragma clang diagnostic pop
#endif
