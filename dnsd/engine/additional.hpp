// additional.hpp -- the additional section (RFC 1034 §4.3.2 step 6): derived from the planned
// answer and authority RRsets once they are written, as Knot DNS 3.2 derives it: A and AAAA
// (and SVCB/HTTPS for those types) of in-zone targets, required glue first.
#pragma once

#include "dnsd/engine/answer_plan.hpp"
#include "dnsd/engine/response_writer.hpp"

namespace nuage::engine {

// Writes the additional section for `plan` into `w`. Required glue (names at or below a
// referral's cut, RFC 9471 §3.1) sets TC when it does not fit; other additional data is just
// left out (RFC 2181 §9).
void write_additional(ResponseWriter& w, const AnswerPlan& plan) noexcept;

} // namespace nuage::engine
