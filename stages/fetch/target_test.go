package fetch

import (
	"math/rand/v2"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// TestParseSimple checks parseSimple against url.Parse: on every URL it
// takes, the two give the same URL, field by field; the usual crawl URLs
// are taken.
func TestParseSimple(t *testing.T) {
	check := func(raw string) bool {
		got, ok := parseSimple(raw)
		if !ok {
			return false
		}
		want, err := url.Parse(raw)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("parseSimple(%q) = %#v\nurl.Parse: %#v, %v", raw, got, want, err)
		}
		return true
	}
	for _, raw := range []string{
		"http://127.0.0.1:8088/shop/c/1?page=2&sort=name", "https://a.example", "https://a.example/", "http://a.example/x?",
		"http://a.example:8080/a/b/", "http://a.example/a?x", "http://a.example?x=1", "https://a.example/~u/a.b-c_d:e",
	} {
		if !check(raw) {
			t.Errorf("parseSimple(%q) not taken", raw)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	pick := func(parts ...string) string { return parts[rng.IntN(len(parts))] }
	taken := 0
	for range 50000 {
		var b strings.Builder
		b.WriteString(pick("http://", "https://", "HTTP://", "http:/", "ftp://", "http:"))
		b.WriteString(pick("a.example", "A.example", "127.0.0.1", "a-b.example", "[::1]", "u@a.example", "", "a_b.example", "xn--bcher-kva.example"))
		b.WriteString(pick("", "", ":80", ":", ":0", ":08", ":x", "::1"))
		for range rng.IntN(4) {
			b.WriteString(pick("/", "/a", "/.", "/..", "/a.b", "/%41", "/~x", "//", "/a:b", "/é", "/a b", "/a;b", "/a@b", "/a+b", "/a$b"))
		}
		if rng.IntN(2) == 0 {
			b.WriteString("?")
			for i := range rng.IntN(4) {
				if i > 0 {
					b.WriteString(pick("&", "&", "&&", ";", "?"))
				}
				b.WriteString(pick("a", "b", "page", "A", "a%20b", "x+y", "", "a:b", "/p"))
				b.WriteString(pick("", "=", "=1", "=name", "=%41", "=a=b"))
			}
		}
		b.WriteString(pick("", "", "", "#top", "#"))
		if check(b.String()) {
			taken++
		}
	}
	if taken < 500 {
		t.Errorf("only %d of 50000 generated URLs took the fast path", taken)
	}
}
