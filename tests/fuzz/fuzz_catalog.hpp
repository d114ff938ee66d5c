// fuzz_catalog.hpp -- the fixed catalog the answer fuzz target runs on: a parent zone with a
// delegation, glue, wildcards, CNAME chains and loops, ENTs and unknown types, its served
// child, and a second zone for cross-zone chains. Built once, on first use.
#pragma once

#include "zonestore/snapshot/catalog.hpp"

namespace nuage::test {

const snapshot::Catalog& fuzz_catalog();

} // namespace nuage::test
