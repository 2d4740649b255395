package crawl

import (
	"net/url"
	"testing"
)

// TestScopes checks each scope against a seed of https://shop.example:8443/a/b
// and, for host and domain, a second seed added later.
func TestScopes(t *testing.T) {
	tests := []struct {
		scope string
		url   string
		want  bool
	}{
		{"host", "https://shop.example:8443/x", true},
		{"host", "https://shop.example/x", false}, // another port is another host
		{"host", "http://other.example/", true},   // the second seed
		{"host", "https://www.shop.example:8443/x", false},
		{"domain", "https://www.shop.example/x", true},
		{"domain", "http://a.b.other.example/", true},
		{"domain", "https://example/x", false},
		{"prefix", "https://shop.example:8443/a/c", true},
		{"prefix", "https://shop.example:8443/b", false},
		{"regex:/a/", "https://anything.example/a/", true},
		{"regex:/a/", "https://shop.example:8443/b", false},
	}
	for _, tt := range tests {
		sc, err := parseScope(tt.scope)
		if err != nil {
			t.Fatal(err)
		}
		for _, seed := range []string{"https://shop.example:8443/a/b", "http://Other.example/"} {
			u, _ := url.Parse(seed)
			sc.addSeed(u.Host, seed)
		}
		u, _ := url.Parse(tt.url)
		if got := sc.allows(u.Host, tt.url); got != tt.want {
			t.Errorf("scope %s allows %s = %v, want %v", tt.scope, tt.url, got, tt.want)
		}
	}
}
