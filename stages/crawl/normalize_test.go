package crawl

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestFastNormalize: wherever the fast path takes a URL, it gives the key
// the full normalization gives; it takes the usual links.
func TestFastNormalize(t *testing.T) {
	slow := newNormalizer(Config{})
	check := func(raw string) bool {
		fast, ok := fastNormalize(raw)
		if !ok {
			return false
		}
		want, err := slow.Normalize(raw)
		if err != nil || fast != want {
			t.Errorf("%q: fast %q, full %q (%v)", raw, fast, want, err)
		}
		return true
	}
	for _, raw := range []string{
		"http://127.0.0.1:8088/shop/c/1?sort=name&page=2", "http://127.0.0.1:8088/shop/p/7#reviews", "https://a.example",
		"https://a.example/?b=1&a=2&a=1", "http://a.example/x?", "http://a.example/x?#f", "http://a.example:8080/a/b/",
		"http://a.example/a?x", "http://a.example/a?x=&y", "https://a.example/~u/a.b-c_d",
		"http://a.example?b=1&a=2", "http://a.example?a=1#f", "http://a.example#f", "http://a.example/p?a=1&b=2#f",
	} {
		if !check(raw) {
			t.Errorf("%q: fast path not taken", raw)
		}
	}
	for _, raw := range []string{
		"HTTP://a.example/", "http://A.example/", "http://a.example:80/", "https://a.example:443/", "http://a.example/%7Eu",
		"http://a.example/a/../b", "http://a.example/./b", "http://a.example/a?b=%20", "http://a.example/a?a&&b", "ftp://a.example/",
		"http://a.example./", "http://a.example:/", "http://a.example:080/", "http://a.example/a b", "http://ü.example/",
	} {
		check(raw)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(parts ...string) string { return parts[rng.IntN(len(parts))] }
	for range 20000 {
		var b strings.Builder
		b.WriteString(pick("http://", "https://", "HTTP://", "http:/"))
		b.WriteString(pick("a.example", "A.example", "127.0.0.1", "a-b.example", "a.example.", "xn--bcher-kva.example"))
		b.WriteString(pick("", "", ":80", ":443", ":8080", ":", ":0"))
		for range rng.IntN(4) {
			b.WriteString(pick("/", "/a", "/.", "/..", "/a.b", "/%41", "/~x", "//", "/a%2Fb", "/é"))
		}
		if rng.IntN(2) == 0 {
			b.WriteString("?")
			for i := range rng.IntN(4) {
				if i > 0 {
					b.WriteString(pick("&", "&", "&&", ";"))
				}
				b.WriteString(pick("a", "b", "page", "sort", "A", "a%20b", "x+y"))
				b.WriteString(pick("", "=", "=1", "=2", "=name", "=%41", "=a=b"))
			}
		}
		b.WriteString(pick("", "", "#top", "#", "#a?b"))
		check(b.String())
	}
}
