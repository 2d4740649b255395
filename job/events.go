package job

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/observe/ledger"
	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/sources"
	"github.com/sluicehq/sluice/stages/fetch"
)

// fetchObserver returns the fetch stage's hook publishing observe.Fetch
// events, or nil when nobody observes.
func (r *runner) fetchObserver() func(req fetch.Request, resp *fetch.Response, err error, elapsed time.Duration) {
	if !r.hub.Wants(observe.KindFetch) {
		return nil
	}
	return func(req fetch.Request, resp *fetch.Response, err error, elapsed time.Duration) {
		r.hub.Publish(fetchEvent(req, resp, err, elapsed))
	}
}

// fetchEvent describes one fetch.
func fetchEvent(req fetch.Request, resp *fetch.Response, err error, elapsed time.Duration) *observe.Fetch {
	e := &observe.Fetch{Time: time.Now(), Key: req.Key, URL: req.URL, Host: hostOf(req.URL), Latency: elapsed, Attempts: 1, Err: err}
	if resp != nil {
		e.Status, e.Bytes, e.Attempts, e.Wait = resp.StatusCode, int64(len(resp.Raw)), resp.Attempts, resp.Timings.Wait
	}
	var fe *fetch.Error
	if errors.As(err, &fe) {
		e.Attempts = fe.Tries
	}
	var se *fetch.StatusError
	if errors.As(err, &se) {
		e.Status = se.Code
	}
	if e.Attempts > 1 && err != nil {
		e.RetryReason = ledger.Reason(err)
	}
	return e
}

// failureEvent describes a dead-lettered input.
func failureEvent(f pipeline.Failure) *observe.Failure {
	e := &observe.Failure{Time: f.Time, Stage: f.Stage, Reason: ledger.Reason(f.Err), Attempts: f.Attempts, Err: f.Err}
	switch in := f.Input.(type) {
	case sources.Item:
		e.Key, e.URL = in.Key, in.URL
	case page:
		e.Key, e.URL = in.Key, in.URL
	case sources.BadRow:
		e.Key = in.Key
	}
	var fe *fetch.Error
	if e.URL == "" && errors.As(f.Err, &fe) {
		e.URL = fe.URL
	}
	e.Host = hostOf(e.URL)
	var se *fetch.StatusError
	if errors.As(f.Err, &se) {
		e.Status = se.Code
	}
	return e
}

// hostOf is the host (with its port) of the URL raw, as url.Parse reads
// it: read off the string for a plain scheme://host/path URL, parsed for
// anything else (user info, escapes, IPv6 literals).
func hostOf(raw string) string {
	if raw == "" {
		return ""
	}
	if _, rest, ok := strings.Cut(raw, "://"); ok {
		if end := strings.IndexAny(rest, "/?#"); end >= 0 {
			rest = rest[:end]
		}
		if rest != "" && !strings.ContainsAny(rest, "@%[] \t\r\n") {
			return rest
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}
