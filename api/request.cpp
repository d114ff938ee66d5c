#include "api/request.hpp"

#include <algorithm>
#include <cctype>

namespace nuage::api {

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const
{
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) <
               std::tolower(static_cast<unsigned char>(y));
    });
}

std::optional<std::string> Request::param(const std::string& key) const
{
    auto it = query.find(key);
    return it == query.end() ? std::nullopt : std::optional(it->second);
}

std::vector<std::string> Request::params(const std::string& key) const
{
    std::vector<std::string> out;
    auto [lo, hi] = query.equal_range(key);
    for (auto it = lo; it != hi; ++it) {
        out.push_back(it->second);
    }
    return out;
}

std::optional<std::string> Request::header(const std::string& key) const
{
    auto it = headers.find(key);
    return it == headers.end() ? std::nullopt : std::optional(it->second);
}

} // namespace nuage::api
