// libcurl client (see client.hpp).
#include "net/client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>

#include "core/show/render.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "net/curl_loader.hpp"

namespace hooktool::net {

namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};

// libcurl loaded (curl_loader.hpp: exit 3 when it cannot be) and initialised, once.
void ensure_global() {
  load_curl();
  static CurlGlobal global;
}

std::string user_agent() { return std::string("hooktool/") + HOOKTOOL_VERSION; }

struct HeaderSink {
  std::string status_line;
  std::vector<Header> headers;
};

// The body, unless no status line came first: then the answer is not HTTP (libcurl takes it for
// HTTP/0.9 when allowed); the first bytes are kept to show and the transfer stops.
// With a limit (HttpRequest::max_answer), the first `limit` bytes are kept and the transfer stops.
struct BodySink {
  std::string* body = nullptr;
  const HeaderSink* head = nullptr;
  std::string not_http;
  std::size_t limit = 0;
  bool cut = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  if (sink->head && sink->head->status_line.empty()) {
    sink->not_http.append(data, std::min<size_t>(size * n, 64));
    return 0;
  }
  if (sink->limit && sink->body->size() + size * n > sink->limit) {
    sink->body->append(data, sink->limit - sink->body->size());
    sink->cut = true;
    return 0;
  }
  sink->body->append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<HeaderSink*>(user);
  std::string_view line(data, size * n);
  line = trim(line);
  if (starts_with(line, "HTTP/")) { // a new response (after 100 Continue, say): start over
    sink->status_line = std::string(line);
    sink->headers.clear();
  } else if (!line.empty()) {
    auto colon = line.find(':');
    if (colon != std::string_view::npos)
      sink->headers.push_back(
          {std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
  }
  return size * n;
}

// What the debug callback keeps: the head as sent, and with tracing libcurl's own lines and the
// answer's head as it came.
struct DebugSink {
  std::string* sent_head = nullptr;
  std::string* trace = nullptr;
  std::string* answer_head = nullptr;
};

int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto* sink = static_cast<DebugSink*>(user);
  if (type == CURLINFO_HEADER_OUT && sink->sent_head) sink->sent_head->append(data, size);
  if (type == CURLINFO_HEADER_IN && sink->answer_head) sink->answer_head->append(data, size);
  if (type == CURLINFO_TEXT && sink->trace) sink->trace->append(data, size);
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
  if (!request.target.empty())
    curl_easy_setopt(curl, CURLOPT_REQUEST_TARGET, request.target.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L); // vendors do not follow redirects
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms));
  if (!request.relay) curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent().c_str());
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  if (request.relay) curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method == "GET" && (!request.relay || request.body.empty())) {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    if (request.method != "POST")
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  headers.add("Expect:"); // no 100-continue round trip: vendors send the body at once
  if (request.relay)      // "Name:" removes a header libcurl adds; "Name;" sends one with no value
    for (const char* own : {"Accept", "Content-Type"})
      if (!find_header(request.headers, own)) headers.add(std::string(own) + ":");
  for (const auto& h : request.headers)
    headers.add(request.relay && h.value.empty() ? h.name + ";" : h.name + ": " + h.value);
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

std::string duration_text(std::int64_t ms) {
  if (ms >= 1000 && ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

// libcurl's reason, in the words a user needs.
std::string plain_reason(CURLcode code, const std::string& detail, const HttpRequest& request) {
  const std::string host = host_of(request.url);
  switch (code) {
  case CURLE_COULDNT_RESOLVE_HOST: return "could not resolve the host name " + host + " (DNS)";
  case CURLE_COULDNT_CONNECT:
    return "could not connect to " + host + ": connection refused or unreachable";
  case CURLE_OPERATION_TIMEDOUT: return "no answer within " + duration_text(request.timeout_ms);
  case CURLE_PEER_FAILED_VERIFICATION:
    return "the TLS certificate of " + host + " is not trusted: " + detail +
           " (give its CA with --cacert FILE, or --insecure to skip the check)";
  case CURLE_SSL_CONNECT_ERROR:
    // OpenSSL reads an answer in plain HTTP as a record of an unknown version.
    if (detail.find("wrong version number") != std::string::npos)
      return "the TLS handshake with " + host + " failed: " + detail +
             " (the port answers in plain HTTP: use http://)";
    return "the TLS handshake with " + host + " failed: " + detail;
  case CURLE_GOT_NOTHING: return host + " closed the connection without answering";
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR: return "the connection to " + host + " broke: " + detail;
  // check_url allows http and https only: this is an answer without an HTTP status line.
  case CURLE_UNSUPPORTED_PROTOCOL: return host + " answered with bytes that are not HTTP";
  default: return detail.empty() ? curl_easy_strerror(code) : detail;
  }
}

Failure failure_of(CURLcode code) {
  switch (code) {
  case CURLE_OPERATION_TIMEDOUT: return Failure::Timeout;
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
  case CURLE_COULDNT_CONNECT: return Failure::Connect;
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER:
  case CURLE_SSL_CACERT_BADFILE: return Failure::Tls;
  case CURLE_UNSUPPORTED_PROTOCOL: return Failure::NotHttp;
  default: return Failure::Network;
  }
}

// What a server that is not HTTP said: its first bytes, escaped, and a hint when they are TLS.
std::string not_http_reason(const std::string& first, const HttpRequest& request) {
  std::string out = host_of(request.url) + " answered with bytes that are not HTTP: \"" +
                    visible_text(first.substr(0, 32)) + (first.size() > 32 ? "…" : "") + "\"";
  const bool tls_record =
      first.size() >= 2 && (first[0] == '\x15' || first[0] == '\x16') && first[1] == '\x03';
  if (tls_record && starts_with(request.url, "http://"))
    out += " (a TLS record: the port speaks HTTPS, use https://" + request.url.substr(7) + ")";
  return out;
}

double ms(CURL* curl, CURLINFO info) {
  curl_off_t us = 0;
  curl_easy_getinfo(curl, info, &us);
  return static_cast<double>(us) / 1000.0;
}

} // namespace

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
  BodySink body{&response.body, &sink, {}, request.max_answer};
  DebugSink debug{&response.sent_head, request.trace ? &response.trace : nullptr, nullptr};
  Slist headers;
  char error[CURL_ERROR_SIZE] = {0};
  configure(curl.get(), request, headers);
  curl_easy_setopt(curl.get(), CURLOPT_HTTP09_ALLOWED,
                   1L); // to see what a server that is not HTTP says
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &sink);
  curl_easy_setopt(curl.get(), CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(curl.get(), CURLOPT_DEBUGDATA, &debug);
  curl_easy_setopt(curl.get(), CURLOPT_VERBOSE, 1L); // feeds on_debug; prints nothing itself

  CURLcode rc = curl_easy_perform(curl.get());
  response.timings = {
      ms(curl.get(), CURLINFO_NAMELOOKUP_TIME_T), ms(curl.get(), CURLINFO_CONNECT_TIME_T),
      ms(curl.get(), CURLINFO_APPCONNECT_TIME_T), ms(curl.get(), CURLINFO_STARTTRANSFER_TIME_T),
      ms(curl.get(), CURLINFO_TOTAL_TIME_T)};
  if (!body.not_http.empty()) {
    response.failure = Failure::NotHttp;
    response.error = not_http_reason(body.not_http, request);
    return response;
  }
  if (body.cut && rc == CURLE_WRITE_ERROR) { // stopped on purpose: a whole head, a cut body
    response.body_cut = true;
    rc = CURLE_OK;
  }
  if (rc != CURLE_OK) {
    response.failure = failure_of(rc);
    response.error = plain_reason(rc, error, request);
    if (!sink.status_line.empty()) {
      // The status line and headers came, the body did not finish: say so, and keep what came.
      curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &response.status);
      response.status_line = sink.status_line;
      response.headers = std::move(sink.headers);
      const std::string started = "answer started (" + std::to_string(response.status) + "), ";
      if (rc == CURLE_OPERATION_TIMEDOUT)
        response.error = started + "body unfinished after " + duration_text(request.timeout_ms);
      else if (rc == CURLE_PARTIAL_FILE)
        response.error =
            started + "then the connection closed before the body was complete (" + error + ")";
      else
        response.error = started + "then " + response.error;
    }
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
  DebugSink debug;
};

} // namespace

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
  while (result.finished < options.count) {
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
      if (options.trace_first && started == 0) {
        slot->debug = {&result.first_sent_head, &result.first_trace, &result.first_answer_head};
        curl_easy_setopt(slot->curl, CURLOPT_DEBUGFUNCTION, on_debug);
        curl_easy_setopt(slot->curl, CURLOPT_DEBUGDATA, &slot->debug);
        curl_easy_setopt(slot->curl, CURLOPT_VERBOSE, 1L);
      }
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
        ++result.answered;
        result.latencies_ms.push_back(ms(slot->curl, CURLINFO_TOTAL_TIME_T));
      } else {
        if (msg->data.result == CURLE_OPERATION_TIMEDOUT) ++result.timeouts;
        ++result.errors[plain_reason(msg->data.result, slot->error, slot->request)];
      }
      curl_multi_remove_handle(multi, slot->curl);
      idle.push_back(slot);
      ++result.finished;
      if (options.progress) options.progress(result.finished, options.count);
    }
    if (result.finished >= options.count) break;
    int wait_ms = 100;
    if (options.rate > 0 && started < options.count && !idle.empty()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due(started) - clock::now())
                      .count();
      wait_ms = static_cast<int>(std::max<long long>(0, std::min<long long>(left, 100)));
    } else if (!idle.empty() && started < options.count) {
      wait_ms = 0;
    }
    if (wait_ms > 0 || running > 0) curl_multi_poll(multi, nullptr, 0, wait_ms, nullptr);
  }
  result.wall_s = std::chrono::duration<double>(clock::now() - start).count();
  for (auto& slot : slots)
    curl_easy_cleanup(slot.curl);
  curl_multi_cleanup(multi);
  return result;
}

} // namespace hooktool::net
