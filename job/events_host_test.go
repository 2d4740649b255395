package job

import (
	"net/url"
	"testing"
)

// TestHostOf: the host read off the string is url.Parse's, for plain URLs
// and the ones that need parsing.
func TestHostOf(t *testing.T) {
	for _, raw := range []string{
		"http://shop.example/p/1", "https://Shop.Example:8443/a?b#c", "http://127.0.0.1:9322/shop/", "http://h?q=1",
		"http://h#f", "http://h", "http://user:pw@h/x", "http://[::1]:80/x", "http://h%41/x", "mailto:a@b", "/relative",
		"http:///x", "https://h/a://b", "ftp://files.example/pub",
	} {
		want := ""
		if u, err := url.Parse(raw); err == nil {
			want = u.Host
		}
		if got := hostOf(raw); got != want {
			t.Errorf("hostOf(%q) = %q, url.Parse's host %q", raw, got, want)
		}
	}
}
