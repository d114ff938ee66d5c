// ldns_handles.hpp -- RAII owners for ldns objects, so that no ldns pointer is freed by hand.
// ldns allocates per call: it belongs in the store, the compiler and the tools, never in
// dnsd/engine (DESIGN §3).
#pragma once

#include <cstdbool> // first: ldns's common.h otherwise defines `false` as a macro (breaks <optional>)
#include <ldns/ldns.h>
#include <memory>

namespace nuage::dns {

struct RdfDeleter {
    void operator()(ldns_rdf* p) const { ldns_rdf_deep_free(p); }
};
struct RrDeleter {
    void operator()(ldns_rr* p) const { ldns_rr_free(p); }
};
struct RrListDeleter {
    void operator()(ldns_rr_list* p) const { ldns_rr_list_deep_free(p); }
};
struct BufferDeleter {
    void operator()(ldns_buffer* p) const { ldns_buffer_free(p); }
};

using RdfPtr = std::unique_ptr<ldns_rdf, RdfDeleter>;
using RrPtr = std::unique_ptr<ldns_rr, RrDeleter>;
using RrListPtr = std::unique_ptr<ldns_rr_list, RrListDeleter>;
using BufferPtr = std::unique_ptr<ldns_buffer, BufferDeleter>;

} // namespace nuage::dns
