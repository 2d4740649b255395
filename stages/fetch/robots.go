package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsState is a host's robots.txt verdict, loaded once (singleflight:
// the first request loads it, the others wait for that load).
type robotsState struct {
	loading bool
	done    chan struct{} // closed when the current load ends
	loaded  bool
	expires time.Time
	deny    error            // non-nil: every path fails with it (see robotsDenial)
	group   *robotstxt.Group // nil: every path is allowed
}

// robotsErrorTTL is how long "unreachable, so disallow all" is kept
// before robots.txt is tried again.
const robotsErrorTTL = 10 * time.Minute

// robotsBodyLimit is how much of robots.txt is read (RFC 9309 asks for
// at least 500 KiB).
const robotsBodyLimit = 512 << 10

// allowed checks u against its host's robots.txt, loading it first if
// needed. It returns ErrDisallowed, the error that kept robots.txt from
// being fetched, or the context's error.
func (f *Fetcher) allowed(ctx context.Context, h *hostState, u *url.URL) error {
	if f.cfg.IgnoreRobots || u.Path == "/robots.txt" {
		return nil
	}
	for ctx.Err() == nil {
		h.mu.Lock()
		rs := &h.robots
		if rs.loaded && f.clock.now().Before(rs.expires) {
			deny, g := rs.deny, rs.group
			h.mu.Unlock()
			return verdict(deny, g, u)
		}
		if rs.loading {
			done := rs.done
			h.mu.Unlock()
			select {
			case <-done:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		rs.loading, rs.done = true, make(chan struct{})
		h.mu.Unlock()
		f.loadRobots(ctx, h, u)
	}
	return ctx.Err()
}

func verdict(deny error, g *robotstxt.Group, u *url.URL) error {
	if deny != nil {
		return deny
	}
	if g == nil {
		return nil
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if !g.Test(path) {
		return ErrDisallowed
	}
	return nil
}

// loadRobots fetches and stores the host's rules, then wakes the waiters.
// If ctx ends first, nothing is stored and a waiter takes over the load.
func (f *Fetcher) loadRobots(ctx context.Context, h *hostState, u *url.URL) {
	deny, group, delay, ttl, err := f.fetchRobots(ctx, h, u)
	now := f.clock.now()
	if err == nil && delay > 0 {
		h.setCrawlDelay(now, delay) // before any waiter goes ahead
	}
	h.mu.Lock()
	rs := &h.robots
	if err == nil {
		rs.loaded, rs.expires, rs.deny, rs.group = true, now.Add(ttl), deny, group
	}
	rs.loading = false
	close(rs.done)
	h.mu.Unlock()
}

// fetchRobots applies RFC 9309: 2xx → the rules for our agent; 4xx
// (except 429) → allow all; 429, 5xx or unreachable → retried, then
// every path denied with deny (see robotsDenial). Errors no retry can
// fix (an unknown host, a bad certificate, a redirect loop) are not
// retried. err is only the context's. An answer that settles the rules
// (see decides) is taken from Config.RobotsStore while it is younger
// than RobotsTTL, and put there when fetched.
func (f *Fetcher) fetchRobots(ctx context.Context, h *hostState, u *url.URL) (
	deny error, g *robotstxt.Group, delay, ttl time.Duration, err error) {
	origin := u.Scheme + "://" + strings.ToLower(u.Host)
	if a, ok := f.keptRobots(origin); ok {
		g, delay = f.rules(a.Status, a.Body)
		return nil, g, delay, f.cfg.RobotsTTL - f.clock.now().Sub(a.Fetched), nil
	}
	robotsURL := origin + "/robots.txt"
	for n := 0; ; n++ {
		code, body, ferr := f.getRobots(ctx, h, robotsURL)
		if ctx.Err() != nil {
			return nil, nil, 0, 0, ctx.Err()
		}
		switch {
		case ferr == nil && decides(code):
			if s := f.cfg.RobotsStore; s != nil {
				a := RobotsAnswer{Fetched: f.clock.now(), Status: code}
				if code < 300 {
					a.Body = body
				}
				s.StoreRobots(origin, a)
			}
			g, delay = f.rules(code, body)
			return nil, g, delay, f.cfg.RobotsTTL, nil
		case n >= f.cfg.Retries || ferr != nil && (!retryableErr(ferr) || errors.Is(ferr, ErrTooManyRedirects)):
			return robotsDenial(code, ferr, n+1), nil, 0, min(robotsErrorTTL, f.cfg.RobotsTTL), nil
		}
		if err := f.clock.sleep(ctx, backoff(n, f.cfg.BackoffBase, f.cfg.BackoffMax, f.clock.jitter())); err != nil {
			return nil, nil, 0, 0, err
		}
	}
}

// keptRobots returns the answer Config.RobotsStore holds for origin, if
// it is younger than RobotsTTL.
func (f *Fetcher) keptRobots(origin string) (RobotsAnswer, bool) {
	if f.cfg.RobotsStore == nil {
		return RobotsAnswer{}, false
	}
	a, ok := f.cfg.RobotsStore.LoadRobots(origin)
	return a, ok && decides(a.Status) && fresh(a, f.clock.now(), f.cfg.RobotsTTL)
}

// decides reports whether a robots.txt status settles the rules: a 2xx
// (the body's) or a 4xx other than 429 (none: all allowed).
func decides(code int) bool {
	return code >= 200 && code < 300 || code >= 400 && code < 500 && code != http.StatusTooManyRequests
}

// rules are the rules for our agent in a robots.txt answer that decides
// them (a 2xx, or a 4xx: none), and its Crawl-delay.
func (f *Fetcher) rules(code int, body []byte) (*robotstxt.Group, time.Duration) {
	if code >= 300 {
		return nil, 0
	}
	g := parseRobots(body, productToken(f.cfg.UserAgent))
	if g == nil {
		return nil, 0
	}
	return g, g.CrawlDelay
}

// robotsDenial is the error every path of a host fails with when its
// robots.txt could not be had. A status (429, 5xx) means the server
// answered that its rules are unavailable, which RFC 9309 reads as
// "disallow all": ErrDisallowed, naming the status. A network error
// (refused, reset, DNS, TLS, timeout) means the host was not reached at
// all, so that error is the reason, not a robots.txt verdict.
func robotsDenial(code int, ferr error, tries int) error {
	if ferr != nil {
		return fmt.Errorf("robots.txt unreachable (%d attempts): %w", tries, ferr)
	}
	return fmt.Errorf("%w: robots.txt answered %d %s (%d attempts)", ErrDisallowed, code, http.StatusText(code), tries)
}

// parseRobots returns the group for agent, or nil when it allows all.
func parseRobots(body []byte, agent string) *robotstxt.Group {
	data, err := robotstxt.FromBytes(body)
	if err != nil {
		return nil // unparsable: treat as no rules
	}
	return data.FindGroup(agent)
}

// productToken is the robots.txt name of a User-Agent: "sluice" for
// "sluice/0.1.0 (+https://example.com)".
func productToken(ua string) string {
	if i := strings.IndexAny(ua, "/ "); i > 0 {
		return ua[:i]
	}
	return ua
}

// getRobots makes one robots.txt request within a host slot; it follows
// up to five redirects (RFC 9309).
func (f *Fetcher) getRobots(ctx context.Context, h *hostState, robotsURL string) (int, []byte, error) {
	if err := h.acquire(ctx); err != nil {
		return 0, nil, err
	}
	defer h.release()
	actx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, robotsURL, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent) // no Accept-Encoding: plain text back
	resp, err := f.robotsClient.Do(req)
	var body []byte
	if err == nil {
		body, err = io.ReadAll(io.LimitReader(resp.Body, robotsBodyLimit)) // the rest is ignored
		resp.Body.Close()
	}
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w after %v: %w", ErrTimeout, f.cfg.Timeout, err)
		}
		return 0, nil, err
	}
	return resp.StatusCode, body, nil
}
