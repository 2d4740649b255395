package crawl

import (
	"bytes"
	"context"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/sluicehq/sluice/stages/fetch"
)

// page is the link stage: it reads a fetched page's robots directives and
// canonical URL, queues the links it may follow, ends the page's flight
// in the frontier, and hands the page on if it is one to extract.
func (c *Crawler) page(_ context.Context, resp *fetch.Response, emit func(*fetch.Response) error) error {
	key := resp.Request.Key
	hand, err := c.visit(resp)
	c.fr.Done() // its links are queued, or it failed
	if err != nil {
		return err
	}
	if !hand || c.cfg.DoneWhenEmitted {
		if err := c.finish(key); err != nil {
			return err
		}
	}
	if !hand {
		return nil
	}
	c.c.pages.Add(1)
	return emit(resp)
}

// visit follows resp's links and reports whether to hand it on.
func (c *Crawler) visit(resp *fetch.Response) (bool, error) {
	doc := parseHTML(resp)
	noindex, nofollow := false, false
	if !c.cfg.IgnoreRobotsMeta {
		noindex, nofollow = robotsDirectives(resp, doc)
	}
	if dup, err := c.duplicate(resp, doc); dup || err != nil {
		c.c.duplicate.Add(1)
		return false, err
	}
	if nofollow {
		c.c.nofollowPages.Add(1)
	} else if doc != nil {
		if err := c.followLinks(resp, doc); err != nil {
			return false, err
		}
	}
	if noindex {
		c.c.noindex.Add(1)
		return false, nil
	}
	return c.extractable(resp, doc), nil
}

// parseHTML parses an HTML body, or returns nil.
func parseHTML(resp *fetch.Response) *goquery.Document {
	if resp.ContentType != "text/html" && resp.ContentType != "application/xhtml+xml" {
		return nil
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(resp.Body))
	if err != nil {
		return nil
	}
	return doc
}

// robotsDirectives reads <meta name="robots"> and X-Robots-Tag.
func robotsDirectives(resp *fetch.Response, doc *goquery.Document) (noindex, nofollow bool) {
	var values []string
	values = append(values, resp.Header.Values("X-Robots-Tag")...)
	if doc != nil {
		doc.Find("meta[name]").Each(func(_ int, s *goquery.Selection) {
			if strings.EqualFold(s.AttrOr("name", ""), "robots") {
				values = append(values, s.AttrOr("content", ""))
			}
		})
	}
	for _, v := range values {
		for _, tok := range strings.Split(v, ",") {
			switch strings.ToLower(strings.TrimSpace(tok)) {
			case "noindex":
				noindex = true
			case "nofollow":
				nofollow = true
			case "none":
				noindex, nofollow = true, true
			}
		}
	}
	return noindex, nofollow
}

// duplicate reports whether the page stands for a URL already seen: the
// URL it was redirected to, or its <link rel=canonical>, when either
// differs from its own. Either is marked seen, so it is not fetched again.
func (c *Crawler) duplicate(resp *fetch.Response, doc *goquery.Document) (bool, error) {
	own := resp.Request.Key
	var others []string
	if resp.URL != nil {
		others = append(others, resp.URL.String())
	}
	if doc != nil {
		if href, ok := doc.Find("link[rel~=canonical][href]").First().Attr("href"); ok {
			if u := resolve(baseOf(resp, doc), href); u != "" {
				others = append(others, u)
			}
		}
	}
	for _, raw := range others {
		key, err := c.normalize(raw)
		if err != nil || key == own {
			continue
		}
		first, err := c.store.Claim(key, own)
		if err != nil || !first {
			return true, err
		}
	}
	return false, nil
}

// followLinks offers every followable link to the frontier.
func (c *Crawler) followLinks(resp *fetch.Response, doc *goquery.Document) error {
	base := baseOf(resp, doc)
	depth := resp.Request.Depth + 1
	for _, sel := range c.follow {
		var err error
		doc.FindMatcher(sel).EachWithBreak(func(_ int, s *goquery.Selection) bool {
			err = c.offer(base, s, depth, resp.Request.Meta)
			return err == nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// offer checks one link against nofollow, depth and scope, and hands it
// to the frontier (which checks max-pages and duplicates).
func (c *Crawler) offer(base *url.URL, s *goquery.Selection, depth int, meta map[string]string) error {
	href, ok := s.Attr("href")
	if !ok {
		return nil
	}
	raw := resolve(base, href)
	if raw == "" {
		return nil
	}
	c.c.discovered.Add(1)
	if !c.cfg.IgnoreNofollow && hasToken(s.AttrOr("rel", ""), "nofollow") {
		c.c.nofollow.Add(1)
		return nil
	}
	if c.cfg.MaxDepth > 0 && depth > c.cfg.MaxDepth {
		c.c.overDepth.Add(1)
		return nil
	}
	e, u, err := c.entry(raw, depth, meta)
	if err != nil || !c.scope.allows(u, e.Key) {
		c.c.outOfScope.Add(1)
		return nil
	}
	return c.fr.Discover(e)
}

// extractable applies the extract rules.
func (c *Crawler) extractable(resp *fetch.Response, doc *goquery.Document) bool {
	if len(c.rules) == 0 {
		return true
	}
	for _, r := range c.rules {
		if r.url != nil && !r.url.MatchString(resp.Request.Key) {
			continue
		}
		if r.has != nil && (doc == nil || doc.FindMatcher(r.has).Length() == 0) {
			continue
		}
		return true
	}
	c.c.followOnly.Add(1)
	return false
}

// baseOf is the URL links resolve against: <base href>, else the final URL.
func baseOf(resp *fetch.Response, doc *goquery.Document) *url.URL {
	base := resp.URL
	if base == nil {
		base, _ = url.Parse(resp.Request.URL)
	}
	if doc != nil {
		if href, ok := doc.Find("base[href]").First().Attr("href"); ok && base != nil {
			if u, err := base.Parse(strings.TrimSpace(href)); err == nil {
				base = u
			}
		}
	}
	return base
}

// resolve makes href absolute against base, without its fragment; "" if
// it is not an http(s) URL.
func resolve(base *url.URL, href string) string {
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

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}
