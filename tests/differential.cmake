# Differential suite (tests/differential/README.md): knotd, nsd and dnsd on loopback answer the
# same queries; dnsd must agree with both peers (or with the RFC where they disagree). A missing
# knotd, nsd, dnsd or dnsctl is a failure, never a skip: without the targets the test still
# registers and fails with the reason.
set(NUAGE_DIFF_DIR ${CMAKE_CURRENT_SOURCE_DIR}/differential)
set(NUAGE_DIFF_PYTHON /usr/bin/python3)  # Debian's: it sees python3-dnspython

if(TARGET dnsd AND TARGET dnsctl)
  add_test(NAME differential
           COMMAND ${NUAGE_DIFF_PYTHON} ${NUAGE_DIFF_DIR}/run.py
                   --dnsd $<TARGET_FILE:dnsd> --dnsctl $<TARGET_FILE:dnsctl>)
else()
  add_test(NAME differential
           COMMAND ${NUAGE_DIFF_PYTHON} ${NUAGE_DIFF_DIR}/run.py --dnsd missing-dnsd-target
                   --dnsctl missing-dnsctl-target)
endif()
set_tests_properties(differential PROPERTIES LABELS differential TIMEOUT 300)
