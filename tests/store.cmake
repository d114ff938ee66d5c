# Store tests (zonestore/db, store, view; tools/dnsctl). Included by tests/CMakeLists.txt.
nuage_unit_test(test_store unit/main.cpp unit/store/record_rules_test.cpp unit/store/db_test.cpp
                unit/store/content_test.cpp unit/store/journal_view_test.cpp
                unit/store/import_export_test.cpp)
target_link_libraries(test_store PRIVATE nuage_store)
