// context.hpp -- what every handler may use: the settings the API takes from the daemon's
// configuration, the store connections, the account, and the two hooks into the daemon
// (wait for a write to be served; re-run a zone's activation check). Plus Call, one request
// on its way through a handler.
#pragma once

#include "api/envelope.hpp"
#include "api/request.hpp"
#include "api/store_pool.hpp"
#include "api/token_usage.hpp"
#include "zonestore/store/store.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nuage::api {

// Waits until every DNS worker answers from a catalog that includes the store's journal up
// to `seq` (DESIGN §2: a write is visible before its response). False after `timeout`.
using PublishWait = std::function<bool(std::int64_t seq, std::chrono::milliseconds timeout)>;
// Re-runs the delegation check of a zone (store::Zone::id) soon; returns at once.
using ActivationCheck = std::function<void(std::int64_t zone_id)>;

struct ApiSettings {
    std::string account_name = "Nuage";
    std::string account_email;             // empty: X-Auth-Email is not compared
    std::vector<std::string> name_servers; // [zones] name_servers: given to new zones
    std::string tunnels_domain = "cfargotunnel.com";
    std::chrono::milliseconds publish_timeout{5000}; // API.md §2
    std::size_t import_max_bytes = 256 * 1024;       // API.md §5
    std::size_t batch_max = 1000;                    // operations in one batch
};

struct ApiContext {
    ApiSettings settings;
    StorePool* stores = nullptr;
    store::Account account;
    PublishWait wait_published;       // unset: writes answer at once (unit tests)
    ActivationCheck activation_check; // unset: the check is not available
    std::shared_ptr<TokenUsage> token_usage = std::make_shared<TokenUsage>(); // last_used_on
};

// Who is calling (auth.hpp fills it).
struct Principal {
    store::Token token;
    bool legacy = false; // came as X-Auth-Email + X-Auth-Key
};

// One request inside a handler.
struct Call {
    const Request& req;
    ApiContext& ctx;
    store::Store& store;
    const Principal& who;
    std::map<std::string, std::string> path; // the route's :params
    std::optional<store::Zone> zone;         // the route's :zone_id, resolved and authorized

    const std::string& param(const std::string& name) const { return path.at(name); }
    // After a committed write: waits until DNS answers from it (API.md §2) and returns the
    // messages the response carries (one saying publication is delayed, past the timeout).
    std::vector<Message> published();
};

} // namespace nuage::api
