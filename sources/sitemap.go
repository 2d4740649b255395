package sources

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/sluicehq/sluice/pipeline"
)

// Defaults for SitemapConfig's zero fields.
const (
	DefaultSitemapTimeout  = 60 * time.Second
	DefaultSitemapMaxBytes = 100 << 20
	DefaultSitemapMaxDepth = 3
)

// SitemapConfig configures a sitemap source. The zero value works.
type SitemapConfig struct {
	// Client fetches the sitemaps. Nil means a new client with a
	// DefaultSitemapTimeout timeout (never http.DefaultClient).
	Client *http.Client
	// UserAgent is sent with each request; empty means "sluice".
	UserAgent string
	// MaxBytes caps one sitemap after decompression. Zero means
	// DefaultSitemapMaxBytes.
	MaxBytes int64
	// MaxDepth caps how many levels of sitemap index are followed. Zero
	// means DefaultSitemapMaxDepth.
	MaxDepth int
}

// Sitemap adds a source stage that fetches the sitemap at url and emits an
// Item per <url> entry, keyed by its URL, with "lastmod", "changefreq",
// "priority" and "sitemap" (the sitemap it came from) as fields. A sitemap
// index is followed: each child sitemap is fetched in turn, after the index
// itself has been read. Documents are decoded as they stream in and may be
// gzip-compressed (a .gz file or a gzip body, told apart by content).
//
// A root sitemap that cannot be fetched or parsed is fatal. A child that
// cannot (an HTTP error, bad XML, too deep, seen before) is a per-item
// failure wrapping [ErrBadSitemap] with the child's URL as input, and the
// walk goes on. An entry with an invalid URL is a per-item [*RowError].
func Sitemap(p *pipeline.Pipeline, name, url string, cfg SitemapConfig, opts ...pipeline.StageOption) pipeline.Stream[Item] {
	return pipeline.Source(p, name, func(ctx context.Context, e *pipeline.Emitter[Item]) error {
		w := newSitemapWalker(cfg, e)
		return w.walkURL(ctx, url, 0, true)
	}, opts...)
}

// SitemapReader is Sitemap reading the root document from r; children of
// an index are fetched with cfg.Client.
func SitemapReader(p *pipeline.Pipeline, name string, r io.Reader, cfg SitemapConfig, opts ...pipeline.StageOption) pipeline.Stream[Item] {
	return readerSource(p, name, r, cfg, readSitemap, opts)
}

// SitemapFile is SitemapReader reading the file at path, opened when the
// pipeline runs and closed when the source ends (see [Open]).
func SitemapFile(p *pipeline.Pipeline, name, path string, cfg SitemapConfig, opts ...pipeline.StageOption) pipeline.Stream[Item] {
	return fileSource(p, name, path, cfg, readSitemap, opts)
}

// readSitemap walks the sitemap tree whose root document is r.
func readSitemap(ctx context.Context, r io.Reader, source string, cfg SitemapConfig, e *pipeline.Emitter[Item]) error {
	return newSitemapWalker(cfg, e).walkRoot(ctx, r, source)
}

// sitemapWalker walks a sitemap tree, one document at a time.
type sitemapWalker struct {
	cfg    SitemapConfig
	client *http.Client
	e      *pipeline.Emitter[Item]
	seen   map[string]bool
	// columns names Item.Values for every item of the walk (shared).
	columns []string
}

func newSitemapWalker(cfg SitemapConfig, e *pipeline.Emitter[Item]) *sitemapWalker {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultSitemapMaxBytes
	}
	if cfg.MaxDepth <= 0 {
		cfg.MaxDepth = DefaultSitemapMaxDepth
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "sluice"
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{Timeout: DefaultSitemapTimeout}
	}
	return &sitemapWalker{cfg: cfg, client: client, e: e, seen: map[string]bool{},
		columns: []string{"lastmod", "changefreq", "priority", "sitemap"}}
}
