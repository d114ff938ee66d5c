// log.hpp -- the "api" module's spdlog logger (STYLE §4: one logger per module). Never given
// a credential: no Authorization, X-Auth-Key or token secret reaches a log line.
#pragma once

#include <memory>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace nuage::api {

inline spdlog::logger& log()
{
    static const std::shared_ptr<spdlog::logger> logger = [] {
        auto l = spdlog::get("api");
        return l ? l : spdlog::stderr_color_mt("api");
    }();
    return *logger;
}

} // namespace nuage::api
