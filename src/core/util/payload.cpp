// Payload input (see payload.hpp). Uses POSIX read(2) with a large buffer: signing a 1 GiB file
// should cost what the HMAC costs, not what the copying costs.
#include "core/util/payload.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/util/error.hpp"

namespace hooktool {

namespace {
constexpr size_t kChunk = 256 * 1024;

class Fd {
public:
  explicit Fd(int fd, bool owned) : m_fd(fd), m_owned(owned) {}
  ~Fd() {
    if (m_owned && m_fd >= 0) ::close(m_fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return m_fd; }

private:
  int m_fd;
  bool m_owned;
};

Fd open_input(const std::string& path, const std::string& label) {
  if (path.empty()) return Fd(STDIN_FILENO, false);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error("cannot read " + label + ": " + std::strerror(errno) + " (payload)");
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw Error("cannot read " + label + ": it is a directory (payload)");
  }
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  return Fd(fd, true);
}
} // namespace

Payload Payload::from_arg(std::string_view arg) {
  Payload p;
  if (arg.empty() || arg == "-") {
    p.m_stdin = true;
    p.m_label = "stdin";
    return p;
  }
  if (arg.front() == '@') arg.remove_prefix(1);
  if (arg.empty()) throw Error("empty file name after @ (payload)");
  p.m_path = std::string(arg);
  p.m_label = p.m_path;
  return p;
}

Payload Payload::from_bytes(std::string bytes, std::string label) {
  Payload p;
  p.m_bytes = std::move(bytes);
  p.m_label = std::move(label);
  return p;
}

std::uint64_t Payload::stream(const std::function<void(std::string_view)>& sink) {
  if (m_bytes) {
    sink(*m_bytes);
    return m_bytes->size();
  }
  Fd fd = open_input(m_path, m_label);
  // Page-aligned: the kernel copies into a misaligned buffer several times slower, and a buffer
  // this size comes from mmap at an offset of 16 bytes (see bench/RESULTS.md).
  std::unique_ptr<char, decltype(&std::free)> buffer(
      static_cast<char*>(std::aligned_alloc(4096, kChunk)), &std::free);
  if (!buffer) throw Error("out of memory reading " + m_label + " (payload)");
  std::uint64_t total = 0;
  while (true) {
    ssize_t n = ::read(fd.get(), buffer.get(), kChunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error("cannot read " + m_label + ": " + std::strerror(errno) + " (payload)");
    }
    if (n == 0) break;
    total += static_cast<std::uint64_t>(n);
    sink(std::string_view(buffer.get(), static_cast<size_t>(n)));
  }
  return total;
}

const std::string& Payload::read_all() {
  if (!m_bytes) {
    std::string all;
    if (auto known = size()) all.reserve(*known);
    stream([&](std::string_view chunk) { all.append(chunk); });
    m_bytes = std::move(all);
  }
  return *m_bytes;
}

std::optional<std::uint64_t> Payload::size() const {
  if (m_bytes) return m_bytes->size();
  if (m_stdin) return std::nullopt;
  struct stat st {};
  if (::stat(m_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return static_cast<std::uint64_t>(st.st_size);
}

} // namespace hooktool
