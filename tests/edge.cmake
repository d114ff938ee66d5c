# edge (issue 3): proxied records, edge pools, origin privacy and tunnels. Unit tests (store,
# public view, dnsctl in-process) and the real dnsd on loopback: the leak scanner, the user's
# story with dig, and the start-time pool checks. Included by tests/CMakeLists.txt.
nuage_unit_test(test_edge unit/main.cpp unit/edge/public_view_edge_test.cpp
                unit/edge/tunnel_store_test.cpp unit/edge/edge_pools_test.cpp
                unit/edge/exposure_test.cpp unit/edge/dnsctl_edge_test.cpp)
target_link_libraries(test_edge PRIVATE nuage_store nuage_dnsctl)

# The real dnsd and dnsctl (Python + dnspython, Debian's /usr/bin/python3; dig from
# bind9-dnsutils; libldns for the scanner's type table).
foreach(script leak_scan user_story)
  add_test(NAME edge_${script}
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/edge/${script}.py
                   --dnsd $<TARGET_FILE:dnsd> --dnsctl $<TARGET_FILE:dnsctl>)
  set_tests_properties(edge_${script} PROPERTIES LABELS integration TIMEOUT 180)
endforeach()

# Edge pools at start and live (one ctest per case).
foreach(case unknown_pool_is_refused_at_start empty_pool_is_refused_at_start
        proxied_records_without_pools_are_refused_at_start ipv4_only_pool_answers_aaaa_with_nodata)
  add_test(NAME edge_pools_${case}
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/edge/pools_test.py
                   --dnsd $<TARGET_FILE:dnsd> --dnsctl $<TARGET_FILE:dnsctl> ${case})
  set_tests_properties(edge_pools_${case} PROPERTIES LABELS integration TIMEOUT 120)
endforeach()
