#include "tests/fuzz/fuzz_catalog.hpp"

#include "tests/support/catalog_builder.hpp"

namespace nuage::test {

namespace {

const char* kParent = R"(
$ORIGIN test.
$TTL 300
@ 3600 IN SOA ns1.test. admin.test. 2024010101 7200 3600 1209600 600
@ 3600 NS ns1.test.
@ 3600 NS ns2.test.
@ A 192.0.2.1
@ AAAA 2001:db8::1
@ MX 10 mail.test.
@ MX 20 mx.other.
@ TXT "v=spf1 -all"
ns1 A 192.0.2.53
ns1 AAAA 2001:db8::53
ns2 A 192.0.2.54
mail A 192.0.2.25
www A 192.0.2.80
WwW2 A 192.0.2.81
alias CNAME www
chain1 CNAME chain2
chain2 CNAME www
loop1 CNAME loop2
loop2 CNAME loop1
self CNAME self
dangling CNAME nothere
ext CNAME host.other.
out CNAME www.notserved.
tochild CNAME host.child.test.
srv._tcp SRV 0 0 80 www
svc HTTPS 1 www.test. alpn=h2
a.b.c.ent A 192.0.2.99
*.wild A 192.0.2.100
*.wild TXT "wild"
*.wc CNAME www
*.wcl CNAME x.wcl
unk TYPE65280 \# 4 deadbeef
ptr PTR www.test.
sub NS ns.sub
sub NS ns.other.
sub NS ns1.test.
sub DS 12345 8 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
ns.sub A 192.0.2.200
*.sub A 192.0.2.202
child NS ns.child
ns.child A 192.0.2.220
big TXT "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"
big TXT "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2"
big TXT "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3"
big TXT "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa4"
big TXT "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa5"
big TXT "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa6"
)";

const char* kChild = R"(
$ORIGIN child.test.
$TTL 300
@ 3600 IN SOA ns.child.test. admin.child.test. 5 7200 3600 1209600 60
@ 3600 NS ns.child.test.
ns A 192.0.2.220
host A 192.0.2.221
back CNAME www.test.
)";

const char* kOther = R"(
$ORIGIN other.
$TTL 300
@ 3600 IN SOA ns1.other. admin.other. 1 7200 3600 1209600 120
@ 3600 NS ns1.other.
ns1 A 192.0.2.60
host A 192.0.2.61
mx A 192.0.2.62
loop CNAME loop.test.
)";

} // namespace

const snapshot::Catalog& fuzz_catalog()
{
    static const snapshot::CatalogRef cat =
        catalog_from_zones({{"test.", kParent}, {"child.test.", kChild}, {"other.", kOther}});
    return *cat;
}

} // namespace nuage::test
