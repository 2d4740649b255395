package crawl_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/stages/crawl"
)

// BenchmarkStoreDiscover drives a store the way a crawl of the generated
// shop does (testsite's crawlshop: 3 categories, 10 products a listing
// page): it takes each page with Next, adds the keys of the links the
// page has — listing pages their products, a ?ref= variant of every
// seventh, the next listing page, home and the first listing page;
// products the first listing page of their category and the next
// product — and marks it done (MarkDoneLater where the store has it,
// else MarkDone in batches of 100). Most links are duplicates, many of a
// few hot pages. ns/op is per page.
//
//	go test -run '^$' -bench StoreDiscover -count 6 ./stages/crawl
func BenchmarkStoreDiscover(b *testing.B) {
	const products = 100_000
	for _, kind := range []string{"memory", "bbolt"} {
		b.Run(fmt.Sprintf("%s/%d", kind, products), func(b *testing.B) {
			pages := 0
			for b.Loop() {
				var s crawl.Store = crawl.NewMemoryStore()
				if kind == "bbolt" {
					ds, err := crawl.OpenStore(filepath.Join(b.TempDir(), "f.db"), crawl.StoreConfig{})
					if err != nil {
						b.Fatal(err)
					}
					s = ds
				}
				pages += crawlShop(b, s, products)
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(pages), "ns/page")
			b.ReportMetric(0, "ns/op")
		})
	}
}

const shopOrigin = "http://shop.example"

// crawlShop crawls the shop's link graph out of s and returns the pages
// taken.
func crawlShop(b *testing.B, s crawl.Store, products int) int {
	const cats, perPage = 3, 10
	add := func(key string) {
		if _, err := s.Add(crawl.Entry{Key: key, Host: shopOrigin, URL: key, Depth: 1}); err != nil {
			b.Fatal(err)
		}
	}
	listing := func(k, n int) string {
		return shopOrigin + "/shop/c/" + strconv.Itoa(k) + "?page=" + strconv.Itoa(n) + "&sort=name"
	}
	product := func(id int) string { return shopOrigin + "/shop/p/" + strconv.Itoa(id) }
	later, _ := s.(interface{ MarkDoneLater(...string) error })
	var done []string
	add(shopOrigin + "/shop/")
	pages := 0
	for {
		e, ok, err := s.Next(nil)
		if err != nil {
			b.Fatal(err)
		}
		if !ok {
			break
		}
		pages++
		path := e.Key[len(shopOrigin):]
		var k, n, id int
		switch {
		case path == "/shop/":
			for k := range cats {
				add(listing(k, 1))
			}
		case len(path) > 8 && path[:8] == "/shop/c/":
			fmt.Sscanf(path, "/shop/c/%d?page=%d", &k, &n)
			in := (products - k + cats - 1) / cats
			if n*perPage < in {
				add(listing(k, n+1))
			}
			for i := (n - 1) * perPage; i < min(n*perPage, in); i++ {
				id := k + i*cats
				add(product(id))
				if id%7 == 0 {
					add(product(id) + "?ref=list")
				}
			}
			add(shopOrigin + "/shop/")
			add(listing(k, 1))
		default:
			num, _, _ := strings.Cut(path[len("/shop/p/"):], "?")
			id, _ = strconv.Atoi(num)
			add(listing(id%cats, 1))
			add(product((id + 1) % products))
		}
		if later != nil {
			if err := later.MarkDoneLater(e.Key); err != nil {
				b.Fatal(err)
			}
			continue
		}
		if done = append(done, e.Key); len(done) == 100 {
			if err := s.MarkDone(done...); err != nil {
				b.Fatal(err)
			}
			done = done[:0]
		}
	}
	return pages
}

// BenchmarkStoreWrite is the DiskStore's write of new keys: each op adds
// 1,000 product URLs found in crawl order (ids rising, three categories
// interleaved) and writes them with MarkDone, into a store that grows
// with b.N. ns/op is per key.
//
//	go test -run '^$' -bench StoreWrite -count 6 ./stages/crawl
func BenchmarkStoreWrite(b *testing.B) {
	s, err := crawl.OpenStore(filepath.Join(b.TempDir(), "f.db"), crawl.StoreConfig{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	id := 10_000
	b.ResetTimer()
	for b.Loop() {
		for range 1000 {
			key := shopOrigin + "/shop/p/" + strconv.Itoa(id)
			if _, err := s.Add(crawl.Entry{Key: key, Host: shopOrigin, URL: key, Depth: 2}); err != nil {
				b.Fatal(err)
			}
			id++
		}
		if err := s.MarkDone(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/key")
	b.ReportMetric(0, "ns/op")
}
