# flatten: CNAME flattening (DESIGN §2). Unit tests (no sockets): the view's hook, the
# compiler's flattened nodes and the engine's SERVFAIL, the stub resolver's message checks,
# the cache's timing, the planner and the state. Integration: dnsd with knotd as upstream.
nuage_unit_test(test_flatten unit/main.cpp unit/flatten/view_compile_test.cpp
                unit/flatten/wire_test.cpp unit/flatten/cache_pacer_test.cpp
                unit/flatten/planner_test.cpp)
target_link_libraries(test_flatten PRIVATE nuage_flatten nuage_view nuage_engine)
