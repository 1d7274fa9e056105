// Where a payload's bytes come from: a file, stdin, or memory. Streamed in chunks so memory does
// not grow with the payload; read whole only when a caller needs every byte at once.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace hooktool {

class Payload {
public:
  // "" or "-" is stdin; "@file" and "file" are a file.
  static Payload from_arg(std::string_view arg);
  static Payload from_bytes(std::string bytes, std::string label);

  bool is_stdin() const { return m_stdin; }
  const std::string& label() const { return m_label; }

  // Feeds every chunk to sink and returns the byte count. Stdin can be streamed once, unless
  // read_all() kept it in memory.
  std::uint64_t stream(const std::function<void(std::string_view)>& sink);
  // The whole payload; kept so later calls (and stream()) reuse it.
  const std::string& read_all();
  // The size when known without reading (files, memory).
  std::optional<std::uint64_t> size() const;

private:
  std::string m_path;
  std::string m_label;
  bool m_stdin = false;
  std::optional<std::string> m_bytes;
};

} // namespace hooktool
