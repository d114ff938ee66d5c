#include "zonestore/dns/zone_lexer.hpp"

#include "zonestore/dns/zone_file.hpp"

namespace nuage::dns {

namespace {

bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && is_blank(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_blank(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

} // namespace

ZoneLexer::ZoneLexer(std::string_view text, std::string file) : text_(text), file_(std::move(file))
{
}

void ZoneLexer::fail(int line, const std::string& reason) const
{
    throw ZoneFileError(file_, line, reason);
}

bool ZoneLexer::next(ZoneEntry& out)
{
    out = ZoneEntry{};
    bool line_start = pos_ == 0 || text_[pos_ - 1] == '\n';
    int open_line = 0; // the line of the '(' still open, 0 when none
    int comment_line = 0;
    while (pos_ < text_.size()) {
        char c = text_[pos_];
        if (c == '\n') {
            ++pos_;
            ++line_;
            line_start = true;
            if (open_line == 0 && !out.tokens.empty()) {
                break;
            }
            if (open_line == 0) {
                out = ZoneEntry{}; // a blank or comment-only line
                comment_line = 0;
            }
            continue;
        }
        bool first = line_start && open_line == 0 && out.tokens.empty();
        line_start = false;
        if (is_blank(c)) {
            out.blank_owner = out.blank_owner || first;
            ++pos_;
        } else if (c == ';') {
            comment_line = line_;
            read_comment(out);
        } else if (c == '(') {
            // RFC 1035 §5.1: parentheses group one entry's lines; they do not nest.
            if (open_line != 0) {
                fail(line_,
                     "'(' inside parentheses (opened on line " + std::to_string(open_line) + ")");
            }
            open_line = line_;
            ++pos_;
        } else if (c == ')') {
            if (open_line == 0) {
                fail(line_, "')' without a '(' before it");
            }
            open_line = 0;
            out.line = line_;
            ++pos_;
        } else {
            read_token(out);
        }
    }
    if (open_line != 0) {
        fail(open_line, "'(' is never closed");
    }
    if (comment_line != out.line) {
        out.comment.clear(); // the comment belongs to an earlier line of the entry
    }
    return !out.tokens.empty();
}

void ZoneLexer::read_comment(ZoneEntry& out)
{
    std::size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) {
        end = text_.size();
    }
    std::string_view c = text_.substr(pos_ + 1, end - pos_ - 1);
    if (c.find('\0') != std::string_view::npos) {
        fail(line_, "a NUL byte in a comment");
    }
    out.comment = std::string(trim(c));
    pos_ = end;
}

// A run of characters up to a blank, ';', '(' or ')' outside quotes. Quotes may sit inside a
// word (RFC 9460 §2.1: alpn="h2,h3"); a quoted part ends on its line (knotd and nsd refuse an
// open quote at a line's end, ldns read on into the next records).
void ZoneLexer::read_token(ZoneEntry& out)
{
    std::size_t start = pos_;
    bool quoted = false;
    int quote_line = 0;
    while (pos_ < text_.size()) {
        char c = text_[pos_];
        if (c == '\0') {
            fail(line_, "a NUL byte: write a zero octet as \\000 (RFC 1035 §5.1)");
        }
        if (c == '\n') {
            if (quoted) {
                fail(quote_line, "a quote is never closed on its line");
            }
            break;
        }
        if (c == '\\') {
            if (pos_ + 1 >= text_.size() || text_[pos_ + 1] == '\n' || text_[pos_ + 1] == '\r') {
                fail(line_, "a backslash at the end of a line escapes nothing");
            }
            if (text_[pos_ + 1] == '\0') {
                fail(line_, "a NUL byte: write a zero octet as \\000 (RFC 1035 §5.1)");
            }
            pos_ += 2;
            continue;
        }
        if (c == '"') {
            quoted = !quoted;
            quote_line = line_;
        } else if (!quoted && (is_blank(c) || c == ';' || c == '(' || c == ')')) {
            break;
        }
        ++pos_;
    }
    if (quoted) {
        fail(quote_line, "a quote is never closed on its line");
    }
    out.tokens.push_back({text_.substr(start, pos_ - start), line_});
    out.line = line_;
}

} // namespace nuage::dns
