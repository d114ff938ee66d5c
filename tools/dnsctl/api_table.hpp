// api_table.hpp -- the readable output of `dnsctl --api`: aligned columns under a header, and
// JSON values shown as short text (null as "-", arrays joined with commas).
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nuage::dnsctl::api {

class Table {
public:
    explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    // Columns padded to their widest cell, two spaces apart; the last column is not padded.
    void print(std::ostream& out) const;

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

// A JSON value as a table cell: strings as they are, null or missing as "-", numbers and
// booleans as JSON writes them, arrays of scalars joined with ",".
std::string cell(const nlohmann::json& v);
// obj[key] as a cell ("-" when obj is not an object or has no such key).
std::string field(const nlohmann::json& obj, const char* key);

} // namespace nuage::dnsctl::api
