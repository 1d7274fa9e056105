// libcurl client (see client.hpp).
#include "net/client.hpp"

#include <curl/curl.h>

#include <chrono>
#include <deque>
#include <memory>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hooktool::net {

namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};

void ensure_global() { static CurlGlobal global; }

std::string user_agent() { return std::string("hooktool/") + HOOKTOOL_VERSION; }

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

struct HeaderSink {
  std::string status_line;
  std::vector<Header> headers;
};

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<HeaderSink*>(user);
  std::string_view line(data, size * n);
  line = trim(line);
  if (starts_with(line, "HTTP/")) {  // a new response (after 100 Continue, say): start over
    sink->status_line = std::string(line);
    sink->headers.clear();
  } else if (!line.empty()) {
    auto colon = line.find(':');
    if (colon != std::string_view::npos)
      sink->headers.push_back({std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
  }
  return size * n;
}

int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  if (type == CURLINFO_HEADER_OUT) static_cast<std::string*>(user)->append(data, size);
  return 0;
}

struct Slist {
  curl_slist* list = nullptr;
  ~Slist() { curl_slist_free_all(list); }
  void add(const std::string& line) { list = curl_slist_append(list, line.c_str()); }
};

// The options every request gets; the headers list must outlive the transfer.
void configure(CURL* curl, const HttpRequest& request, Slist& headers) {
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // vendors do not follow redirects
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent().c_str());
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    if (request.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  headers.add("Expect:");  // no 100-continue round trip: vendors send the body at once
  for (const auto& h : request.headers) headers.add(h.name + ": " + h.value);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);
  if (!request.cacert.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, request.cacert.c_str());
  if (request.insecure) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
}

std::string host_of(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  auto end = url.find_first_of("/?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// libcurl's reason, in the words a user needs.
std::string plain_reason(CURLcode code, const std::string& detail, const HttpRequest& request) {
  const std::string host = host_of(request.url);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST: return "could not resolve the host name " + host + " (DNS)";
    case CURLE_COULDNT_CONNECT: return "could not connect to " + host + ": connection refused or unreachable";
    case CURLE_OPERATION_TIMEDOUT:
      return "no answer within " + std::to_string(request.timeout_ms) + " ms";
    case CURLE_PEER_FAILED_VERIFICATION:
      return "the TLS certificate of " + host + " is not trusted: " + detail +
             " (give its CA with --cacert FILE, or --insecure to skip the check)";
    case CURLE_SSL_CONNECT_ERROR: return "the TLS handshake with " + host + " failed: " + detail;
    case CURLE_GOT_NOTHING: return host + " closed the connection without answering";
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR: return "the connection to " + host + " broke: " + detail;
    case CURLE_UNSUPPORTED_PROTOCOL: return "unsupported protocol in " + request.url + " (use http or https)";
    default: return detail.empty() ? curl_easy_strerror(code) : detail;
  }
}

double ms(CURL* curl, CURLINFO info) {
  curl_off_t us = 0;
  curl_easy_getinfo(curl, info, &us);
  return static_cast<double>(us) / 1000.0;
}

}  // namespace

void check_url(const std::string& url) {
  ensure_global();
  if (!starts_with(url, "http://") && !starts_with(url, "https://"))
    throw Error("invalid URL '" + url + "': it must start with http:// or https:// (URL)");
  CURLU* handle = curl_url();
  CURLUcode rc = curl_url_set(handle, CURLUPART_URL, url.c_str(), 0);
  char* host = nullptr;
  if (rc == CURLUE_OK) rc = curl_url_get(handle, CURLUPART_HOST, &host, 0);
  curl_free(host);
  curl_url_cleanup(handle);
  if (rc != CURLUE_OK)
    throw Error("invalid URL '" + url + "': " + curl_url_strerror(rc) + " (URL)");
}

HttpResponse send_request(const HttpRequest& request) {
  ensure_global();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw Error("cannot start libcurl (client)", kExitNetwork);
  HttpResponse response;
  HeaderSink sink;
  Slist headers;
  char error[CURL_ERROR_SIZE] = {0};
  configure(curl.get(), request, headers);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &sink);
  curl_easy_setopt(curl.get(), CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(curl.get(), CURLOPT_DEBUGDATA, &response.sent_head);
  curl_easy_setopt(curl.get(), CURLOPT_VERBOSE, 1L);  // feeds on_debug; prints nothing itself

  CURLcode rc = curl_easy_perform(curl.get());
  response.timings = {ms(curl.get(), CURLINFO_NAMELOOKUP_TIME_T), ms(curl.get(), CURLINFO_CONNECT_TIME_T),
                      ms(curl.get(), CURLINFO_APPCONNECT_TIME_T), ms(curl.get(), CURLINFO_STARTTRANSFER_TIME_T),
                      ms(curl.get(), CURLINFO_TOTAL_TIME_T)};
  if (rc != CURLE_OK) {
    response.failure = rc == CURLE_OPERATION_TIMEDOUT ? Failure::Timeout : Failure::Network;
    response.error = plain_reason(rc, error, request);
    return response;
  }
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &response.status);
  response.status_line = sink.status_line;
  response.headers = std::move(sink.headers);
  char* location = nullptr;
  if (curl_easy_getinfo(curl.get(), CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location)
    response.redirect_url = location;
  return response;
}

namespace {

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

struct Slot {
  CURL* curl = nullptr;
  HttpRequest request;
  std::unique_ptr<Slist> headers;
  char error[CURL_ERROR_SIZE] = {0};
};

}  // namespace

BurstResult burst(const BurstOptions& options) {
  ensure_global();
  using clock = std::chrono::steady_clock;
  BurstResult result;
  CURLM* multi = curl_multi_init();
  const int slots_count = std::max(1, std::min(options.concurrency, options.count));
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(slots_count));
  std::vector<Slot> slots(static_cast<size_t>(slots_count));
  std::deque<Slot*> idle;
  for (auto& slot : slots) {
    slot.curl = curl_easy_init();
    idle.push_back(&slot);
  }
  const auto start = clock::now();
  int started = 0;
  int running = 0;
  auto due = [&](int index) {
    return options.rate > 0 ? start + std::chrono::duration_cast<clock::duration>(
                                          std::chrono::duration<double>(index / options.rate))
                            : start;
  };
  while (result.completed < options.count) {
    while (!idle.empty() && started < options.count && clock::now() >= due(started)) {
      Slot* slot = idle.front();
      idle.pop_front();
      slot->request = options.make_request(started);
      slot->headers = std::make_unique<Slist>();
      curl_easy_reset(slot->curl);
      configure(slot->curl, slot->request, *slot->headers);
      curl_easy_setopt(slot->curl, CURLOPT_WRITEFUNCTION, discard);
      curl_easy_setopt(slot->curl, CURLOPT_ERRORBUFFER, slot->error);
      curl_easy_setopt(slot->curl, CURLOPT_PRIVATE, slot);
      curl_multi_add_handle(multi, slot->curl);
      ++started;
    }
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Slot* slot = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&slot));
      if (msg->data.result == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(slot->curl, CURLINFO_RESPONSE_CODE, &status);
        ++result.statuses[status];
        result.latencies_ms.push_back(ms(slot->curl, CURLINFO_TOTAL_TIME_T));
      } else {
        if (msg->data.result == CURLE_OPERATION_TIMEDOUT) ++result.timeouts;
        ++result.errors[plain_reason(msg->data.result, slot->error, slot->request)];
      }
      curl_multi_remove_handle(multi, slot->curl);
      idle.push_back(slot);
      ++result.completed;
      if (options.progress) options.progress(result.completed, options.count);
    }
    if (result.completed >= options.count) break;
    int wait_ms = 100;
    if (options.rate > 0 && started < options.count && !idle.empty()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due(started) - clock::now()).count();
      wait_ms = static_cast<int>(std::max<long long>(0, std::min<long long>(left, 100)));
    } else if (!idle.empty() && started < options.count) {
      wait_ms = 0;
    }
    if (wait_ms > 0 || running > 0) curl_multi_poll(multi, nullptr, 0, wait_ms, nullptr);
  }
  result.wall_s = std::chrono::duration<double>(clock::now() - start).count();
  for (auto& slot : slots) curl_easy_cleanup(slot.curl);
  curl_multi_cleanup(multi);
  return result;
}

}  // namespace hooktool::net
