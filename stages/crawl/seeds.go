package crawl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/sources"
	"github.com/sluicehq/sluice/stages/fetch"
	"github.com/temoto/robotstxt"
)

// Seeds adds a source stage that emits a GET request for each URL.
func Seeds(p *pipeline.Pipeline, name string, urls ...string) pipeline.Stream[fetch.Request] {
	return pipeline.Source(p, name, func(ctx context.Context, e *pipeline.Emitter[fetch.Request]) error {
		for _, u := range urls {
			if err := e.Emit(fetch.FromURL(u)); err != nil {
				return err
			}
		}
		return nil
	})
}

// SitemapSeeds adds a source stage that emits a request for every URL of
// the sitemap at sitemapURL (an index is followed, gzip is read): see
// sources.Sitemap, whose failures it shares, except that a sitemap that
// cannot be read at all is a per-item failure too, not a fatal one.
func SitemapSeeds(p *pipeline.Pipeline, name, sitemapURL string, cfg sources.SitemapConfig) pipeline.Stream[fetch.Request] {
	return pipeline.Source(p, name, func(ctx context.Context, e *pipeline.Emitter[fetch.Request]) error {
		return walkSitemaps(ctx, e, []string{sitemapURL}, cfg)
	})
}

// RobotsSitemapSeeds adds a source stage that reads siteURL's robots.txt
// and emits a request for every URL of every sitemap its "Sitemap:" lines
// name. A robots.txt that cannot be fetched (or names none) gives no
// seeds; that is not an error.
func RobotsSitemapSeeds(p *pipeline.Pipeline, name, siteURL string, cfg sources.SitemapConfig) pipeline.Stream[fetch.Request] {
	return pipeline.Source(p, name, func(ctx context.Context, e *pipeline.Emitter[fetch.Request]) error {
		maps, err := RobotsSitemaps(ctx, cfg.Client, siteURL)
		if err != nil {
			return e.Skip(siteURL, err)
		}
		return walkSitemaps(ctx, e, maps, cfg)
	})
}

// RobotsSitemaps returns the sitemap URLs that the robots.txt of siteURL's
// origin names. A nil client means http.DefaultClient's settings with a
// timeout.
func RobotsSitemaps(ctx context.Context, client *http.Client, siteURL string) ([]string, error) {
	u, err := url.Parse(siteURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("crawl: robots.txt of %q: not an absolute URL", siteURL)
	}
	if client == nil {
		client = &http.Client{Timeout: sources.DefaultSitemapTimeout}
	}
	robots := u.Scheme + "://" + u.Host + "/robots.txt"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, robots, nil)
	if err != nil {
		return nil, fmt.Errorf("crawl: %s: %w", robots, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("crawl: %s: %w", robots, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 512<<10))
	if err != nil {
		return nil, fmt.Errorf("crawl: %s: %w", robots, err)
	}
	data, err := robotstxt.FromBytes(body)
	if err != nil {
		return nil, nil
	}
	return data.Sitemaps, nil
}

// SeedConfig lists a crawl's seeds for [SeedSource].
type SeedConfig struct {
	// URLs are pages to start from.
	URLs []string
	// Sitemaps are sitemaps whose URLs are seeds (an index is followed,
	// gzip is read).
	Sitemaps []string
	// RobotsSitemaps adds the sitemaps that the robots.txt of each of the
	// URLs' sites names.
	RobotsSitemaps bool
	// Sitemap configures the sitemap reads.
	Sitemap sources.SitemapConfig
}

// SeedSource adds one source stage that emits a GET request for every
// seed cfg lists: the URLs, then the URLs of the sitemaps, then those of
// the sitemaps robots.txt names. A sitemap or robots.txt that cannot be
// read is a per-item failure of the stage (dead-lettered, counted) and
// the others are still read.
func SeedSource(p *pipeline.Pipeline, name string, cfg SeedConfig) pipeline.Stream[fetch.Request] {
	return pipeline.Source(p, name, func(ctx context.Context, e *pipeline.Emitter[fetch.Request]) error {
		for _, u := range cfg.URLs {
			if err := e.Emit(fetch.FromURL(u)); err != nil {
				return err
			}
		}
		if err := walkSitemaps(ctx, e, cfg.Sitemaps, cfg.Sitemap); err != nil {
			return err
		}
		if !cfg.RobotsSitemaps {
			return nil
		}
		for _, site := range origins(cfg.URLs) {
			maps, err := RobotsSitemaps(ctx, cfg.Sitemap.Client, site)
			if err != nil {
				if err := e.Skip(site+"/robots.txt", err); err != nil {
					return err
				}
				continue
			}
			if err := walkSitemaps(ctx, e, maps, cfg.Sitemap); err != nil {
				return err
			}
		}
		return nil
	})
}

// origins returns the distinct scheme://host of urls, in order.
func origins(urls []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			continue
		}
		o := u.Scheme + "://" + u.Host
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}

// walkSitemaps runs sources.Sitemap for each URL in a pipeline of its own
// and emits what it reads; its per-item failures become the stage's, and
// so does a sitemap that cannot be read at all: the next one is read.
func walkSitemaps(ctx context.Context, e *pipeline.Emitter[fetch.Request], maps []string, cfg sources.SitemapConfig) error {
	var mu sync.Mutex // the emitter serves one goroutine at a time
	for _, m := range maps {
		inner := pipeline.New(pipeline.OnFailure(func(_ context.Context, f pipeline.Failure) error {
			mu.Lock()
			defer mu.Unlock()
			return e.Skip(f.Input, f.Err)
		}))
		items := sources.Sitemap(inner, "sitemap", m, cfg)
		pipeline.Sink(inner, "seeds", items, pipeline.WriterFunc[sources.Item](func(_ context.Context, it sources.Item) error {
			mu.Lock()
			defer mu.Unlock()
			return e.Emit(fetch.FromURL(it.URL))
		}))
		if err := inner.Run(ctx); err != nil {
			if ctx.Err() != nil || !errors.Is(err, sources.ErrBadSitemap) {
				return err
			}
			mu.Lock()
			err = e.Skip(m, err)
			mu.Unlock()
			if err != nil {
				return err
			}
		}
	}
	return nil
}
