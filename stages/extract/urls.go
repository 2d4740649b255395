package extract

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// isURLAttr reports whether values of the attribute are URLs to resolve.
func isURLAttr(name string) bool {
	switch name {
	case "href", "src", "action", "poster", "data-src":
		return true
	}
	return false
}

// baseURL returns the URL that relative links of the page resolve against:
// the first <base href> of the document's head resolved against the final
// URL, or the final URL itself. final may be nil (relative links then stay
// as written unless the page has an absolute <base href>).
func baseURL(doc *html.Node, final *url.URL) *url.URL {
	head := findChild(findChild(doc, atom.Html), atom.Head)
	for c := firstChild(head); c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || c.DataAtom != atom.Base {
			continue
		}
		if href, ok := attr(c, "href"); ok {
			return baseFromHref(href, final)
		}
	}
	return final
}

// baseFromHref is the base URL given by the first <base href> of a page:
// href resolved against the final URL, or final when href does not parse.
func baseFromHref(href string, final *url.URL) *url.URL {
	b, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return final
	}
	if final != nil {
		return final.ResolveReference(b)
	}
	return b
}

// resolve resolves ref against base. A ref that does not parse is returned
// trimmed but otherwise as the page wrote it.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if base == nil || ref == "" {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return base.ResolveReference(u).String()
}

func findChild(n *html.Node, a atom.Atom) *html.Node {
	for c := firstChild(n); c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == a {
			return c
		}
	}
	return nil
}

func firstChild(n *html.Node) *html.Node {
	if n == nil {
		return nil
	}
	return n.FirstChild
}
