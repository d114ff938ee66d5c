# edge (issue 3): proxied records, edge pools, origin privacy and tunnels. Unit tests (store,
# public view, dnsctl in-process) and the real dnsd on loopback: the leak scanner, the user's
# story with dig, and the start-time pool checks. Included by tests/CMakeLists.txt.
nuage_unit_test(test_edge unit/main.cpp unit/edge/public_view_edge_test.cpp
                unit/edge/tunnel_store_test.cpp unit/edge/edge_pools_test.cpp
                unit/edge/exposure_test.cpp unit/edge/dnsctl_edge_test.cpp)
target_link_libraries(test_edge PRIVATE nuage_store nuage_dnsctl)
