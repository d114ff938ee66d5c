// record_common.hpp -- what the record handlers share: the :record_id check and the messages
// a written record adds to its response.
#pragma once

#include "api/context.hpp"

namespace nuage::api::handlers {

// The route's record id: 400 (7003) when malformed; the store answers 404 for an unknown one.
const std::string& record_id(Call& c);

// Warnings for a written record (a DNS-only tunnel route does not resolve publicly).
void record_messages(const Call& c, const store::Record& r, std::vector<Message>& messages);

} // namespace nuage::api::handlers
