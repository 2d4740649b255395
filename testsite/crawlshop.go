package testsite

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// ShopConfig shapes the crawlable shop served under /shop/ (see
// [Server.ShopPages]). The zero value gives 3 categories of 25 products,
// 10 to a listing page; raise Products for a generated site of any size
// (10k, 100k pages) for benchmarks.
type ShopConfig struct {
	// Categories is the number of categories. Default 3.
	Categories int
	// Products is the number of products, spread over the categories.
	// Default 75.
	Products int
	// PerPage is the number of products on a listing page. Default 10.
	PerPage int
}

func (c ShopConfig) withDefaults() ShopConfig {
	if c.Categories <= 0 {
		c.Categories = 3
	}
	if c.Products <= 0 {
		c.Products = 75
	}
	if c.PerPage <= 0 {
		c.PerPage = 10
	}
	return c
}

// The shop's routes:
//
//	/shop/                           home: categories, about, a nofollow link, an off-site link
//	/shop/c/{k}?page=N&sort=name     listing page N of category k (rel=next to N+1)
//	/shop/p/{id}                     product page (div.product), canonical to itself
//	/shop/about                      meta robots "nofollow,noindex"; links to /shop/hidden
//	/shop/secret, /shop/hidden       reachable only through nofollow: never crawled
//	/shop/sitemap.xml                the home page and every product, plus one orphan product
//
// Links use fragments, query parameters in both orders, ?ref= variants
// whose canonical is the plain product URL, and cycles (product →
// category, product → next product).
func (s *Server) serveShop(w http.ResponseWriter, r *http.Request) {
	c := s.cfg.Shop
	path := strings.TrimPrefix(r.URL.Path, "/shop")
	switch {
	case path == "/":
		s.shopHTML(w, shopHome(c))
	case path == "/about":
		s.shopHTML(w, shopPage("About", `<meta name="robots" content="nofollow,noindex">`, `<a href="/shop/hidden">hidden</a>`))
	case path == "/secret" || path == "/hidden":
		s.shopHTML(w, shopPage("Secret", "", "must not be crawled"))
	case path == "/sitemap.xml":
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, shopSitemap(c, "http://"+r.Host))
	case strings.HasPrefix(path, "/c/"):
		k, err := strconv.Atoi(path[len("/c/"):])
		n, err2 := strconv.Atoi(r.URL.Query().Get("page"))
		if err != nil || err2 != nil || k < 0 || k >= c.Categories || n < 1 || n > c.listingPages(k) {
			http.NotFound(w, r)
			return
		}
		s.shopHTML(w, shopListing(c, k, n))
	case strings.HasPrefix(path, "/p/"):
		id, err := strconv.Atoi(path[len("/p/"):])
		if err != nil || id < 0 || id > c.Products { // id == Products is the orphan
			http.NotFound(w, r)
			return
		}
		s.shopHTML(w, shopProduct(c, id))
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) shopHTML(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(body))
}

// category of product id, and the products of category k: id ≡ k mod Categories.
func (c ShopConfig) category(id int) int { return id % c.Categories }

func (c ShopConfig) inCategory(k int) int { return (c.Products - k + c.Categories - 1) / c.Categories }

func (c ShopConfig) listingPages(k int) int { return max(1, (c.inCategory(k)+c.PerPage-1)/c.PerPage) }

func listingHref(k, n int, sortFirst bool) string {
	if sortFirst {
		return fmt.Sprintf("/shop/c/%d?sort=name&page=%d", k, n)
	}
	return fmt.Sprintf("/shop/c/%d?page=%d&sort=name", k, n)
}

func shopPage(title, head, body string) string {
	return "<!DOCTYPE html>\n<html><head><title>" + title + "</title>" + head + "</head><body>\n<h1>" + title + "</h1>\n" + body + "\n</body></html>\n"
}

func shopHome(c ShopConfig) string {
	var b strings.Builder
	for k := range c.Categories {
		fmt.Fprintf(&b, "<a href=\"%s\">Category %d</a>\n", listingHref(k, 1, true), k)
	}
	b.WriteString(`<a href="/shop/#top">top</a> <a href="/shop/about">About</a> <a rel="nofollow" href="/shop/secret">secret</a> <a href="http://offsite.invalid/">elsewhere</a>`)
	return shopPage("Sluice Crawl Shop", `<link rel="canonical" href="/shop/">`, b.String())
}

func shopListing(c ShopConfig, k, n int) string {
	var head, b strings.Builder
	last := c.listingPages(k)
	if n < last {
		fmt.Fprintf(&head, `<link rel="next" href="%s">`, listingHref(k, n+1, false))
		fmt.Fprintf(&b, "<a rel=\"next\" class=\"next\" href=\"%s\">next</a>\n", listingHref(k, n+1, true))
	}
	first := (n - 1) * c.PerPage
	for i := first; i < min(first+c.PerPage, c.inCategory(k)); i++ {
		id := k + i*c.Categories
		fmt.Fprintf(&b, "<a href=\"/shop/p/%d#reviews\">Product %d</a>\n", id, id)
		if id%7 == 0 {
			fmt.Fprintf(&b, "<a href=\"/shop/p/%d?ref=list\">same product</a>\n", id)
		}
	}
	fmt.Fprintf(&b, "<a href=\"/shop/\">home</a> <a href=\"%s\">first</a>\n", listingHref(k, 1, false))
	return shopPage(fmt.Sprintf("Category %d, page %d", k, n), head.String(), b.String())
}

func shopProduct(c ShopConfig, id int) string {
	body := fmt.Sprintf("<div class=\"product\" data-id=\"%d\"><span class=\"name\">%s</span></div>\n", id, productName(id))
	if id < c.Products {
		body += fmt.Sprintf("<a href=\"%s\">category</a> <a href=\"/shop/p/%d\">next product</a> <a href=\"https://offsite.invalid/p/%d\">compare</a> <a rel=\"nofollow\" href=\"/shop/secret\">s</a>",
			listingHref(c.category(id), 1, false), (id+1)%c.Products, id)
	}
	return shopPage(productName(id), fmt.Sprintf(`<link rel="canonical" href="/shop/p/%d">`, id), body)
}

func shopSitemap(c ShopConfig, base string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	fmt.Fprintf(&b, "<url><loc>%s/shop/</loc></url>\n", base)
	for id := 0; id <= c.Products; id++ {
		fmt.Fprintf(&b, "<url><loc>%s/shop/p/%d</loc></url>\n", base, id)
	}
	b.WriteString("</urlset>\n")
	return b.String()
}

// ShopProducts is the number of products of the shop, not counting the
// orphan product (id ShopProducts), which only the sitemap names.
func (s *Server) ShopProducts() int { return s.cfg.Shop.Products }

// ShopProductURLs are the canonical URLs of every product page, the
// orphan included: the pages a crawl from the home page and the sitemap
// extracts.
func (s *Server) ShopProductURLs() []string {
	out := make([]string, 0, s.cfg.Shop.Products+1)
	for id := 0; id <= s.cfg.Shop.Products; id++ {
		out = append(out, fmt.Sprintf("%s/shop/p/%d", s.URL(), id))
	}
	return out
}

// ShopPages are the request URIs (path and sorted query) of every shop
// page a crawl from the home page follows, products excepted: the home
// page, the about page and every listing page.
func (s *Server) ShopPages() []string {
	c := s.cfg.Shop
	out := []string{"/shop/", "/shop/about"}
	for k := range c.Categories {
		for n := 1; n <= c.listingPages(k); n++ {
			out = append(out, listingHref(k, n, false))
		}
	}
	return out
}

// RequestURIs returns a copy of the per-request-URI counters.
func (s *Server) RequestURIs() map[string]int64 {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	out := make(map[string]int64, len(s.stats.uris))
	for k, v := range s.stats.uris {
		out[k] = v
	}
	return out
}
