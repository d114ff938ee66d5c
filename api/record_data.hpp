// record_data.hpp -- the structured `data` form of record content (API.md §5: SRV, CAA, LOC,
// CERT, DS, DNSKEY, HTTPS, SVCB, NAPTR, SSHFP, TLSA, SMIMEA, URI), both ways: the store keeps
// presentation-format content, Cloudflare's clients may send and read `data` objects.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace nuage::api {

// Does `type` have a data form?
bool has_data_form(std::uint16_t type);

// The data object of stored content (null when the type has none, or the content does not
// split into its fields).
nlohmann::json content_to_data(std::uint16_t type, const std::string& content);

// Content from a data object. Throws store::ValidationError naming "data.<field>" when a
// field is missing or of the wrong JSON type; the store checks the values themselves.
std::string data_to_content(std::uint16_t type, const nlohmann::json& data);

} // namespace nuage::api
