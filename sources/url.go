package sources

import (
	"errors"
	"fmt"
	"math/bits"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// ValidateURL checks that raw is an absolute URL a fetcher can request and
// returns it with surrounding white space removed. It accepts http and
// https URLs with a host and, if given, a port from 1 to 65535, and file
// URLs only when allowFile is true. It rejects empty text, text without a
// scheme, internal white space or control characters, other schemes
// (javascript:, mailto:, data:, ftp:, ...), ports out of range and
// anything net/url cannot parse. The error is a [*URLError]; byte offsets
// in its reason count from the start of raw, white space included.
func ValidateURL(raw string, allowFile bool) (string, error) {
	if plainHTTP(raw) {
		return raw, nil
	}
	return validateURL(raw, allowFile)
}

// validateURL is ValidateURL without the fast path.
func validateURL(raw string, allowFile bool) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", &URLError{URL: raw, Reason: "empty"}
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f {
			lead := len(raw) - len(strings.TrimLeftFunc(raw, unicode.IsSpace))
			return "", &URLError{URL: raw, Reason: fmt.Sprintf("white space or control character at byte %d", lead+i)}
		}
	}
	scheme, ok := urlScheme(s)
	if !ok {
		return "", &URLError{URL: raw, Reason: "missing scheme (want http:// or https://)"}
	}
	switch {
	case strings.EqualFold(scheme, "http"), strings.EqualFold(scheme, "https"):
	case strings.EqualFold(scheme, "file"):
		if !allowFile {
			return "", &URLError{URL: raw, Reason: "file urls are not allowed"}
		}
	default:
		return "", &URLError{URL: raw, Reason: fmt.Sprintf("scheme %q is not allowed", scheme)}
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", &URLError{URL: raw, Reason: err.Error()}
	}
	if reason := checkParsed(u, scheme); reason != "" {
		return "", &URLError{URL: raw, Reason: reason}
	}
	return s, nil
}

// urlScheme returns the scheme of s (RFC 3986: a letter, then letters,
// digits, '+', '-' or '.', then ':'), and whether s has one.
func urlScheme(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.':
			if i == 0 {
				return "", false
			}
		case c == ':':
			return s[:i], i > 0
		default:
			return "", false
		}
	}
	return "", false
}

// checkParsed applies the host rules to a parsed URL and returns why it is
// rejected, or "".
func checkParsed(u *url.URL, scheme string) string {
	if strings.EqualFold(scheme, "file") {
		if u.Host != "" && !strings.EqualFold(u.Host, "localhost") {
			return fmt.Sprintf("file url with remote host %q", u.Host)
		}
		if u.Path == "" {
			return "file url without a path"
		}
		return ""
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return "missing host"
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > maxPort {
			return fmt.Sprintf("port %s out of range 1-65535", p)
		}
	}
	return ""
}

// maxPort is the largest TCP port.
const maxPort = 65535

// plainHTTP reports whether s is surely a valid http or https URL without
// asking net/url: "http://" or "https://" (any case), an ASCII host name
// with an optional port of 1 to 5 digits whose value is 1 to 65535, then
// printable ASCII with well-formed escapes, and no surrounding white
// space. False means "look closer", not
// "invalid". It makes the common case fast; FuzzValidateURL checks that it
// never accepts what the full check rejects, and FuzzPlainHTTPReference
// that it accepts exactly what the earlier byte-at-a-time version did.
//
// It runs once per row, so the common case is kept to a few 8-byte loads
// and no calls: one load for the scheme, [nonHostBytes] per 8 host bytes
// and [plainWord] per 8 bytes after them; only escapes go byte by byte. Where fewer than 8 bytes are
// left, it tests the last 8 bytes of s instead, overlapping bytes already
// checked; len(s) >= 8 once the scheme matched, so that load is in range.
func plainHTTP(s string) bool {
	if len(s) < 8 {
		return false
	}
	i := httpSchemeLen(load64(s))
	if i == 0 {
		return false
	}

	// The host: i scans it, start is where it began.
	start := i
	for {
		if i+8 > len(s) {
			// Shift out the bytes of the last word that come before i:
			// they were checked already, and the scheme's ':' and '/' would
			// read as the end of the host. Any host bytes among them are
			// below 0x80, so they carry nothing into the bytes kept. When
			// nothing is left (i == len(s)), the shift by 64 gives 0.
			last := len(s) - 8
			bad := nonHostBytes(load64(s[last:])) >> (8 * (i - last))
			if bad == 0 {
				i = len(s)
			} else {
				i += bits.TrailingZeros64(bad) / 8
			}
			break
		}
		if bad := nonHostBytes(load64(s[i : i+8])); bad != 0 {
			i += bits.TrailingZeros64(bad) / 8
			break
		}
		i += 8
	}
	if i == start {
		return false
	}

	// An optional port of 1 to 5 digits from 1 to 65535, then the end or
	// '/', '?', '#'.
	if i < len(s) && s[i] == ':' {
		j, port := i+1, 0
		for j < len(s) && '0' <= s[j] && s[j] <= '9' && j-i <= 5 {
			port = port*10 + int(s[j]-'0')
			j++
		}
		if j == i+1 || port == 0 || port > maxPort {
			return false
		}
		i = j
	}
	if i < len(s) && s[i] != '/' && s[i] != '?' && s[i] != '#' {
		return false
	}

	// The rest: plain bytes, 8 at a time until a word holds a '%' (or a
	// bad byte), then byte by byte.
	for ; i+8 <= len(s); i += 8 {
		if !plainWord(load64(s[i : i+8])) {
			return plainEscaped(s[i:])
		}
	}
	return plainWord(load64(s[len(s)-8:])) || plainEscaped(s[i:])
}

// plainEscaped reports whether every byte of p is printable ASCII (above
// ' ', below DEL), where each '%' starts an escape of two hex digits. It
// is the byte-at-a-time part of plainHTTP, for text with escapes.
func plainEscaped(p string) bool {
	for k := 0; k < len(p); k++ {
		c := p[k]
		if c > ' ' && c < 0x7f && c != '%' {
			continue
		}
		if c != '%' || k+2 >= len(p) || !isHex(p[k+1]) || !isHex(p[k+2]) {
			return false
		}
		k += 2
	}
	return true
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// The schemes plainHTTP accepts, as load64 reads them, and the bits that
// fold their letters to lower case: c|0x20 matches exactly the upper and
// lower case of an ASCII letter. The fold leaves ':' and '/' alone,
// because they already have that bit, so would also match 0x1a and 0x0f.
const (
	httpsWord = 'h' | 't'<<8 | 't'<<16 | 'p'<<24 | 's'<<32 | ':'<<40 | '/'<<48 | '/'<<56
	httpsFold = 0x20_20_20_20_20
	httpWord  = 'h' | 't'<<8 | 't'<<16 | 'p'<<24 | ':'<<32 | '/'<<40 | '/'<<48
	httpFold  = 0x20_20_20_20
	httpMask  = 1<<56 - 1 // "http://" is 7 bytes
)

// httpSchemeLen returns the length of "https://" or "http://" (any case)
// when w, the first 8 bytes of a string, starts with one, and 0 otherwise.
func httpSchemeLen(w uint64) int {
	if w|httpsFold == httpsWord {
		return 8
	}
	if (w|httpFold)&httpMask == httpWord {
		return 7
	}
	return 0
}

// plainWord reports whether each of the 8 bytes in x is printable ASCII
// other than '%' (above ' ', below DEL), testing all 8 at once. Each test
// can only misfire on a byte after one that truly matches, so the results
// are exact as booleans.
func plainWord(x uint64) bool {
	below := (x - ones*0x21) &^ x & highs // a byte < 0x21
	above := (x | (x + ones)) & highs     // a byte >= 0x7f
	y := x ^ (ones * '%')
	pct := (y - ones) &^ y & highs // a byte == '%'
	return below|above|pct == 0
}

// nonHostBytes tests 8 bytes at once for host bytes (an ASCII letter or
// digit, '.' or '-'). It returns x with the high bit set in the first byte
// that is not a host byte and clear in every byte before it; the bits
// after that are unspecified, so the caller only takes the lowest set bit,
// as where the host stops, and 0 as "all 8 are host bytes".
//
// For a byte b below 0x80, b + (0x80-t) has its high bit set when b >= t,
// and stays below 0x100. A host byte has passed an odd number of the
// thresholds '-', '/', '0', ':' (that is, it is '-', '.' or a digit), or
// of 'a', '{' after setting bit 0x20 (a letter: the bit turns 'A'..'Z'
// into 'a'..'z' and moves no other byte into that range). So the XOR of
// the six sums has the high bit set exactly in the host bytes. A byte of
// 0x80 or more is marked by its own high bit; its sums may carry into the
// next byte up, but that byte is after the first non-host byte.
func nonHostBytes(x uint64) uint64 {
	lower := x | ones*0x20
	host := (x + ones*(0x80-'-')) ^ (x + ones*(0x80-'/')) ^
		(x + ones*(0x80-'0')) ^ (x + ones*(0x80-':')) ^
		(lower + ones*(0x80-'a')) ^ (lower + ones*(0x80-'{'))
	return (x | ^host) & highs
}

// load64 returns the first 8 bytes of s as a little-endian word. The
// compiler turns it into one 8-byte load after one bounds check.
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// isHex reports whether c is an ASCII hex digit.
func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
