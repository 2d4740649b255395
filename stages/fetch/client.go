package fetch

import (
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Fetcher fetches HTTP requests politely: one tuned client shared by all
// workers, per-host limits, robots.txt, retries, size limits, content
// decoding and charset conversion. Its methods are safe for concurrent
// use. It starts no goroutine of its own; Close releases idle
// connections.
type Fetcher struct {
	cfg          Config
	transport    http.RoundTripper // Fetch sends to it directly and follows redirects itself
	fast         *fastTransport    // the transport, when it is the default one
	robotsClient *http.Client      // follows robots.txt redirects itself
	hosts        *hostTable
	baseHeader   http.Header // User-Agent, Accept, Accept-Encoding, Config.Header; read-only
	credHeaders  []string    // canonical names dropped on cross-host redirects
	gzipPool     sync.Pool
	bodies       bodyPool // buffers of released responses
	clock        clock
}

// New builds a Fetcher. It fails only on a broken configuration, such as
// an invalid proxy URL or a negative limit.
func New(cfg Config) (*Fetcher, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	proxy, err := cfg.proxyURL()
	if err != nil {
		return nil, err
	}
	var tr http.RoundTripper = cfg.Transport
	var fast *fastTransport
	if tr == nil {
		std := newTransport(cfg, proxy)
		tr = std
		if proxy == nil && !cfg.NetHTTP {
			fast = newFastTransport(cfg, std)
			tr = fast
		}
	}
	f := &Fetcher{
		cfg:       cfg,
		transport: tr,
		fast:      fast,
		robotsClient: &http.Client{Transport: tr, CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return ErrTooManyRedirects
			}
			return nil
		}},
		baseHeader:  baseHeader(cfg),
		credHeaders: credentialHeaders(cfg.CredentialHeaders),
		clock:       realClock(),
	}
	f.hosts = newHostTable(cfg.MaxHosts, func() *hostState {
		return newHostState(cfg.PerHostConcurrency, cfg.PerHostRate, cfg.PerHostBurst)
	})
	return f, nil
}

// newTransport sizes the keep-alive pool for the concurrency: enough idle
// connections per host for its cap, and for all workers overall.
func newTransport(cfg Config, proxy *url.URL) *http.Transport {
	tr := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          max(2*cfg.Workers, cfg.PerHostConcurrency, 100),
		MaxIdleConnsPerHost:   cfg.PerHostConcurrency,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true, // Fetch asks for and decodes gzip, deflate, br, zstd itself
		// A GET's request line and headers fit in 1 KiB (a longer request
		// is written in more than one piece): 3 KiB less per connection
		// than the default, 600 KiB at 200 connections.
		WriteBufferSize: 1 << 10,
	}
	if proxy != nil {
		tr.Proxy = http.ProxyURL(proxy)
	}
	if cfg.TLSConfig != nil {
		tr.TLSClientConfig = cfg.TLSConfig.Clone()
	}
	return tr
}

func baseHeader(cfg Config) http.Header {
	h := http.Header{
		"User-Agent":      {cfg.UserAgent},
		"Accept":          {"text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"},
		"Accept-Encoding": {"gzip, deflate, br, zstd"},
	}
	for k, v := range cfg.Header {
		h[http.CanonicalHeaderKey(k)] = v
	}
	return h
}

func credentialHeaders(extra []string) []string {
	names := []string{"Authorization", "Proxy-Authorization", "Cookie", "Cookie2"}
	for _, n := range extra {
		names = append(names, http.CanonicalHeaderKey(n))
	}
	return names
}

// Close closes idle connections. The Fetcher stays usable.
func (f *Fetcher) Close() {
	if c, ok := f.transport.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
