package crawl

import (
	"context"
	"fmt"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/fetch"
)

// NewDetached returns a crawler whose frontier lives outside this
// process: a cluster's work queue (package dist), where any number of
// processes fetch the pages and read them with [Crawler.Visit]. It
// applies the same normalization, scope, depth, nofollow, robots meta,
// canonical and extract rules as [Crawler.Stage]; the links it keeps go
// to cfg.Store's Add (after the MaxPages check on Store.Admitted), which
// queues them wherever the frontier lives, and Store.Claim dedupes
// canonical URLs and redirect targets. The store's Next is never called.
//
// A detached crawler has no Stage; its Stats count what its Visits did.
func NewDetached(cfg Config) (*Crawler, error) {
	c, err := New(cfg)
	if err != nil {
		return nil, err
	}
	// A frontier that is never run: Discover pushes through the
	// crawler's queue (MaxPages, then Store.Add) and nothing waits on it.
	p := pipeline.New()
	none := pipeline.Source(p, "none", func(context.Context, *pipeline.Emitter[Entry]) error { return nil })
	c.fr = pipeline.NewFrontier[Entry](p, "detached", none, (*queue)(c))
	return c, nil
}

// Seed returns the entry of a seed URL (its Key the normalized URL,
// depth 0) and widens the scope with it, as Stage does with each seed.
// Every process of a detached crawl must Seed every seed before it
// Visits pages whose links may lead to the seeds' sites.
func (c *Crawler) Seed(rawURL string, meta map[string]string) (Entry, error) {
	e, err := c.seed(context.Background(), fetch.Request{URL: rawURL, Meta: meta})
	if err != nil {
		return Entry{}, fmt.Errorf("crawl: seed %q: %w", rawURL, err)
	}
	return e, nil
}

// Visit reads one page a detached crawler's fetch returned, as Stage's
// link stage does: a redirect out of scope is a pipeline.Skip wrapping a
// *RedirectError; otherwise the page's links are offered to the store
// (nofollow, depth and scope checked, each distinct link once) before
// Visit returns, and extract reports whether the page is one to extract
// (not a duplicate, not noindex, matched by an extract rule). The page's
// resp.Request must carry its Key and Depth. Visit panics on a crawler
// from New.
func (c *Crawler) Visit(resp *fetch.Response) (extract bool, err error) {
	req := resp.Request
	e := Entry{Key: req.Key, URL: req.URL, Depth: req.Depth, Meta: req.Meta}
	if err := c.checkRedirect(e, resp); err != nil {
		return false, err
	}
	hand, err := c.visit(resp)
	if err != nil || !hand {
		return false, err
	}
	c.c.pages.Add(1)
	return true, nil
}

// CountFailed counts a page whose fetch failed, for Stats (a detached
// crawler does not see its fetches).
func (c *Crawler) CountFailed() { c.c.failed.Add(1) }
