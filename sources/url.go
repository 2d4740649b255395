package sources

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ValidateURL checks that raw is an absolute URL a fetcher can request and
// returns it with surrounding white space removed. It accepts http and
// https URLs with a host, and file URLs only when allowFile is true. It
// rejects empty text, text without a scheme, internal white space or
// control characters, other schemes (javascript:, mailto:, data:, ftp:,
// ...) and anything net/url cannot parse. The error is a [*URLError].
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
			return "", &URLError{URL: raw, Reason: fmt.Sprintf("white space or control character at byte %d", i)}
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
	return ""
}

// plainHTTP reports whether s is surely a valid http or https URL without
// asking net/url: "http://" or "https://" (any case), an ASCII host name
// with an optional numeric port, then printable ASCII with well-formed
// escapes, and no surrounding white space. False means "look closer", not
// "invalid". It makes the common case fast; FuzzValidateURL checks that it
// never accepts what the full check rejects.
func plainHTTP(s string) bool {
	rest, ok := cutHTTPScheme(s)
	if !ok {
		return false
	}
	i := hostEnd(rest)
	if i <= 0 {
		return false
	}
	k := i
	for k+8 <= len(rest) && plainWord(load64(rest[k:])) {
		k += 8
	}
	for ; k < len(rest); k++ {
		c := rest[k]
		if c > ' ' && c < 0x7f && c != '%' {
			continue
		}
		if c != '%' || k+2 >= len(rest) || !isHex(rest[k+1]) || !isHex(rest[k+2]) {
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

// load64 returns the first 8 bytes of s as a little-endian word.
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// cutHTTPScheme returns what follows "http://" or "https://" (any case) at
// the start of s, and whether s starts so. The ASCII case folding (c|0x20)
// matches exactly the upper and lower case of each letter.
func cutHTTPScheme(s string) (string, bool) {
	if len(s) < 8 || s[0]|0x20 != 'h' || s[1]|0x20 != 't' || s[2]|0x20 != 't' || s[3]|0x20 != 'p' {
		return "", false
	}
	i := 4
	if s[4]|0x20 == 's' {
		i = 5
	}
	if len(s) < i+3 || s[i:i+3] != "://" {
		return "", false
	}
	return s[i+3:], true
}

// hostEnd returns the length of the ASCII host name and optional numeric
// port (at most 5 digits) that rest starts with, when a '/', '?', '#' or
// the end follows them; otherwise -1 (or 0 for no host).
func hostEnd(rest string) int {
	i := 0
	for i < len(rest) && isHostByte(rest[i]) {
		i++
	}
	if i == 0 {
		return 0
	}
	if i < len(rest) && rest[i] == ':' {
		j := i + 1
		for j < len(rest) && '0' <= rest[j] && rest[j] <= '9' {
			j++
		}
		if j == i+1 || j-i-1 > 5 {
			return -1
		}
		i = j
	}
	if i < len(rest) && rest[i] != '/' && rest[i] != '?' && rest[i] != '#' {
		return -1
	}
	return i
}

func isHostByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
