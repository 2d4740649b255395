package sources

import (
	"errors"
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
