// router.hpp -- from a Request to a Response: the route table (routes.cpp, one line per
// resource and verb, as PowerDNS's ws-auth.cc), path parameters, authentication and scope,
// the route's zone, and every exception turned into the envelope. Knows no HTTP library.
#pragma once

#include "api/auth.hpp"
#include "api/context.hpp"

#include <string_view>
#include <vector>

namespace nuage::api {

inline constexpr std::string_view kBasePath = "/client/v4";

using Handler = Response (*)(Call&);

struct Route {
    const char* method;
    const char* pattern; // below kBasePath; ":name" segments are parameters
    Access access;
    Handler handler;
};

// The one route table (routes.cpp).
const std::vector<Route>& route_table();

class Router {
public:
    explicit Router(ApiContext& ctx) : ctx_(ctx) {}

    // Never throws: every failure is an envelope with its status (a fault is a logged 500).
    Response handle(const Request& req) const;

private:
    Response dispatch(const Request& req) const;
    ApiContext& ctx_;
};

} // namespace nuage::api
