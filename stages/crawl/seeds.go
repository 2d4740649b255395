package crawl

import (
	"context"
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
// sources.Sitemap, whose failures it shares.
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

// walkSitemaps runs sources.Sitemap for each URL in a pipeline of its own
// and emits what it reads; its per-item failures become the stage's.
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
			return err
		}
	}
	return nil
}
