# api: the REST API. Unit tests drive the router in-process on a temp store (no sockets);
# integration tests run the real dnsd with its API on a free loopback port (Debian's
# /usr/bin/python3 with requests and dnspython; openssl for the TLS listener's certificate).
nuage_unit_test(test_api unit/main.cpp unit/api/auth_routes_test.cpp unit/api/records_test.cpp
                unit/api/zones_bulk_test.cpp unit/api/pieces_test.cpp)
target_link_libraries(test_api PRIVATE nuage_api_core nuage_dnsctl)
