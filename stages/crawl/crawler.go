package crawl

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/andybalholm/cascadia"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/sluicehq/sluice/stages/filter"
)

// FetchFunc fetches one request; (*fetch.Fetcher).Fetch is one. A
// pipeline.Skip error fails the page (it counts as done); any other error
// is fatal.
type FetchFunc func(ctx context.Context, req fetch.Request) (*fetch.Response, error)

// Crawler is one crawl: its configuration, its frontier and its
// counters. Build it with [New], add it to a pipeline with
// [Crawler.Stage] once.
type Crawler struct {
	cfg    Config
	scope  scope
	follow []cascadia.Selector
	rules  []rule
	tokens *tokenMatcher // nil: every page is parsed
	norm   *filter.URLNormalizer
	fast   bool // no Normalize options: normalize may take its fast path
	store  Store
	fr     *pipeline.Frontier[Entry]
	c      counters

	mu     sync.Mutex
	active map[string]int    // per host: handed out, fetch not finished
	busy   func(string) bool // c.hostBusy, made once rather than per Pop
}

// New checks cfg and returns a crawler. A bad Scope regex, follow
// selector or extract rule is an error naming it.
func New(cfg Config) (*Crawler, error) {
	sc, follow, rules, err := cfg.compile()
	if err != nil {
		return nil, err
	}
	if cfg.PerHostInFlight == 0 {
		cfg.PerHostInFlight = 8
	}
	store := cfg.Store
	if store == nil {
		store = NewMemoryStore()
	}
	c := &Crawler{cfg: cfg, scope: sc, follow: follow, rules: rules, tokens: newTokenMatcher(cfg.follow(), follow, cfg.Extract, rules),
		norm: newNormalizer(cfg), fast: len(cfg.Normalize) == 0, store: store, active: map[string]int{}}
	c.busy = c.hostBusy
	return c, nil
}

// Store is the crawler's store: call its MarkDone from a sink's commit
// event with the keys (fetch.Request.Key) that were made durable.
func (c *Crawler) Store() Store { return c.store }

// Stage adds the crawl to p: a frontier fed by seeds and by the links the
// pages lead to, and a fetch stage calling fetchFn with opts (Workers and
// so on) that also reads each page it fetched for links, queues them and
// decides whether to hand the page on. It returns the pages to extract;
// each one's Request.Key is its normalized URL and Request.Depth its link
// depth. The stages are named name+"-seeds", "-frontier" and "-fetch".
// Reading a page where it was fetched spares a hand-off to another stage
// per page; the reading is CPU work, which the runtime spreads over the
// CPUs whatever the number of fetch workers. Stage panics if called
// twice.
func (c *Crawler) Stage(p *pipeline.Pipeline, name string, seeds pipeline.Stream[fetch.Request], fetchFn FetchFunc, opts ...pipeline.StageOption) pipeline.Stream[*fetch.Response] {
	if c.fr != nil {
		panic("crawl: Crawler.Stage called twice")
	}
	if fetchFn == nil {
		panic(fmt.Sprintf("crawl: Stage %q: nil FetchFunc", name))
	}
	entries := pipeline.Map(p, name+"-seeds", seeds, c.seed)
	c.fr = pipeline.NewFrontier[Entry](p, name+"-frontier", entries, (*queue)(c))
	fetchPage := c.fetcher(fetchFn)
	return pipeline.FlatMap(p, name+"-fetch", c.fr.Out(), func(ctx context.Context, e Entry, emit func(*fetch.Response) error) error {
		resp, err := fetchPage(ctx, e)
		if err != nil {
			return err
		}
		return c.page(ctx, resp, emit)
	}, opts...)
}

// seed turns a seed request into an entry and widens the scope with it.
func (c *Crawler) seed(_ context.Context, req fetch.Request) (Entry, error) {
	e, u, err := c.entry(req.URL, 0, req.Meta)
	if err != nil {
		return Entry{}, pipeline.Skip(fmt.Errorf("crawl: seed: %w", err))
	}
	c.scope.addSeed(u.Host, e.Key)
	return e, nil
}

// entry builds the entry for raw at depth.
func (c *Crawler) entry(raw string, depth int, meta map[string]string) (Entry, *url.URL, error) {
	key, err := c.normalize(raw)
	if err != nil {
		return Entry{}, nil, err
	}
	u, err := url.Parse(key)
	if err != nil {
		return Entry{}, nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return Entry{}, nil, fmt.Errorf("%q is not an http(s) URL", raw)
	}
	return Entry{Key: key, Host: u.Scheme + "://" + strings.ToLower(u.Host), URL: key, Depth: depth, Meta: meta}, u, nil
}

// fetcher wraps fetchFn: it frees the host's slot when the fetch ends,
// and ends a failed page's flight (frontier and store), releasing the
// response of a page redirected out of scope.
func (c *Crawler) fetcher(fetchFn FetchFunc) func(context.Context, Entry) (*fetch.Response, error) {
	return func(ctx context.Context, e Entry) (*fetch.Response, error) {
		resp, err := fetchFn(ctx, e.request())
		c.mu.Lock()
		c.active[e.Host]--
		if c.active[e.Host] == 0 {
			delete(c.active, e.Host)
		}
		c.mu.Unlock()
		if err == nil && resp == nil {
			err = pipeline.Skip(fmt.Errorf("crawl: fetch %s: no response", e.URL))
		}
		if err == nil {
			if err = c.checkRedirect(e, resp); err != nil {
				resp.Release() // out of scope: dropped
			}
		}
		if err != nil {
			if pipeline.IsSkip(err) {
				if re := (*RedirectError)(nil); !errors.As(err, &re) {
					c.c.failed.Add(1)
				}
				if derr := c.finish(e.Key); derr != nil {
					return nil, derr
				}
			}
			c.fr.Done()
			return nil, err
		}
		return resp, nil
	}
}

// finish marks a page the crawl finished itself done: with the store's
// next write when the store can defer it (a DiskStore), so that pages
// that are only followed do not cost a transaction each.
func (c *Crawler) finish(key string) error {
	if s, ok := c.store.(interface{ MarkDoneLater(...string) error }); ok {
		return s.MarkDoneLater(key)
	}
	return c.store.MarkDone(key)
}

// RedirectError says a page redirected out of the crawl's scope: it is
// neither followed nor handed on, and counts as out of scope.
type RedirectError struct {
	// From is the URL fetched; To the URL it redirected to.
	From, To string
}

// Error names both URLs.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("crawl: %s redirected out of scope to %s", e.From, e.To)
}

// checkRedirect fails a page whose final URL is out of scope, as a
// pipeline.Skip wrapping a *RedirectError. A seed's redirect target
// widens the scope as the seed did (http://a.example/ redirecting to
// https://www.a.example/ adds that host), except for a regex scope.
func (c *Crawler) checkRedirect(e Entry, resp *fetch.Response) error {
	if resp.URL == nil || resp.URL.String() == e.URL {
		return nil
	}
	key, err := c.normalize(resp.URL.String())
	if err != nil || key == e.Key {
		return nil
	}
	u, err := url.Parse(key)
	if err == nil && e.Depth == 0 {
		c.scope.addSeed(u.Host, key) // a seed's redirect widens the scope, as the seed did
	}
	if err == nil && c.scope.allows(u.Host, key) {
		return nil
	}
	c.c.outOfScope.Add(1)
	return pipeline.Skip(&RedirectError{From: e.URL, To: resp.URL.String()})
}

// queue is the Crawler as the frontier's pipeline.Queue: max-pages, then
// the store's dedupe, and per-host pacing on the way out.
type queue Crawler

func (q *queue) Push(e Entry) (bool, error) {
	c := (*Crawler)(q)
	if c.cfg.MaxPages > 0 && c.store.Admitted() >= c.cfg.MaxPages {
		c.c.overMax.Add(1)
		return false, nil
	}
	ok, err := c.store.Add(e)
	if err == nil && !ok {
		c.c.duplicate.Add(1)
	}
	return ok, err
}

func (q *queue) Pop() (Entry, bool, error) {
	c := (*Crawler)(q)
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok, err := c.store.Next(c.busy)
	if ok {
		c.active[e.Host]++
	}
	return e, ok, err
}

// hostBusy reports whether host has as many fetches going as it may; the
// caller holds c.mu.
func (c *Crawler) hostBusy(host string) bool { return c.active[host] >= c.cfg.PerHostInFlight }

func (q *queue) Len() int { return (*Crawler)(q).store.Len() }
