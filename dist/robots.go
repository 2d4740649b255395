package dist

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sluicehq/sluice/stages/fetch"
)

// RobotsTTL is how long the job's workers share a fetched robots.txt.
const RobotsTTL = time.Hour

// RobotsCache is the RoundTripper of a worker's fetch stage: it sends
// every request through Base, except GET /robots.txt, which it answers
// from the job's robots bucket (Names.RobotsBucket, entries forgotten
// after RobotsTTL). On a miss, one worker of the cluster — the one whose
// create-only claim of the origin wins — fetches it and stores its
// status, header and body; the others wait for the entry. So a host's
// robots.txt is fetched once per cluster, not once per worker and
// round. Answers a server may change soon (429, 5xx) and transport
// errors are not stored.
type RobotsCache struct {
	// KV is the robots bucket. Required.
	KV jetstream.KeyValue
	// Base sends the requests. Required.
	Base http.RoundTripper
	// Wait is how long to wait for another worker's fetch before
	// fetching too; default 30s.
	Wait time.Duration
}

// robotsEntry is a cached robots.txt answer; Fetching marks the claim of
// the worker fetching it.
type robotsEntry struct {
	Fetching bool        `json:"fetching,omitempty"`
	Status   int         `json:"status,omitempty"`
	Header   http.Header `json:"header,omitempty"`
	Body     []byte      `json:"body,omitempty"`
}

// maxRobotsBody bounds the body stored: RFC 9309 asks crawlers to parse
// at least 500 KiB.
const maxRobotsBody = 512 << 10

// RoundTrip answers robots.txt from the cache and sends the rest.
func (c *RobotsCache) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet || req.URL.Path != "/robots.txt" {
		return c.Base.RoundTrip(req)
	}
	ctx := req.Context()
	key := "o." + base64.RawURLEncoding.EncodeToString([]byte(req.URL.Scheme+"://"+req.URL.Host))
	deadline := time.Now().Add(c.wait())
	for {
		e, err := c.KV.Get(ctx, key)
		switch {
		case errors.Is(err, jetstream.ErrKeyNotFound):
			rev, err := c.KV.Create(ctx, key, mustJSON(robotsEntry{Fetching: true}))
			if err == nil {
				return c.fetch(req, key, rev)
			}
			if !errors.Is(err, jetstream.ErrKeyExists) {
				return c.Base.RoundTrip(req) // the bucket is unreachable: fetch it here
			}
		case err != nil:
			return c.Base.RoundTrip(req)
		default:
			var re robotsEntry
			if json.Unmarshal(e.Value(), &re) == nil && !re.Fetching {
				return re.response(req), nil
			}
		}
		if time.Now().After(deadline) {
			return c.Base.RoundTrip(req) // the fetching worker died or is slow
		}
		select {
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// fetch sends req, holding the origin's claim at revision rev, and
// stores the answer (or drops the claim, for one not to keep).
func (c *RobotsCache) fetch(req *http.Request, key string, rev uint64) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(req.Context()), 5*time.Second)
	defer cancel()
	resp, err := c.Base.RoundTrip(req)
	if err != nil {
		_ = c.KV.Delete(ctx, key, jetstream.LastRevision(rev))
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRobotsBody))
	resp.Body.Close()
	if err != nil {
		_ = c.KV.Delete(ctx, key, jetstream.LastRevision(rev))
		return nil, err
	}
	re := robotsEntry{Status: resp.StatusCode, Header: resp.Header, Body: body}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		_ = c.KV.Delete(ctx, key, jetstream.LastRevision(rev))
	} else if _, err := c.KV.Update(ctx, key, mustJSON(re), rev); err != nil {
		_ = c.KV.Delete(ctx, key, jetstream.LastRevision(rev))
	}
	return re.response(req), nil
}

func (c *RobotsCache) wait() time.Duration {
	if c.Wait > 0 {
		return c.Wait
	}
	return 30 * time.Second
}

// response rebuilds an *http.Response of the entry for req.
func (re robotsEntry) response(req *http.Request) *http.Response {
	return &http.Response{
		Status:     fmt.Sprintf("%d %s", re.Status, http.StatusText(re.Status)),
		StatusCode: re.Status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: re.Header.Clone(), Body: io.NopCloser(bytes.NewReader(re.Body)),
		ContentLength: int64(len(re.Body)), Request: req,
	}
}

func mustJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic("dist: " + err.Error())
	}
	return data
}

// baseTransport is the transport a worker's fetches go through, sized
// for the job's concurrency as the fetch stage sizes its own, through
// the job's proxy and TLS settings; it lives across the worker's rounds,
// so connections are kept alive from one to the next.
func baseTransport(cfg fetch.Config) (*http.Transport, error) {
	tr := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          max(2*cfg.Workers, cfg.PerHostConcurrency, 100),
		MaxIdleConnsPerHost:   max(cfg.PerHostConcurrency, 2),
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true, // the fetch stage asks for and decodes encodings itself
	}
	if cfg.TLSConfig != nil {
		tr.TLSClientConfig = cfg.TLSConfig.Clone()
	} else {
		tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if cfg.Proxy != "" {
		u, err := url.Parse(cfg.Proxy)
		if err != nil {
			return nil, fmt.Errorf("dist: proxy: %w", err)
		}
		tr.Proxy = http.ProxyURL(u)
	}
	return tr, nil
}
