package extract

import (
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
	p, err := parsePage(resp)
	if err != nil {
		return nil
	}
	return p.links()
}

// links returns the page's followable links (see [Links]).
func (p *page) links() []string {
	if !p.based {
		p.base, p.based = baseURL(p.doc, p.final), true
	}
	var links []string
	seen := make(map[string]bool)
	for n := nextNode(p.doc, p.doc); n != nil; n = nextNode(n, p.doc) {
		if n.Type != html.ElementNode || (n.DataAtom != atom.A && n.DataAtom != atom.Area) {
			continue
		}
		href, ok := attr(n, "href")
		if !ok {
			continue
		}
		links = addLink(links, seen, p.base, href)
	}
	return links
}

// addLink appends href, resolved against base, to links unless it is not
// followable or already seen.
func addLink(links []string, seen map[string]bool, base *url.URL, href string) []string {
	if s := absoluteLink(base, href); s != "" && !seen[s] {
		seen[s] = true
		links = append(links, s)
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
