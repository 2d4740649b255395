package crawl

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// TestFastLink: wherever fastLink takes a link, its key and entry are
// those resolve, normalize and entry give; it takes the shop's links.
func TestFastLink(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(base *url.URL, href string) bool {
		key, ok := c.fastLink(base, href)
		if !ok {
			return false
		}
		raw := resolve(base, href)
		want, _, err := c.entry(raw, 1, nil)
		if raw == "" || err != nil {
			t.Errorf("%s + %q: fast %q, resolve %q (%v)", base, href, key, raw, err)
			return true
		}
		got, host := fastEntry(key, 1, nil)
		_, wantU, _ := c.entry(raw, 1, nil)
		if got.Key != want.Key || got.Host != want.Host || got.URL != want.URL || host != wantU.Host {
			t.Errorf("%s + %q: fast %+v %s, full %+v %s", base, href, got, host, want, wantU.Host)
		}
		return true
	}
	shop, _ := url.Parse("http://127.0.0.1:8088/shop/c/1?page=2&sort=name")
	for _, href := range []string{"/shop/p/7#reviews", "/shop/c/1?sort=name&page=3", "/shop/", "/shop/p/7?ref=list", "http://offsite.invalid/"} {
		if !check(shop, href) {
			t.Errorf("%q: fast path not taken", href)
		}
	}
	rng := rand.New(rand.NewPCG(7, 8))
	pick := func(parts ...string) string { return parts[rng.IntN(len(parts))] }
	for range 20000 {
		base, err := url.Parse(pick("http://", "https://", "HTTP://", "ftp://", "http://u@") + pick("a.example", "A.example", "a.example:80", "b.example:8080", "") +
			pick("", "/", "/x/y", "/x/../y?q=1"))
		if err != nil {
			continue
		}
		var b strings.Builder
		b.WriteString(pick("", "/", "//", "http://c.example", "https://C.example", "x", "../", "?", "#", " /"))
		for range rng.IntN(4) {
			b.WriteString(pick("/", "/a", "/.", "/..", "/a.b", "/%41", "/~x", "//", "a:b", "/é"))
		}
		if rng.IntN(2) == 0 {
			b.WriteString("?" + pick("a=1", "b=2&a=1", "a&&b", "a=%20", "x=1#y"))
		}
		b.WriteString(pick("", "", "#top", "#", "#a?b", "#%zz", "#a#b"))
		check(base, b.String())
	}
}
