// hooktool listen: what it writes besides the answers. The printer thread, the record file, the
// summary (see listen.hpp).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "cli/listen.hpp"
#include "core/util/error.hpp"

namespace hooktool::cli::listening {

Printer::Printer(std::function<void()> on_broken_pipe)
    : m_on_broken(std::move(on_broken_pipe)), m_thread([this] { loop(); }) {}

void Printer::close() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_closing) return;
    m_closing = true;
  }
  m_cv.notify_one();
  m_thread.join();
}

void Printer::push(std::string text, bool to_stderr) {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_queue.emplace_back(to_stderr, std::move(text));
  }
  m_cv.notify_one();
}

void Printer::loop() {
  std::deque<std::pair<bool, std::string>> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(m_mutex);
      m_cv.wait(lock, [this] { return m_closing || !m_queue.empty(); });
      if (m_queue.empty() && m_closing) return;
      batch.swap(m_queue);
    }
    // One write per batch and stream: under load a batch holds many requests.
    std::string out, err;
    for (auto& [to_stderr, text] : batch)
      (to_stderr ? err : out) += text;
    batch.clear();
    if (!err.empty()) std::fwrite(err.data(), 1, err.size(), stderr);
    if (!out.empty() && !m_broken &&
        (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0))
      broken();
  }
}

void Printer::broken() {
  m_broken = true;
  if (m_on_broken) m_on_broken();
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
