package fetch

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Version is the sluice version named in the default User-Agent.
const Version = "0.1.0"

// DefaultUserAgent is the User-Agent sent when Config.UserAgent is empty.
const DefaultUserAgent = "sluice/" + Version

// DefaultWorkers is sluice's one default fetch concurrency: the fetch
// stage's workers when a job, the scrape command's -w or Config.Workers
// sets none. Per host, PerHostConcurrency (default 8) applies on top.
const DefaultWorkers = 16

// Config configures a [Fetcher]. The zero value is ready to use: every
// field's zero value selects the default given in its comment.
type Config struct {
	// UserAgent is sent with every request and used to pick the
	// robots.txt group. Default DefaultUserAgent.
	UserAgent string
	// Header is added to every request; a request's own Header wins.
	Header http.Header
	// Workers is the concurrency the fetcher will be used with (the
	// stage's Workers); it sizes the connection pool. Default
	// DefaultWorkers.
	Workers int
	// PerHostConcurrency caps requests in flight to one host. Default 8.
	// After a 429 or 503 the cap of that host is halved and then grows
	// back by one for every cap-many successes (AIMD).
	PerHostConcurrency int
	// PerHostRate caps request starts per second to one host (a token
	// bucket). 0 means no cap, except a robots.txt Crawl-delay.
	PerHostRate float64
	// PerHostBurst is the token bucket's size. Default 1.
	PerHostBurst int
	// IgnoreRobots skips robots.txt. By default it is obeyed.
	IgnoreRobots bool
	// RobotsTTL is how long a host's robots.txt is cached. Default 24h.
	RobotsTTL time.Duration
	// RobotsStore, if set, keeps robots.txt answers beyond this Fetcher
	// (across runs, with a RobotsFile): a host whose rules it holds from
	// less than RobotsTTL ago is not asked again. Nil: every Fetcher
	// fetches each host's robots.txt anew.
	RobotsStore RobotsStore
	// MaxHosts bounds the per-host state (limits, robots.txt) kept; the
	// least recently used host is forgotten first. Default 10,000.
	MaxHosts int
	// Retries is how many times a failed attempt is retried. Default 3;
	// negative means never.
	Retries int
	// BackoffBase and BackoffMax shape the exponential backoff with full
	// jitter: retry n waits a random time in [0, min(BackoffMax,
	// BackoffBase·2ⁿ)). Defaults 500ms and 30s.
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// MaxRetryAfter is the longest Retry-After honoured; a longer one
	// fails the item with ErrRetryAfterTooLong. Default 5m.
	MaxRetryAfter time.Duration
	// RetryNonIdempotent allows retrying POST and PATCH requests.
	RetryNonIdempotent bool
	// Timeout bounds each attempt, body included. Default 30s.
	Timeout time.Duration
	// MaxBodySize caps the bytes read from the network. Default 10 MiB.
	MaxBodySize int64
	// Budget, if set, bounds the bytes of response bodies held at once
	// (see [Budget]): every Response must then be released with
	// [Response.Release] once its body is done with. One Budget may be
	// shared by several fetchers. Nil means no bound.
	Budget *Budget
	// MaxDecodedSize caps the body after gzip/deflate/br/zstd decoding.
	// Default 4 × MaxBodySize.
	MaxDecodedSize int64
	// MaxRedirects caps redirects followed. Default 10; negative means
	// redirects are not followed (the 3xx response is returned).
	MaxRedirects int
	// CredentialHeaders lists headers, besides Authorization,
	// Proxy-Authorization and Cookie, that are dropped when a redirect
	// leaves the original host (such as "X-Api-Key").
	CredentialHeaders []string
	// Jar, if set, stores and sends cookies.
	Jar http.CookieJar
	// Proxy is a proxy URL (http, https or socks5). Empty means no proxy.
	Proxy string
	// TLSConfig customizes TLS (root CAs, client certificates).
	TLSConfig *tls.Config
	// Transport, if set, sends every request (robots.txt included)
	// instead of the tuned transport the Fetcher builds; Proxy, TLSConfig
	// and the pool sizing then are the transport's business. Use it to
	// record, replay or route requests (a test double, a shared limiter).
	Transport http.RoundTripper
	// NetHTTP sends cleartext (http://) requests through net/http too.
	// By default the Fetcher's own transport sends them through
	// github.com/valyala/fasthttp (HTTP/1.1, less CPU per request: see the
	// README's Benchmarks) and https through net/http (HTTP/2 where
	// offered); with a Proxy, or this set, everything goes through
	// net/http. Set it for a server that fasthttp does not get along with.
	NetHTTP bool
}

// Validate reports the first broken setting, naming its field; the zero
// Config is valid. New calls it.
func (c Config) Validate() error {
	_, err := c.withDefaults()
	if err != nil {
		return err
	}
	_, err = c.proxyURL()
	return err
}

// ConfigError is a broken Config setting.
type ConfigError struct {
	// Field names the setting, e.g. "PerHostRate".
	Field string
	// Msg says what is wrong with it.
	Msg string
}

// Error reads "fetch: config: Field: msg".
func (e *ConfigError) Error() string { return "fetch: config: " + e.Field + ": " + e.Msg }

// withDefaults fills zero fields and rejects broken settings.
func (c Config) withDefaults() (Config, error) {
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	c.Workers = orDefault(c.Workers, DefaultWorkers)
	c.PerHostConcurrency = orDefault(c.PerHostConcurrency, 8)
	c.PerHostBurst = orDefault(c.PerHostBurst, 1)
	c.RobotsTTL = orDefault(c.RobotsTTL, 24*time.Hour)
	c.MaxHosts = orDefault(c.MaxHosts, 10_000)
	c.Retries = orDefault(c.Retries, 3)
	c.BackoffBase = orDefault(c.BackoffBase, 500*time.Millisecond)
	c.BackoffMax = orDefault(c.BackoffMax, 30*time.Second)
	c.MaxRetryAfter = orDefault(c.MaxRetryAfter, 5*time.Minute)
	c.Timeout = orDefault(c.Timeout, 30*time.Second)
	c.MaxBodySize = orDefault(c.MaxBodySize, 10<<20)
	c.MaxDecodedSize = orDefault(c.MaxDecodedSize, 4*c.MaxBodySize)
	c.MaxRedirects = orDefault(c.MaxRedirects, 10)
	if c.Retries < 0 {
		c.Retries = 0
	}
	if c.MaxRedirects < 0 {
		c.MaxRedirects = 0
	}
	for _, n := range []struct {
		field string
		v     float64
	}{{"Workers", float64(c.Workers)}, {"PerHostConcurrency", float64(c.PerHostConcurrency)}, {"PerHostBurst", float64(c.PerHostBurst)},
		{"MaxHosts", float64(c.MaxHosts)}, {"PerHostRate", c.PerHostRate}, {"MaxBodySize", float64(c.MaxBodySize)},
		{"MaxDecodedSize", float64(c.MaxDecodedSize)}, {"Timeout", float64(c.Timeout)}, {"BackoffBase", float64(c.BackoffBase)},
		{"BackoffMax", float64(c.BackoffMax)}, {"MaxRetryAfter", float64(c.MaxRetryAfter)}, {"RobotsTTL", float64(c.RobotsTTL)}} {
		if n.v < 0 {
			return c, &ConfigError{Field: n.field, Msg: fmt.Sprintf("must not be negative, got %v", n.v)}
		}
	}
	return c, nil
}

// proxyURL parses Config.Proxy; an empty string means no proxy.
func (c Config) proxyURL() (*url.URL, error) {
	if c.Proxy == "" {
		return nil, nil
	}
	u, err := url.Parse(c.Proxy)
	if err != nil {
		return nil, &ConfigError{Field: "Proxy", Msg: err.Error()}
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
	default:
		return nil, &ConfigError{Field: "Proxy", Msg: fmt.Sprintf("%q: scheme must be http, https or socks5", c.Proxy)}
	}
	if u.Host == "" {
		return nil, &ConfigError{Field: "Proxy", Msg: fmt.Sprintf("%q has no host", c.Proxy)}
	}
	return u, nil
}

func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}
