# flatten: CNAME flattening (DESIGN §2). Unit tests (no sockets): the view's hook, the
# compiler's flattened nodes and the engine's SERVFAIL, the stub resolver's message checks,
# the cache's timing, the planner and the state. Integration: dnsd with knotd as upstream.
nuage_unit_test(test_flatten unit/main.cpp unit/flatten/view_compile_test.cpp
                unit/flatten/wire_test.cpp unit/flatten/cache_pacer_test.cpp
                unit/flatten/planner_test.cpp)
target_link_libraries(test_flatten PRIVATE nuage_flatten nuage_view nuage_engine)

# The real dnsd with a second authoritative server (knotd), a stalled and a garbage upstream,
# all started by the test on loopback (Debian's /usr/bin/python3 and dnspython).
set(NUAGE_FLATTEN_CASES served_targets settings_export_and_refusals
    upstream_answers_follow_their_ttl upstream_chains_back_into_served_zones
    stalled_upstream_then_stale_then_servfail
    garbage_upstream_is_servfail_for_that_name_only)
foreach(case ${NUAGE_FLATTEN_CASES})
  add_test(NAME flatten_${case}
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/flatten/flatten_test.py
                   --dnsd $<TARGET_FILE:dnsd> --dnsctl $<TARGET_FILE:dnsctl> ${case})
  set_tests_properties(flatten_${case} PROPERTIES LABELS integration TIMEOUT 120)
endforeach()
