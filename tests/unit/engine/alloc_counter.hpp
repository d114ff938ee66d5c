// alloc_counter.hpp -- test support: counts every call of the global operator new in the test
// executable (alloc_counter.cpp replaces it), so a test can prove a call allocated nothing.
#pragma once

#include <cstddef>

namespace nuage::test {

std::size_t allocation_count() noexcept;

} // namespace nuage::test
