# daemon: config, publisher and journal watcher (unit, no sockets); workers on loopback
# sockets and the real dnsd with dnsctl (integration).
nuage_unit_test(test_daemon unit/main.cpp unit/daemon/config_test.cpp
                unit/daemon/publish_test.cpp unit/daemon/journal_watcher_test.cpp)
target_link_libraries(test_daemon PRIVATE nuage_config nuage_net nuage_daemon)

# Workers with a fake answer function on loopback ports chosen by the kernel.
add_executable(test_daemon_net unit/main.cpp integration/daemon/worker_test.cpp
                               integration/daemon/alloc_count.cpp)
target_link_libraries(test_daemon_net PRIVATE nuage_net doctest::doctest)
add_test(NAME test_daemon_net COMMAND test_daemon_net)
set_tests_properties(test_daemon_net PROPERTIES LABELS integration TIMEOUT 300)

# The real dnsd on a database made by dnsctl (Python + dnspython, Debian's /usr/bin/python3).
set(NUAGE_DNSD_CASES serves_udp_tcp_v4_v6 stops_on_sigterm zone_failing_to_compile_is_skipped
    bad_database_exits_1 busy_port_exits_1 check_config config_file_is_used hundred_live_edits
    zones_imported_and_deleted_live proxied_names_get_the_configured_edge_pool tcp_pipelining tcp_idle_timeout tcp_slow_drip_is_closed tcp_connection_limit
    bad_clients_do_not_disturb_others drops_privileges_after_binding)
foreach(case ${NUAGE_DNSD_CASES})
  add_test(NAME dnsd_${case}
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/integration/daemon/dnsd_test.py
                   --dnsd $<TARGET_FILE:dnsd> --dnsctl $<TARGET_FILE:dnsctl> ${case})
  set_tests_properties(dnsd_${case} PROPERTIES LABELS integration TIMEOUT 180)
endforeach()
