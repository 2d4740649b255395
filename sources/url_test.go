package sources

import (
	"errors"
	"math/bits"
	"strconv"
	"testing"
)

func TestValidateURL(t *testing.T) {
	tests := []struct {
		in        string
		allowFile bool
		want      string // "" means rejected
		reason    string
	}{
		{in: "https://example.com/a?b=c#d", want: "https://example.com/a?b=c#d"},
		{in: "  http://example.com  ", want: "http://example.com"},
		{in: "HTTPS://Example.COM", want: "HTTPS://Example.COM"},
		{in: "http://user:pw@example.com:8080/x", want: "http://user:pw@example.com:8080/x"},
		{in: "http://[::1]:80/", want: "http://[::1]:80/"},
		{in: "https://例え.jp/パス", want: "https://例え.jp/パス"},
		{in: "", reason: "empty"},
		{in: "   ", reason: "empty"},
		{in: "example.com/page", reason: "missing scheme (want http:// or https://)"},
		{in: "//example.com/page", reason: "missing scheme (want http:// or https://)"},
		{in: "/relative/path", reason: "missing scheme (want http:// or https://)"},
		{in: "https://exa mple.com", reason: "white space or control character at byte 11"},
		{in: "https://example.com/a\tb", reason: "white space or control character at byte 21"},
		{in: "javascript:alert(1)", reason: `scheme "javascript" is not allowed`},
		{in: "mailto:a@example.com", reason: `scheme "mailto" is not allowed`},
		{in: "ftp://example.com/f", reason: `scheme "ftp" is not allowed`},
		{in: "data:text/plain,hi", reason: `scheme "data" is not allowed`},
		{in: "file:///etc/hosts", reason: "file urls are not allowed"},
		{in: "file:///etc/hosts", allowFile: true, want: "file:///etc/hosts"},
		{in: "file://localhost/etc/hosts", allowFile: true, want: "file://localhost/etc/hosts"},
		{in: "file://server/share", allowFile: true, reason: `file url with remote host "server"`},
		{in: "file://", allowFile: true, reason: "file url without a path"},
		{in: "http://", reason: "missing host"},
		{in: "https:///path", reason: "missing host"},
		{in: "http:example.com", reason: "missing host"},
		{in: "http://:8080/", reason: "missing host"},
		{in: "http://example.com:port/", reason: `invalid port ":port" after host`},
		{in: "http://example.com/%zz", reason: `invalid URL escape "%zz"`},
		{in: "1http://example.com", reason: "missing scheme (want http:// or https://)"},
		{in: "http://host:99999/", reason: "port 99999 out of range 1-65535"},
		{in: "http://host:65536", reason: "port 65536 out of range 1-65535"},
		{in: "http://host:0/", reason: "port 0 out of range 1-65535"},
		{in: "http://host:00000/", reason: "port 00000 out of range 1-65535"},
		{in: "http://host:123456/", reason: "port 123456 out of range 1-65535"},
		{in: "http://host:65535/", want: "http://host:65535/"},
		{in: "http://host:00080/", want: "http://host:00080/"},
		{in: "http://[::1]:70000/", reason: "port 70000 out of range 1-65535"},
		{in: "  https://a.example/x y ", reason: "white space or control character at byte 21"},
		{in: "\u00a0https://a b", reason: "white space or control character at byte 11"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ValidateURL(tt.in, tt.allowFile)
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Fatalf("ValidateURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			var ue *URLError
			if !errors.As(err, &ue) || !errors.Is(err, ErrInvalidURL) {
				t.Fatalf("ValidateURL(%q) error = %v; want a *URLError matching ErrInvalidURL", tt.in, err)
			}
			if ue.Reason != tt.reason || ue.URL != tt.in {
				t.Fatalf("ValidateURL(%q) = %+v; want reason %q", tt.in, ue, tt.reason)
			}
		})
	}
}

func TestURLErrorMessage(t *testing.T) {
	_, err := ValidateURL("mailto:a@example.com", false)
	const want = `sources: invalid url "mailto:a@example.com": scheme "mailto" is not allowed`
	if err.Error() != want {
		t.Fatalf("got %q, want %q", err, want)
	}
	re := &RowError{Source: "in.csv", Line: 7, Raw: "x", Err: err}
	const wantRow = `sources: in.csv: line 7: invalid url "mailto:a@example.com": scheme "mailto" is not allowed`
	if re.Error() != wantRow {
		t.Fatalf("got %q, want %q", re, wantRow)
	}
}

// TestPlainWord checks the 8-bytes-at-once test against the byte-wise rule
// for every byte value at every position, among plain and bad neighbours.
func TestPlainWord(t *testing.T) {
	plain := func(c byte) bool { return c > ' ' && c < 0x7f && c != '%' }
	for _, fill := range []byte{'a', '~', '!', ' ', '%', 0x7f, 0xff, 0x00} {
		for pos := range 8 {
			for c := range 256 {
				word := []byte{fill, fill, fill, fill, fill, fill, fill, fill}
				word[pos] = byte(c)
				want := plain(fill) && plain(byte(c))
				if got := plainWord(load64(string(word))); got != want {
					t.Fatalf("plainWord(%q) = %v, want %v", word, got, want)
				}
			}
		}
	}
}

// TestNonHostBytes checks the 8-bytes-at-once host test against
// isHostByteReference for every byte value at every position, among host
// and non-host neighbours: the lowest marked byte must be the first
// non-host byte, and no byte may be marked when all are host bytes.
func TestNonHostBytes(t *testing.T) {
	fills := []byte{'a', 'Z', '5', '-', '.', '/', ':', '@', '[', '`', '{', 0x0d, 0x10, 0x7f, 0x80, 0xc1, 0xff, 0x00}
	for _, fill := range fills {
		for _, fill2 := range fills {
			for pos := range 8 {
				for c := range 256 {
					word := []byte{fill, fill, fill, fill, fill2, fill2, fill2, fill2}
					word[pos] = byte(c)
					first := 8
					for j, b := range word {
						if !isHostByteReference(b) {
							first = j
							break
						}
					}
					bad := nonHostBytes(load64(string(word)))
					got := 8
					if bad != 0 {
						got = bits.TrailingZeros64(bad) / 8
					}
					if got != first || bad != 0 && bits.TrailingZeros64(bad)%8 != 7 {
						t.Fatalf("nonHostBytes(%q) = %#x: first non-host byte %d, want %d", word, bad, got, first)
					}
				}
			}
		}
	}
}

// plainHTTPReference is plainHTTP as it was before the word-at-a-time
// host and scheme tests: the specification the fast version must match
// exactly (TestPlainHTTPReference, FuzzPlainHTTPReference). It and its
// helpers are frozen copies; do not change them to follow url.go.
func plainHTTPReference(s string) bool {
	rest, ok := cutHTTPSchemeReference(s)
	if !ok {
		return false
	}
	i := hostEndReference(rest)
	if i <= 0 {
		return false
	}
	k := i
	for k+8 <= len(rest) && plainWordReference(load64Reference(rest[k:])) {
		k += 8
	}
	for ; k < len(rest); k++ {
		c := rest[k]
		if c > ' ' && c < 0x7f && c != '%' {
			continue
		}
		if c != '%' || k+2 >= len(rest) || !isHexReference(rest[k+1]) || !isHexReference(rest[k+2]) {
			return false
		}
		k += 2
	}
	return true
}

// plainWordReference is the frozen plainWord.
func plainWordReference(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	below := (x - ones*0x21) &^ x & highs
	above := (x | (x + ones)) & highs
	y := x ^ (ones * '%')
	pct := (y - ones) &^ y & highs
	return below|above|pct == 0
}

// load64Reference is the frozen load64.
func load64Reference(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// cutHTTPSchemeReference is the frozen byte-wise cutHTTPScheme.
func cutHTTPSchemeReference(s string) (string, bool) {
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

// hostEndReference is the frozen byte-at-a-time hostEnd.
func hostEndReference(rest string) int {
	i := 0
	for i < len(rest) && isHostByteReference(rest[i]) {
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
		// Deliberate change (issue #17): a port outside 1-65535 is not
		// plain; the full check rejects it.
		if port, _ := strconv.Atoi(rest[i+1 : j]); port < 1 || port > 65535 {
			return -1
		}
		i = j
	}
	if i < len(rest) && rest[i] != '/' && rest[i] != '?' && rest[i] != '#' {
		return -1
	}
	return i
}

// isHostByteReference is the frozen isHostByte.
func isHostByteReference(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-'
}

// isHexReference is the frozen isHex.
func isHexReference(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// plainHTTPCases are inputs where a word-at-a-time fast path can go wrong:
// scheme spellings and lengths, host and port edges, escapes, bad bytes at
// every kind of position, and lengths around multiples of 8.
var plainHTTPCases = []string{
	"", "h", "http://", "https://", "http:/", "https:/", "http://a", "https://a", "http://ab",
	"HTTP://A", "HtTpS://a.b", "HTTPS://EXAMPLE.COM/", "hTTP://x/", "http:\x1a/x", "http:/\x0fx",
	"http\x1a//x", "Http\x00://x", "httpS://x", "httpx://x", "https:x//", "http//a.b/",
	"ftp://a.b/", "file:///x", "http:///x", "https:///", "http://?", "http://#", "http://:80/",
	// host bytes and where the host stops
	"http://a.b-c.D9/", "http://a_b/", "http://a~b/", "http://a+b/", "http://a,b/", "http://a;b/",
	"http://a@b/", "http://u:p@b/", "http://user@example.com/", "http://a[b/", "http://a`b/",
	"http://a{b/", "http://a/b", "http://a?b", "http://a#b", "http://a\\b", "http://a b/",
	"http://a\x00b", "http://a\x7fb", "http://a\x80b", "http://a\xffb", "http://é.com/",
	"http://例え.jp/", "http://[::1]/", "http://[::1]:80/", "http://1.2.3.4/", "http://-/",
	"http://./", "http://a..b/", "http://aaaaaaa/", "http://aaaaaaaa/", "http://aaaaaaaaa/",
	"https://aaaaaaa", "https://aaaaaaaa", "https://aaaaaaaaa", "https://aaaaaaaaaaaaaaa",
	"https://aaaaaaaaaaaaaaaa", "https://aaaaaaaaaaaaaaaa/", "https://aaaaaaaaaaaaaaa@",
	"https://aaaaaaaaaaaaaaaa@", "https://aaaaaaa@aaaaaaaa", "https://aaaaaaaaaaa\x00",
	"https://shop.example.com/products/item-123456", "https://shop.example.co\x7f",
	"https://shop.example.com\xc3", "https://shop.example.comé/",
	// ports
	"http://a:", "http://a:/", "http://a:1", "http://a:12345", "http://a:123456", "http://a:123456/",
	"http://a:65535/x", "http://a:65536/x", "http://a:99999", "http://a:0", "http://a:00000/", "http://a:00001/",
	"http://a:70000", "http://a:65535", "http://aaaaaaa:65536/", "http://a:8080?x", "http://a:8080#x",
	"http://a:80a/", "http://a:80:80/", "http://a::80/", "http://a:-1/", "http://a:port/",
	"http://aaaaaaaa:1/", "http://aaaaaaa:12345", "http://aaaaaaa:123456",
	// path, query, fragment
	"http://a/%", "http://a/%4", "http://a/%41", "http://a/%4g", "http://a/%g1", "http://a/%%41",
	"http://a/%41%", "http://a/x%41y", "http://a/%zz", "http://a/%2F%2f", "http://a/?q=%20#%41",
	"http://a/1234567%", "http://a/1234567%4", "http://a/1234567%41", "http://a/12345678%41",
	"https://a.b/abcdefgh%41bcdefgh", "https://a.b/abcdefghijklmn%4", "https://a.b/abcdefghijklm%41",
	"http://a/ ", " http://a/", "http://a/\t", "http://a/\n", "\thttp://a/", "http://a/x y",
	"http://a/\x00", "http://a/\x1f", "http://a/\x7f", "http://a/\x80", "http://a/é",
	"http://a/~!$&'()*+,;=:@[]{}|\\^`\"<>", "http://a/abcdefg\x7f", "http://a/abcdefgh\x7f",
	"http://a/abcdefghi\x7f", "http://a.b.c.d.e.f/abcdefghijklmnopqrstuvwxyz0123456789",
	"https://example.com", "https://example.com/", "HTTPS://Example.COM", "https://a.b/abcdefgh ",
	"https://a.b/abcdefg%20", "https://a.b/abcdefgh%20", "https://a.b/%20abcdefgh", "https://a.b/abc%2",
}

// TestPlainHTTPReference checks that plainHTTP accepts exactly what the
// byte-at-a-time plainHTTPReference accepts, on tricky inputs, each also
// cut at every length so every tail length and word boundary is covered.
func TestPlainHTTPReference(t *testing.T) {
	for _, in := range plainHTTPCases {
		for n := range len(in) + 1 {
			s := in[:n]
			if got, want := plainHTTP(s), plainHTTPReference(s); got != want {
				t.Errorf("plainHTTP(%q) = %v, reference %v", s, got, want)
			}
		}
	}
}
