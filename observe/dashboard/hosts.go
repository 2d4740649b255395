package dashboard

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/stages/fetch"
)

// maxHosts bounds the hosts counted one by one; the fetches of hosts
// beyond it are counted under otherHosts.
const (
	maxHosts   = 1000
	otherHosts = "(other hosts)"
)

// fetchAgg sums fetch events: overall, per host, and the latency of the
// current chart interval.
type fetchAgg struct {
	totals   FetchTotals
	hosts    map[string]*hostAgg
	interval histogram
}

type hostAgg struct {
	requests, retries int64
	codes             map[string]int64
	wait, latency     time.Duration
}

func (a *fetchAgg) reset() {
	*a = fetchAgg{totals: FetchTotals{Codes: map[string]int64{}}, hosts: map[string]*hostAgg{}}
}

func (a *fetchAgg) add(e *observe.Fetch) {
	code := statusLabel(e.Status)
	a.interval.add(e.Latency)
	a.totals.Requests++
	a.totals.Bytes += e.Bytes
	a.totals.Retries += int64(max(e.Attempts-1, 0))
	a.totals.Codes[code]++
	name := hostName(e.Host)
	h := a.hosts[name]
	if h == nil {
		if len(a.hosts) >= maxHosts {
			name = otherHosts
		}
		if h = a.hosts[name]; h == nil {
			h = &hostAgg{codes: map[string]int64{}}
			a.hosts[name] = h
		}
	}
	h.requests++
	h.retries += int64(max(e.Attempts-1, 0))
	h.codes[code]++
	h.wait += e.Wait
	h.latency += e.Latency
}

func (a *fetchAgg) copyTotals() FetchTotals {
	t := a.totals
	t.Codes = cloneMap(a.totals.Codes)
	return t
}

// hostRows returns the top n hosts by requests, joined with the
// fetcher's host states, and how many more there are.
func (a *fetchAgg) hostRows(states []fetch.HostState, n int) ([]HostRow, int) {
	rows := make(map[string]*HostRow, len(a.hosts)+len(states))
	for name, h := range a.hosts {
		r := &HostRow{Host: name, Requests: h.requests, Codes: cloneMap(h.codes), Retries: h.retries, Wait: h.wait.Seconds()}
		r.AvgMillis = h.latency.Seconds() * 1000 / float64(h.requests)
		rows[name] = r
	}
	for _, s := range states {
		r := rows[s.Host]
		if r == nil {
			r = &HostRow{Host: s.Host, Codes: map[string]int64{}}
			rows[s.Host] = r
		}
		r.InFlight += s.InFlight
		r.Waiting += s.Waiting
		r.Limit, r.MaxLimit, r.Rate, r.BaseRate = s.Limit, s.MaxLimit, s.Rate, s.BaseRate
	}
	out := make([]HostRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(x, y HostRow) int {
		return cmp.Or(cmp.Compare(y.Requests+int64(y.InFlight), x.Requests+int64(x.InFlight)), strings.Compare(x.Host, y.Host))
	})
	if len(out) > n {
		return out[:n], len(out) - n
	}
	return out, 0
}

// hostName is a fetch event's host as the fetcher names it: lower case,
// without the default port.
func hostName(h string) string {
	h = strings.ToLower(h)
	if s, ok := strings.CutSuffix(h, ":80"); ok {
		return s
	}
	if s, ok := strings.CutSuffix(h, ":443"); ok {
		return s
	}
	return h
}

// statusLabel is an HTTP status as a table column: "200", or "error"
// when there was no response.
func statusLabel(code int) string {
	if code == 0 {
		return "error"
	}
	return strconv.Itoa(code)
}

func cloneMap(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
