# Store tests (zonestore/db, store, view; tools/dnsctl). Included by tests/CMakeLists.txt.
nuage_unit_test(test_store unit/main.cpp unit/store/record_rules_test.cpp unit/store/db_test.cpp
                unit/store/content_test.cpp unit/store/journal_view_test.cpp
                unit/store/import_export_test.cpp unit/store/dnsctl_test.cpp
                unit/store/zone_file_syntax_test.cpp unit/store/content_checks_test.cpp
                unit/store/export_portable_test.cpp)
target_link_libraries(test_store PRIVATE nuage_store nuage_dnsctl)

# The real dnsctl binary: import, export, and the exports loaded by knotd's and nsd's checkers
# (kzonecheck from knot-dnssecutils, nsd-checkzone from nsd).
add_test(NAME store_dnsctl_export
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/integration/store/dnsctl_export_test.sh
                 $<TARGET_FILE:dnsctl>)
set_tests_properties(store_dnsctl_export PROPERTIES LABELS integration TIMEOUT 120)
