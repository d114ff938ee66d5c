// log.hpp -- the "dnsd" module's spdlog logger (STYLE §4: one logger per module, lower-case
// messages, "zone example.com.:" prefix, nothing per query). Never used by dnsd/engine.
#pragma once

#include <memory>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace nuage::dnsd {

inline spdlog::logger& log()
{
    // One instance for the whole program (an inline function's static is shared).
    static const std::shared_ptr<spdlog::logger> logger = [] {
        auto l = spdlog::get("dnsd");
        return l ? l : spdlog::stderr_color_mt("dnsd");
    }();
    return *logger;
}

} // namespace nuage::dnsd
