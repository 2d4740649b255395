package crawl

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"github.com/sluicehq/sluice/stages/fetch"
)

// pageInfo is what the link stage reads from a page: everything it
// needs, so that the page is read once, by a token pass (tokenscan.go)
// when the crawl's selectors allow it, or from a parsed document.
type pageInfo struct {
	html      bool     // the page is HTML; when false the rest is empty
	base      string   // the href of the first <base href>
	hasBase   bool     // there is one
	canonical string   // the href of the first <link rel~=canonical href>
	hasCanon  bool     // there is one
	robots    []string // the content of each <meta name=robots>, in order
	links     []link   // the follow selectors' matches with an href: selector by selector, each in document order
	has       []bool   // per extract rule: whether its Has selector matches (false when it has none)
}

// link is one element a follow selector matched: its first href, and
// whether its first rel has the token nofollow.
type link struct {
	href     string
	nofollow bool
}

var (
	baseSel      = cascadia.MustCompile("base[href]")
	canonicalSel = cascadia.MustCompile("link[rel~=canonical][href]")
	metaSel      = cascadia.MustCompile("meta[name]")
)

// info reads resp's pageInfo: with the crawl's Extractor, in the pass
// that extracts the page; else by the token pass when the crawl has one
// and the page stays within it; else from the parsed document. The
// pageInfo is valid until release is called.
func (c *Crawler) info(resp *fetch.Response) (pageInfo, func()) {
	if !isHTML(resp) {
		return pageInfo{}, noRelease
	}
	if c.tokens != nil {
		if c.cfg.Extractor != nil && c.mayExtract(resp) {
			v := c.tokens.visitor()
			if c.cfg.Extractor(resp, v) {
				return v.pageInfo(), v.release
			}
			v.release()
		}
		if info, ok := c.tokens.scan(resp.Body); ok {
			return info, noRelease
		}
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(resp.Body))
	if err != nil {
		return pageInfo{}, noRelease
	}
	return c.domInfo(doc), noRelease
}

func noRelease() {}

// mayExtract reports whether an extract rule may select resp by its URL
// (the rules' Has selectors are read with the page).
func (c *Crawler) mayExtract(resp *fetch.Response) bool {
	if len(c.rules) == 0 {
		return true
	}
	for _, r := range c.rules {
		if r.url == nil || r.url.MatchString(resp.Request.Key) {
			return true
		}
	}
	return false
}

func isHTML(resp *fetch.Response) bool {
	return resp.ContentType == "text/html" || resp.ContentType == "application/xhtml+xml"
}

// domInfo reads a parsed document's pageInfo.
func (c *Crawler) domInfo(doc *goquery.Document) pageInfo {
	info := pageInfo{html: true, has: make([]bool, len(c.rules))}
	info.base, info.hasBase = doc.FindMatcher(baseSel).First().Attr("href")
	info.canonical, info.hasCanon = doc.FindMatcher(canonicalSel).First().Attr("href")
	doc.FindMatcher(metaSel).Each(func(_ int, s *goquery.Selection) {
		if strings.EqualFold(s.AttrOr("name", ""), "robots") {
			info.robots = append(info.robots, s.AttrOr("content", ""))
		}
	})
	for _, sel := range c.follow {
		doc.FindMatcher(sel).Each(func(_ int, s *goquery.Selection) {
			if href, ok := s.Attr("href"); ok {
				info.links = append(info.links, link{href: href, nofollow: hasToken(s.AttrOr("rel", ""), "nofollow")})
			}
		})
	}
	for i, r := range c.rules {
		info.has[i] = r.has != nil && doc.FindMatcher(r.has).Length() > 0
	}
	return info
}

// distinctLinks drops the links that repeat an earlier one's href and
// nofollow mark (a page may link one URL many times; the HTML parser
// also clones misnested <a> elements), keeping the first of each. It
// works in place: links is overwritten.
func distinctLinks(links []link) []link {
	if len(links) < 2 {
		return links
	}
	out := links[:0]
	if len(links) <= 32 {
	next:
		for _, l := range links {
			for _, o := range out {
				if o == l {
					continue next
				}
			}
			out = append(out, l)
		}
		return out
	}
	seen := make(map[link]bool, len(links))
	for _, l := range links {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// hasToken reports whether the whitespace-separated list holds tok, in
// any case.
func hasToken(list, tok string) bool {
	for len(list) > 0 {
		i := strings.IndexFunc(list, notSpace)
		if i < 0 {
			return false
		}
		list = list[i:]
		j := strings.IndexFunc(list, isSpace)
		if j < 0 {
			j = len(list)
		}
		if strings.EqualFold(list[:j], tok) {
			return true
		}
		list = list[j:]
	}
	return false
}

func isSpace(r rune) bool  { return unicode.IsSpace(r) }
func notSpace(r rune) bool { return !unicode.IsSpace(r) }
