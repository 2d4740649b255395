package crawl

import (
	"net/url"
	"testing"

	"github.com/sluicehq/sluice/stages/fetch"
)

// BenchmarkDuplicate is the link stage's duplicate check of a product
// page that was not redirected and whose canonical link is itself, the
// common case.
//
//	go test -run '^$' -bench Duplicate -benchmem -count 6 ./stages/crawl
func BenchmarkDuplicate(b *testing.B) {
	c, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse("http://127.0.0.1:4567/shop/p/12345")
	resp := &fetch.Response{URL: u, Request: fetch.Request{URL: u.String(), Key: u.String()}}
	info := pageInfo{hasCanon: true, canonical: "/shop/p/12345"}
	for b.Loop() {
		if dup, err := c.duplicate(resp, u, &info); dup || err != nil {
			b.Fatal(dup, err)
		}
	}
}
