package crawl

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/sluicehq/sluice/testsite"
)

// scanConfigs are crawl configurations whose selectors are all in the
// token pass's subset, from the defaults to typeless compounds that can
// match the elements the parser ignores or merges.
var scanConfigs = []Config{
	{Extract: []Rule{{Has: "div.product"}}},
	{Follow: []string{"a.next[href]", "[href]"}, Extract: []Rule{{Has: ".product"}, {URL: "x", Has: "#main"}, {Has: "[data-id]"}}},
	{Follow: []string{"link[rel~=next]", "area, a[rel|=x]"}, Extract: []Rule{{Has: "span.name"}, {Has: "form"}}},
	{Follow: []string{"[href^=\"/shop\"]", "a[href$='1']"}, Extract: []Rule{{Has: "[class~=x]"}, {Has: "form.y"}, {Has: "img[src]"}, {Has: "td.c, .b"}}},
}

// TestLocalSelectors checks which selectors the token pass takes.
func TestLocalSelectors(t *testing.T) {
	for sel, want := range map[string]bool{
		"a[href]": true, "area[href]": true, "link[rel~=next][href]": true, "div.product": true, ".x": true,
		"#id": true, "[data-id]": true, "a, b.c": true, `a[title="x, ]y"]`: true, "*[href]": true, "[ a = b ]": true,
		"img": true, "form": true,
		"div a": false, "div > a": false, "a:first-child": false, "a:not(.x)": false, "[a!=b]": false, "*": false,
		"body": false, "p": false, "br": false, "html": false, "head": false, "a + b": false, `[a="\x"]`: false,
		"[a=b i]": false, "a::before": false, "a ~ b": false, "html.js": true, "p.lead": true,
	} {
		if _, got := parseLocal(sel); got != want {
			t.Errorf("parseLocal(%q) = %v, want %v", sel, got, want)
		}
	}
	c, err := New(Config{Follow: []string{"div a[href]"}})
	if err != nil || c.tokens != nil {
		t.Errorf("a descendant follow selector: tokens %v, err %v; want the document", c.tokens, err)
	}
}

// checkScan compares the token pass with the document on one page, for
// every config: when the pass takes the page, the two read the same.
func checkScan(t *testing.T, crawlers []*Crawler, body []byte) (scanned int) {
	t.Helper()
	for i, c := range crawlers {
		got, ok := c.tokens.scan(body)
		if !ok {
			continue
		}
		scanned++
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		want := c.domInfo(doc)
		got.links, want.links = distinctLinks(got.links), distinctLinks(want.links)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("config %d, page:\n%s\ntokens:   %+v\ndocument: %+v", i, body, got, want)
		}
	}
	return scanned
}

func scanCrawlers(t testing.TB) []*Crawler {
	var out []*Crawler
	for _, cfg := range scanConfigs {
		c, err := New(cfg)
		if err != nil || c.tokens == nil {
			t.Fatalf("config %+v: err %v, token pass %v", cfg, err, c != nil && c.tokens != nil)
		}
		out = append(out, c)
	}
	return out
}

// TestScanShop: on every page of the test site's crawl shop, the token
// pass reads what the document does, and takes every page.
func TestScanShop(t *testing.T) {
	srv, err := testsite.Start(testsite.Config{Shop: testsite.ShopConfig{Products: 200}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	uris := append(srv.ShopPages(), "/shop/secret", "/shop/hidden", "/shop/p/7?ref=list")
	for _, u := range srv.ShopProductURLs() {
		uris = append(uris, strings.TrimPrefix(u, srv.URL()))
	}
	crawlers := scanCrawlers(t)
	for _, uri := range uris {
		resp, err := http.Get(srv.URL() + uri)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if n := checkScan(t, crawlers, body); n != len(crawlers) {
			t.Errorf("%s: the token pass took it for %d configs of %d", uri, n, len(crawlers))
		}
	}
}

// TestScanGenerated compares the two on generated pages of misnested,
// unclosed and stray tags, raw text, comments and entities.
func TestScanGenerated(t *testing.T) {
	crawlers := scanCrawlers(t)
	rng := rand.New(rand.NewPCG(3, 4))
	n, scanned := 4000, 0
	if testing.Short() {
		n = 500
	}
	for range n {
		scanned += checkScan(t, crawlers, genPage(rng))
	}
	if scanned < n*len(crawlers)/3 {
		t.Errorf("the token pass took %d of %d page×config pairs: too few to compare", scanned, n*len(crawlers))
	}
	t.Logf("token pass took %d of %d", scanned, n*len(crawlers))
}

// FuzzScan: on any input, when the token pass takes a page it reads what
// the document does.
func FuzzScan(f *testing.F) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20 {
		f.Add(genPage(rng))
	}
	f.Add([]byte(`<p><a href=x>y<div>z</div></a><head class=x><body class=x><form class=y><form class=y>`))
	crawlers := scanCrawlers(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		checkScan(t, crawlers, body)
	})
}

var genTags = []string{"a", "a", "a", "area", "link", "meta", "base", "div", "p", "span", "b", "i", "li", "ul", "form",
	"head", "body", "html", "br", "td", "tr", "caption", "image", "img", "noscript", "script", "title", "textarea",
	"style", "button", "nobr", "h1", "dd", "option", "object", "marquee", "frame", "table", "svg", "select", "template"}

var genAttrs = []string{`href="/shop/p/1"`, `href="/shop/p/2#x"`, `href=../a`, `href="http://o.example/"`, `href=""`, "href",
	`rel="nofollow"`, `rel="next"`, `rel="canonical"`, `rel="Next nofollow"`, `class="product"`, `class="x y"`, `class=c`,
	`class="next"`, `id="main"`, `name="robots"`, `name="ROBOTS"`, `content="noindex, nofollow"`, `content="none"`,
	`data-id="3"`, `src=x`, `href="/shop&amp;q"`, `HREF="/dup"`, `class=b`}

// genPage writes a random page from a small vocabulary, unbalanced on
// purpose. The rare tags that send a page to the parser stay rare.
func genPage(rng *rand.Rand) []byte {
	var b strings.Builder
	if rng.IntN(2) == 0 {
		b.WriteString("<!DOCTYPE html>")
	}
	for range 2 + rng.IntN(30) {
		switch rng.IntN(8) {
		case 0:
			fmt.Fprintf(&b, "</%s>", genTags[rng.IntN(len(genTags)-5)])
		case 1:
			b.WriteString([]string{"text ", " \n", "&amp;", "&#32;", "<!-- <a href=c> -->", "\x00"}[rng.IntN(6)])
		default:
			tag := genTags[rng.IntN(len(genTags))]
			if rng.IntN(8) != 0 && slices.Contains([]string{"table", "svg", "select", "template"}, tag) {
				tag = "a"
			}
			fmt.Fprintf(&b, "<%s", tag)
			for range rng.IntN(4) {
				fmt.Fprintf(&b, " %s", genAttrs[rng.IntN(len(genAttrs))])
			}
			if rng.IntN(10) == 0 {
				b.WriteString("/")
			}
			b.WriteString(">")
		}
	}
	return []byte(b.String())
}
