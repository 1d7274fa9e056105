// The one error type of hooktool: a message for the user and the exit code it maps to.
#pragma once

#include <stdexcept>
#include <string>

namespace hooktool {

// Documented exit codes (see man/hooktool.1, EXIT STATUS).
enum ExitCode : int {
  kExitOk = 0,
  kExitCheckFailed = 1, // bad signature, non-2xx response, timeout waiting for hooks
  kExitUsage = 2,       // usage or input error
  kExitNetwork = 3,     // the request never got an answer
};

class Error : public std::runtime_error {
public:
  explicit Error(const std::string& message, int code = kExitUsage)
      : std::runtime_error(message), m_code(code) {}
  int code() const { return m_code; }

private:
  int m_code;
};

} // namespace hooktool
