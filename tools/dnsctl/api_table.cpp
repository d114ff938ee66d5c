#include "tools/dnsctl/api_table.hpp"

#include <algorithm>
#include <ostream>

namespace nuage::dnsctl::api {

void Table::print(std::ostream& out) const
{
    std::vector<std::size_t> width(header_.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) {
            width[i] = std::max(width[i], row[i].size());
        }
    };
    measure(header_);
    for (const auto& r : rows_) {
        measure(r);
    }
    auto line = [&](const std::vector<std::string>& row) {
        std::string s;
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) {
            s += row[i];
            if (i + 1 < row.size()) {
                s += std::string(width[i] - row[i].size() + 2, ' ');
            }
        }
        out << s << "\n";
    };
    line(header_);
    for (const auto& r : rows_) {
        line(r);
    }
}

std::string cell(const nlohmann::json& v)
{
    if (v.is_null()) {
        return "-";
    }
    if (v.is_string()) {
        return v.get<std::string>();
    }
    if (v.is_array()) {
        std::string s;
        for (const auto& e : v) {
            s += (s.empty() ? "" : ",") + cell(e);
        }
        return s.empty() ? "-" : s;
    }
    return v.dump();
}

std::string field(const nlohmann::json& obj, const char* key)
{
    if (!obj.is_object() || !obj.contains(key)) {
        return "-";
    }
    return cell(obj[key]);
}

} // namespace nuage::dnsctl::api
