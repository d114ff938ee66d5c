// request.hpp -- a request and a response as the API's handlers see them, independent of the
// HTTP library: the server (http_server.cpp) fills a Request from the wire and writes the
// Response back; unit tests build them by hand and call the router directly (no sockets).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nuage::api {

// Header names compare case-insensitively (RFC 9110 §5.1).
struct CaseInsensitiveLess {
    bool operator()(const std::string& a, const std::string& b) const;
};

// One part of a multipart/form-data body (RFC 7578): a file or a plain field.
struct FormPart {
    std::string filename;
    std::string content_type;
    std::string content;
};

struct Request {
    std::string method; // "GET", "POST", ...
    std::string path;   // percent-decoded, without the query string
    std::multimap<std::string, std::string> query;
    std::multimap<std::string, std::string, CaseInsensitiveLess> headers;
    std::string body;
    std::map<std::string, FormPart> form; // multipart/form-data parts by name
    std::string remote_addr;

    // The first value of a query parameter or header, if any.
    std::optional<std::string> param(const std::string& key) const;
    std::vector<std::string> params(const std::string& key) const;
    std::optional<std::string> header(const std::string& key) const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

} // namespace nuage::api
