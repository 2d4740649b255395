package dashboard

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/stages/fetch"
)

// DefaultInterval is the most often a browser gets a new frame when
// Config.Interval is zero.
const DefaultInterval = 250 * time.Millisecond

// Config configures a Dashboard. The zero value works.
type Config struct {
	// Interval is the most often a browser is sent the state; default
	// DefaultInterval.
	Interval time.Duration
	// Hosts, if set, gives the fetcher's per-host state (the AIMD
	// concurrency cap, in-flight requests, rate), typically
	// (*fetch.Fetcher).HostStates. Without it the host table shows what
	// the fetch events tell: requests, statuses, retries and waits.
	Hosts func() []fetch.HostState
}

// Dashboard is the live view of one run: an observe.Observer and, through
// Handler, the page that shows it. Make it with New.
type Dashboard struct {
	cfg    Config
	closed chan struct{}
	close  sync.Once

	mu      sync.Mutex
	version uint64
	st      state
	frame   []byte // the encoded frame of version frameV
	frameV  uint64
	// hosts is Config.Hosts, or else the run's RunStarted.Hosts.
	hosts func() []fetch.HostState
}

// New returns a dashboard waiting for its run's events. It starts
// nothing.
func New(cfg Config) *Dashboard {
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	d := &Dashboard{cfg: cfg, closed: make(chan struct{}), hosts: cfg.Hosts}
	d.st.reset()
	return d
}

// Observe makes the Dashboard an observe.Observer. It only updates the
// dashboard's counters; encoding happens when a browser asks.
func (d *Dashboard) Observe(e observe.Event) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.version++
	switch e := e.(type) {
	case *observe.RunStarted:
		d.st.reset()
		d.st.started(e)
		if d.cfg.Hosts == nil {
			d.hosts = e.Hosts
		}
	case *observe.StageSnapshot:
		if e.Total > 0 {
			d.st.ledger.Total = e.Total // counted beside the run
		}
		d.st.snapshot(e.Elapsed, e.Stages, e.Queues, false)
	case *observe.Fetch:
		d.st.fetch(e)
	case *observe.Failure:
		d.st.failure(e)
	case *observe.Committed:
		d.st.ledger.Written += e.Records
		d.st.ledger.Rounds++
		d.st.rejected += int64(e.Rejected)
	case *observe.RunFinished:
		d.st.finished(e)
	}
}

// Frame returns the current state.
func (d *Dashboard) Frame() Frame {
	d.mu.Lock()
	hostsFn := d.hosts
	d.mu.Unlock()
	var hosts []fetch.HostState
	if hostsFn != nil {
		hosts = hostsFn()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.st.frame(hosts, hostsFn != nil)
	f.Version = d.version
	return f
}

// encoded returns the current frame as JSON and its version, encoding it
// only when the state changed since the last call from any browser.
func (d *Dashboard) encoded() ([]byte, uint64) {
	d.mu.Lock()
	if d.frame != nil && d.frameV == d.version {
		b, v := d.frame, d.frameV
		d.mu.Unlock()
		return b, v
	}
	d.mu.Unlock()
	f := d.Frame()
	b, err := json.Marshal(f)
	if err != nil { // a Frame holds plain values and finite floats only
		panic("dashboard: encode frame: " + err.Error())
	}
	d.mu.Lock()
	if f.Version >= d.frameV {
		d.frame, d.frameV = b, f.Version
	}
	d.mu.Unlock()
	return b, f.Version
}

// Close ends the event streams of connected browsers, so that the server
// serving Handler can shut down. The dashboard stays readable.
func (d *Dashboard) Close() {
	d.close.Do(func() { close(d.closed) })
}
