# engine: the answer engine's unit tests (label unit: no sockets), the golden cases of
# tests/engine_cases, and the fuzz target with its corpus replay (label fuzz-replay).
add_executable(test_engine unit/main.cpp unit/engine/alloc_counter.cpp unit/engine/case_file.cpp
                           unit/engine/engine_cases_test.cpp unit/engine/query_test.cpp
                           unit/engine/compressor_test.cpp unit/engine/answer_test.cpp)
target_link_libraries(test_engine PRIVATE nuage_engine nuage_test_support PkgConfig::LDNS)
target_compile_definitions(test_engine
  PRIVATE NUAGE_ENGINE_CASES_DIR="${CMAKE_CURRENT_SOURCE_DIR}/engine_cases")
add_test(NAME test_engine COMMAND test_engine)
set_tests_properties(test_engine PROPERTIES LABELS unit TIMEOUT 300)

# The fuzz target's function on a fixed catalog, shared by libFuzzer and the replay driver.
add_library(nuage_fuzz_answer STATIC fuzz/fuzz_answer.cpp fuzz/fuzz_catalog.cpp)
target_link_libraries(nuage_fuzz_answer PUBLIC nuage_engine nuage_test_support)

# Replays every file of the corpus through the target, in every build (gcc included).
add_executable(fuzz_answer_replay fuzz/replay_main.cpp)
target_link_libraries(fuzz_answer_replay PRIVATE nuage_fuzz_answer)
add_test(NAME fuzz_answer_replay
         COMMAND fuzz_answer_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/fuzz_answer)
set_tests_properties(fuzz_answer_replay PROPERTIES LABELS fuzz-replay TIMEOUT 300)

# The zone-file parser's target (zone import), replayed the same way.
add_executable(fuzz_zone_file_replay fuzz/replay_main.cpp fuzz/fuzz_zone_file.cpp)
target_link_libraries(fuzz_zone_file_replay PRIVATE nuage_store)
add_test(NAME fuzz_zone_file_replay
         COMMAND fuzz_zone_file_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/fuzz_zone_file)
set_tests_properties(fuzz_zone_file_replay PROPERTIES LABELS fuzz-replay TIMEOUT 300)

if(NUAGE_FUZZ)
  # libFuzzer needs clang: CC=clang-14 CXX=clang++-14 cmake -DNUAGE_FUZZ=ON [-DNUAGE_SANITIZE=ON]
  add_executable(fuzz_answer fuzz/fuzz_answer.cpp fuzz/fuzz_catalog.cpp)
  target_link_libraries(fuzz_answer PRIVATE nuage_engine nuage_test_support)
  target_compile_options(fuzz_answer PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_answer PRIVATE -fsanitize=fuzzer)
  add_executable(fuzz_zone_file fuzz/fuzz_zone_file.cpp)
  target_link_libraries(fuzz_zone_file PRIVATE nuage_store)
  target_compile_options(fuzz_zone_file PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_zone_file PRIVATE -fsanitize=fuzzer)
endif()

# A micro-benchmark of answer() (not a test): engine_bench [NAMES] [QUERIES]; see its header.
add_executable(engine_bench unit/engine/engine_bench.cpp)
target_link_libraries(engine_bench PRIVATE nuage_engine nuage_test_support)
