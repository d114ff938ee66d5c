# daemon: config, publisher and journal watcher (unit, no sockets); workers on loopback
# sockets and the real dnsd with dnsctl (integration).
nuage_unit_test(test_daemon unit/main.cpp unit/daemon/config_test.cpp)
target_link_libraries(test_daemon PRIVATE nuage_config)
