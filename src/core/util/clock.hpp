// The one wall clock of hooktool. HOOKTOOL_NOW (unix seconds) pins it, so that every
// time-dependent output (samples, signatures, freshness verdicts, received times) can be
// reproduced by tests and demos.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace hooktool {

// Unix time in milliseconds: HOOKTOOL_NOW x 1000 when it is set and not empty, else the system
// clock. Throws Error (exit 2) when HOOKTOOL_NOW is not unix seconds.
std::int64_t now_ms();
// The same in whole seconds (what signatures carry).
std::int64_t now_s();

// What a HOOKTOOL_NOW value pins the clock to, in ms; nullopt for "" (not pinned). Throws Error as
// now_ms() does.
std::optional<std::int64_t> pinned_ms(std::string_view value);

} // namespace hooktool
