// hooktool listen: what it writes besides the answers. The printer threads, the record file, the
// summary (see listen.hpp).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "cli/listen.hpp"
#include "core/util/error.hpp"

namespace hooktool::cli::listening {

namespace {

// What the printer threads hand write(2) at once: many small hooks, one call.
constexpr std::size_t kChunk = 64u << 10;

std::string count_text(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

} // namespace

Printer::Printer(std::function<void()> on_closed, std::size_t out_limit, std::size_t err_limit)
    : m_on_closed(std::move(on_closed)), m_out(STDOUT_FILENO, out_limit),
      m_err(STDERR_FILENO, err_limit), m_out_thread([this] { loop(m_out); }),
      m_err_thread([this] { loop(m_err); }) {}

void Printer::close() {
  // stdout first: its thread may still have a note for stderr.
  for (auto [lane, thread] : {std::pair{&m_out, &m_out_thread}, std::pair{&m_err, &m_err_thread}}) {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      if (lane->closing) return;
      lane->closing = true;
    }
    lane->wake.notify_one();
    thread->join();
  }
}

void Printer::push(Lane& lane, std::string text, bool bounded) {
  if (text.empty()) return;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (lane.error) {
      ++lane.failed;
      return;
    }
    // Always room for one, however big: a hook above the limit is shown when nothing waits.
    if (bounded && lane.pending != 0 &&
        text.size() > lane.limit - std::min(lane.pending, lane.limit)) {
      ++lane.dropped;
      ++lane.unsaid;
      return;
    }
    lane.pending += text.size();
    lane.queue.push_back(std::move(text));
    if (!lane.idle) return; // its thread is writing, and looks again when it is done
  }
  lane.wake.notify_one();
}

void Printer::loop(Lane& lane) {
  std::string chunk;
  std::size_t chunk_items = 0;
  for (;;) {
    std::deque<std::string> batch;
    {
      std::unique_lock<std::mutex> lock(m_mutex);
      lane.idle = true;
      lane.wake.wait(lock, [&lane] { return lane.closing || !lane.queue.empty(); });
      lane.idle = false;
      if (lane.queue.empty()) return;
      batch.swap(lane.queue);
    }
    // Texts are freed as they are written, so what waits is never held twice.
    for (auto& text : batch) {
      if (chunk_items > 0 && chunk.size() + text.size() > kChunk) {
        write(lane, chunk, chunk_items);
        chunk.clear();
        chunk_items = 0;
      }
      if (text.size() >= kChunk) {
        write(lane, text, 1);
      } else {
        chunk += text;
        ++chunk_items;
      }
      std::string().swap(text);
    }
    if (chunk_items > 0) {
      write(lane, chunk, chunk_items);
      chunk.clear();
      chunk_items = 0;
    }
    // Caught up: what was dropped meanwhile is said now.
    std::string note;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      if (lane.pending == 0 && lane.unsaid > 0 && !lane.error) {
        note = &lane == &m_out ? count_text(lane.unsaid, "hook", "hooks") +
                                     " not shown: stdout is not keeping up"
                               : count_text(lane.unsaid, "message", "messages") +
                                     " not shown: stderr is not keeping up";
        note = "hooktool: " + note + "\n";
        lane.unsaid = 0;
      }
    }
    if (note.empty()) {
      // A millisecond for more to gather: under load one write takes many hooks, and the threads
      // that answer them wake this one a thousand times a second at most, not once a hook.
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    if (&lane == &m_out)
      push(m_err, std::move(note), false);
    else
      write(lane, note, 0);
  }
}

void Printer::write(Lane& lane, const std::string& data, std::size_t items) {
  int error = lane.error; // only this thread sets it
  for (std::size_t done = 0; error == 0 && done < data.size();) {
    const ssize_t n = ::write(lane.fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      error = n < 0 ? errno : EIO;
    else
      done += static_cast<std::size_t>(n);
  }
  bool first = false;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (items > 0) lane.pending -= std::min(lane.pending, data.size()); // a note was not queued
    if (error) lane.failed += items;
    first = error && !lane.error;
    if (first) lane.error = error;
  }
  if (!first || &lane != &m_out) return; // stderr that fails has nowhere to say so
  // A reader that went away ends listening quietly; any other failure is said once, and listening
  // goes on (answering and recording) until stopped, then exits non-zero.
  if (error == EPIPE) {
    if (m_on_closed) m_on_closed();
  } else {
    push(m_err, "hooktool: " + stdout_error_message(error) + "\n", false);
  }
}

Printer::Counts Printer::counts() {
  std::lock_guard<std::mutex> lock(m_mutex);
  return {m_out.dropped, m_out.failed, m_err.dropped, m_out.error};
}

Recorder::Recorder(const std::string& path) : m_path(path) {
  m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (m_fd < 0) throw Error("cannot open " + path + ": " + std::strerror(errno) + " (--record)");
}

Recorder::~Recorder() { ::close(m_fd); }

std::string Recorder::write(const std::string& line) {
  std::lock_guard<std::mutex> lock(m_mutex);
  const off_t before = ::lseek(m_fd, 0, SEEK_END);
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(m_fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : ENOSPC;
      const bool whole_lines = done == 0 || (before >= 0 && ::ftruncate(m_fd, before) == 0);
      return "cannot write " + m_path + ": " + std::strerror(error) +
             (whole_lines ? "" : "; its last line is cut short") + " (--record)";
    }
    done += static_cast<size_t>(n);
  }
  return {};
}

std::string summary(Session& s, double seconds) {
  std::lock_guard<std::mutex> lock(s.mutex);
  const std::uint64_t total = s.handled + s.rejected;
  std::ostringstream out;
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.1f s", seconds);
  out << "hooktool: " << total << (total == 1 ? " request" : " requests") << " in " << elapsed;
  const char* sep = ": ";
  for (const auto& [status, n] : s.by_status) {
    out << sep << n << " answered " << status;
    sep = ", ";
  }
  if (s.valid + s.invalid > 0)
    out << "; verdicts: " << s.valid << " valid, " << s.invalid << " invalid";
  if (s.printer) {
    const Printer::Counts c = s.printer->counts();
    if (c.not_shown > 0)
      out << "; " << count_text(c.not_shown, "hook", "hooks")
          << " not shown (stdout is not keeping up)";
    if (c.stdout_error != 0 && c.stdout_error != EPIPE && c.not_written > 0)
      out << "; " << count_text(c.not_written, "hook", "hooks")
          << " not shown (cannot write stdout)";
    if (c.messages_lost > 0)
      out << "; " << count_text(c.messages_lost, "message", "messages")
          << " not shown (stderr is not keeping up)";
  }
  out << "\n";
  return out.str();
}

// Straight to file descriptor 2: std::cerr flushes std::cout first, and so waits for stdout's lock,
// which the printer thread holds while a reader that stopped reading keeps it waiting.
void write_stderr(const std::string& text) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(STDERR_FILENO, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

} // namespace hooktool::cli::listening
