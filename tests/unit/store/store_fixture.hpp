// store_fixture.hpp -- test support for the store: a private temp dir per test, a fresh
// database in it, and helpers to count what a refused write must not have changed.
#pragma once

#include "zonestore/store/store.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <memory>
#include <string>

namespace nuage::test {

class TempDir {
public:
    TempDir()
    {
        std::string tmpl = (std::filesystem::temp_directory_path() / "nuage-store-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) {
            throw std::runtime_error("mkdtemp failed");
        }
        path_ = tmpl;
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// A store on a fresh file with one zone, example.com, with ns1/ns2.example.net.
struct StoreFixture {
    TempDir dir;
    std::string db_path = dir.file("nuage.sqlite");
    std::unique_ptr<store::Store> st = store::Store::open(db_path);
    std::int64_t zone = make_zone("example.com");

    std::int64_t make_zone(const std::string& name)
    {
        store::ZoneCreate req;
        req.name = name;
        req.name_servers = {dns::Name::parse("ns1.example.net."),
                            dns::Name::parse("ns2.example.net.")};
        return st->create_zone(req).id;
    }

    store::Record add(const std::string& name, const std::string& type, const std::string& content,
                      std::int64_t ttl = 1, bool proxied = false)
    {
        store::RecordInput in;
        in.name = name;
        in.type = type;
        in.content = content;
        in.ttl = ttl;
        in.proxied = proxied;
        return st->create_record(zone, in);
    }

    std::size_t count() { return st->list_records(zone, {}).size(); }
    std::uint32_t serial() { return st->find_zone(zone)->soa.serial; }
};

// The first refused field of a write, or "" when it was accepted.
template <class F> store::FieldError refusal(F&& f)
{
    try {
        f();
    } catch (const store::ValidationError& e) {
        REQUIRE(!e.errors.empty());
        return e.errors.front();
    }
    return {};
}

} // namespace nuage::test
