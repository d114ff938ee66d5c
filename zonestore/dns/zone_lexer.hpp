// zone_lexer.hpp -- splits a master file (RFC 1035 §5.1) into entries, one record or directive
// each: its tokens, whether its owner was left blank, and the comment on its last line. It owns
// the syntax ldns's reader let through: a quote or a parenthesis that never closes, nested or
// stray parentheses, raw NUL bytes. Meaning (owner, TTL, type, RDATA) is zone_file.cpp's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nuage::dns {

struct ZoneToken {
    std::string_view text; // as written: quotes and backslash escapes kept
    int line = 0;
};

struct ZoneEntry {
    std::vector<ZoneToken> tokens;
    bool blank_owner = false; // the entry starts with a blank: the previous owner's record
    int line = 0;             // the line of its last token or closing parenthesis
    std::string comment;      // text after ';' on that line, trimmed ("" if none)
};

class ZoneLexer {
public:
    // `text` must outlive the lexer and its entries; `file` names it in errors.
    ZoneLexer(std::string_view text, std::string file);

    // Reads the next entry into `out`; false at the end of the text. Throws ZoneFileError
    // (zone_file.hpp) with the line of the offending quote, parenthesis or byte.
    bool next(ZoneEntry& out);

private:
    void read_token(ZoneEntry& out);
    void read_comment(ZoneEntry& out);
    [[noreturn]] void fail(int line, const std::string& reason) const;

    std::string_view text_;
    std::string file_;
    std::size_t pos_ = 0;
    int line_ = 1;
};

} // namespace nuage::dns
