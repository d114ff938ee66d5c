# daemon: config, publisher and journal watcher (unit, no sockets); workers on loopback
# sockets and the real dnsd with dnsctl (integration).
nuage_unit_test(test_daemon unit/main.cpp unit/daemon/config_test.cpp
                unit/daemon/publish_test.cpp unit/daemon/journal_watcher_test.cpp)
target_link_libraries(test_daemon PRIVATE nuage_config nuage_net nuage_daemon)

# Workers with a fake answer function on loopback ports chosen by the kernel.
add_executable(test_daemon_net unit/main.cpp integration/daemon/worker_test.cpp)
target_link_libraries(test_daemon_net PRIVATE nuage_net doctest::doctest)
add_test(NAME test_daemon_net COMMAND test_daemon_net)
set_tests_properties(test_daemon_net PROPERTIES LABELS integration TIMEOUT 300)
