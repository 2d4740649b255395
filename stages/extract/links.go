package extract

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/sluicehq/sluice/stages/fetch"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Links returns the absolute http and https URLs that the page's <a href>
// and <area href> elements point to, resolved against its <base href> and
// final URL, without fragments, each once, in document order. It is the
// link source of a crawl. A response that is not HTML has no links.
func Links(resp *fetch.Response) []string {
	if checkHTML(resp) != nil {
		return nil
	}
	doc, err := html.Parse(bytes.NewReader(resp.Body))
	if err != nil {
		return nil
	}
	base := baseURL(doc, resp.URL)
	var links []string
	seen := make(map[string]bool)
	for n := nextNode(doc, doc); n != nil; n = nextNode(n, doc) {
		if n.Type != html.ElementNode || (n.DataAtom != atom.A && n.DataAtom != atom.Area) {
			continue
		}
		href, ok := attr(n, "href")
		if !ok {
			continue
		}
		if s := absoluteLink(base, href); s != "" && !seen[s] {
			seen[s] = true
			links = append(links, s)
		}
	}
	return links
}

// absoluteLink resolves href against base and returns it without its
// fragment, or "" when it is not an http(s) URL.
func absoluteLink(base *url.URL, href string) string {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}
