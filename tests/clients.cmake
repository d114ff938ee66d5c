# clients: zone activation (dnsd/activation), dnsctl --api (tools/dnsctl/api_*), and real
# third-party clients against the real dnsd and its REST API (issue 4 items 5-7).
nuage_unit_test(test_clients unit/main.cpp unit/clients/api_client_test.cpp
                unit/clients/delegation_probe_test.cpp)
target_link_libraries(test_clients PRIVATE nuage_dnsctl nuage_activation)

# One ctest per case; Debian's /usr/bin/python3 (python3-cloudflare, dnspython). The tools
# (certbot, pebble, ddclient, knotd, dig, openssl) must be installed: a missing one fails.
set(NUAGE_CLIENT_CASES python_cloudflare python_cloudflare_scopes certbot_token
    certbot_legacy_key ddclient_tls ddclient_tls_legacy_key dnsctl_api_zones_records
    dnsctl_api_tokens_exit_codes dnsctl_api_tunnels dnsctl_api_tls activation_periodic activation_on_demand)
foreach(case ${NUAGE_CLIENT_CASES})
  add_test(NAME clients_${case}
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/clients/clients_test.py
                   --dnsd $<TARGET_FILE:dnsd> --dnsctl $<TARGET_FILE:dnsctl> ${case})
  set_tests_properties(clients_${case} PROPERTIES LABELS "integration;clients" TIMEOUT 180)
endforeach()
