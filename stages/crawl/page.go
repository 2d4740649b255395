package crawl

import (
	"context"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/sluicehq/sluice/stages/fetch"
)

// page is the link stage: it reads a fetched page's robots directives and
// canonical URL, queues the links it may follow, ends the page's flight
// in the frontier, and hands the page on if it is one to extract. A page
// not handed on is released (its body's bytes go back to the fetcher's
// Budget): nothing taken from it refers to the body.
func (c *Crawler) page(_ context.Context, resp *fetch.Response, emit func(*fetch.Response) error) error {
	key := resp.Request.Key
	hand, err := c.visit(resp)
	c.fr.Done() // its links are queued, or it failed
	if err != nil || !hand {
		resp.Release()
	}
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
	info, release := c.info(resp)
	defer release()
	noindex, nofollow := false, false
	if !c.cfg.IgnoreRobotsMeta {
		noindex, nofollow = robotsDirectives(resp, info.robots)
	}
	base := baseOf(resp, &info)
	if dup, err := c.duplicate(resp, base, &info); dup || err != nil {
		c.c.duplicate.Add(1)
		return false, err
	}
	if nofollow {
		c.c.nofollowPages.Add(1)
	} else if info.html {
		if err := c.followLinks(resp, base, info.links); err != nil {
			return false, err
		}
	}
	if noindex {
		c.c.noindex.Add(1)
		return false, nil
	}
	return c.extractable(resp, &info), nil
}

// robotsDirectives reads X-Robots-Tag and the <meta name="robots">
// contents.
func robotsDirectives(resp *fetch.Response, metas []string) (noindex, nofollow bool) {
	for _, values := range [][]string{resp.Header.Values("X-Robots-Tag"), metas} {
		for _, v := range values {
			for tok := range strings.SplitSeq(v, ",") {
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
	}
	return noindex, nofollow
}

// duplicate reports whether the page stands for a URL already seen: the
// URL it was redirected to, or its <link rel=canonical>, when either
// differs from its own. Either is marked seen, so it is not fetched again.
func (c *Crawler) duplicate(resp *fetch.Response, base *url.URL, info *pageInfo) (bool, error) {
	own := resp.Request.Key
	var keys [2]string
	n := 0
	if resp.URL != nil {
		if raw := resp.URL.String(); raw != own { // own: the page was not redirected
			if key, err := c.normalize(raw); err == nil {
				keys[n] = key
				n++
			}
		}
	}
	if info.hasCanon {
		key, ok := c.fastLink(base, info.canonical)
		if !ok {
			if u := resolve(base, info.canonical); u != "" {
				var err error
				key, err = c.normalize(u)
				ok = err == nil
			}
		}
		if ok {
			keys[n] = key
			n++
		}
	}
	for _, key := range keys[:n] {
		if key == own {
			continue
		}
		first, err := c.store.Claim(key, own)
		if err != nil || !first {
			return true, err
		}
	}
	return false, nil
}

// followLinks offers every followable link to the frontier, each
// distinct one (href and nofollow mark) once, in one hand-over per page.
func (c *Crawler) followLinks(resp *fetch.Response, base *url.URL, links []link) error {
	depth := resp.Request.Depth + 1
	var buf [32]Entry
	batch := buf[:0]
	var t linkTally
	for _, l := range distinctLinks(links) {
		if e, ok := c.offer(base, l, depth, resp.Request.Meta, &t); ok {
			batch = append(batch, e)
		}
	}
	t.add(&c.c)
	return c.fr.DiscoverAll(batch)
}

// linkTally counts a page's links, to add them to the crawl's counters
// once per page.
type linkTally struct{ discovered, nofollow, overDepth, outOfScope int64 }

func (t *linkTally) add(c *counters) {
	for _, n := range []struct {
		v int64
		c *atomic.Int64
	}{{t.discovered, &c.discovered}, {t.nofollow, &c.nofollow}, {t.overDepth, &c.overDepth}, {t.outOfScope, &c.outOfScope}} {
		if n.v > 0 {
			n.c.Add(n.v)
		}
	}
}

// offer checks one link against nofollow, depth and scope, and returns
// the entry to hand to the frontier (which checks max-pages and
// duplicates).
func (c *Crawler) offer(base *url.URL, l link, depth int, meta map[string]string, t *linkTally) (Entry, bool) {
	key, fast := c.fastLink(base, l.href)
	raw := key
	if !fast {
		if raw = resolve(base, l.href); raw == "" {
			return Entry{}, false
		}
	}
	t.discovered++
	if !c.cfg.IgnoreNofollow && l.nofollow {
		t.nofollow++
		return Entry{}, false
	}
	if c.cfg.MaxDepth > 0 && depth > c.cfg.MaxDepth {
		t.overDepth++
		return Entry{}, false
	}
	var e Entry
	var host string
	if fast {
		e, host = fastEntry(key, depth, meta)
	} else {
		var u *url.URL
		var err error
		if e, u, err = c.entry(raw, depth, meta); err != nil {
			t.outOfScope++
			return Entry{}, false
		}
		host = u.Host
	}
	if !c.scope.allows(host, e.Key) {
		t.outOfScope++
		return Entry{}, false
	}
	return e, true
}

// extractable applies the extract rules.
func (c *Crawler) extractable(resp *fetch.Response, info *pageInfo) bool {
	if len(c.rules) == 0 {
		return true
	}
	for i, r := range c.rules {
		if r.url != nil && !r.url.MatchString(resp.Request.Key) {
			continue
		}
		if r.has != nil && (!info.html || !info.has[i]) {
			continue
		}
		return true
	}
	c.c.followOnly.Add(1)
	return false
}

// baseOf is the URL links resolve against: <base href>, else the final URL.
func baseOf(resp *fetch.Response, info *pageInfo) *url.URL {
	base := resp.URL
	if base == nil {
		base, _ = url.Parse(resp.Request.URL)
	}
	if info.hasBase && base != nil {
		if u, err := base.Parse(strings.TrimSpace(info.base)); err == nil {
			base = u
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
