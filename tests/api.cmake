# api: the REST API. Unit tests drive the router in-process on a temp store (no sockets);
# integration tests run the real dnsd with its API on a free loopback port (Debian's
# /usr/bin/python3 with requests and dnspython; openssl for the TLS listener's certificate).
nuage_unit_test(test_api unit/main.cpp unit/api/auth_routes_test.cpp unit/api/records_test.cpp
                unit/api/zones_bulk_test.cpp unit/api/pieces_test.cpp
                unit/api/tunnels_test.cpp)
target_link_libraries(test_api PRIVATE nuage_api_core nuage_dnsctl)

# The real dnsd and its API over HTTP(S) (tests/integration/api/api_test.py, one case each).
set(NUAGE_API_CASES endpoints auth_table publish_before_respond bad_input rate_limit
    secrets_not_logged tls wire config_and_default_port tunnels)
foreach(case ${NUAGE_API_CASES})
  add_test(NAME api_${case}
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/api/api_test.py
                   --dnsd $<TARGET_FILE:dnsd> --dnsctl $<TARGET_FILE:dnsctl> ${case})
  set_tests_properties(api_${case} PROPERTIES LABELS integration TIMEOUT 180)
endforeach()
