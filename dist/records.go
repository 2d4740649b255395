package dist

import (
	"maps"
	"slices"
	"time"

	"github.com/sluicehq/sluice/sources"
	"github.com/sluicehq/sluice/stages/crawl"
	"github.com/sluicehq/sluice/stages/fetch"
)

// input is one enqueued input as it travels in a message body.
type input struct {
	Key     string   `json:"key"`
	URL     string   `json:"url"`
	Line    int      `json:"line,omitempty"`
	Columns []string `json:"columns,omitempty"`
	Values  []string `json:"values,omitempty"`
	// Depth is a crawl's link depth (0 for seeds).
	Depth int `json:"depth,omitempty"`
	// Seeds is, in a crawl, how many messages the job's seed stream held
	// when this page was queued: the worker that takes it first reads the
	// seeds up to there, so its scope holds every seed the page's
	// ancestors knew of.
	Seeds uint64 `json:"seeds,omitempty"`
}

func inputOf(it sources.Item) input {
	return input{Key: it.Key, URL: it.URL, Line: it.Line, Columns: it.Columns, Values: it.Values}
}

func (in input) item() sources.Item {
	return sources.Item{Key: in.Key, URL: in.URL, Line: in.Line, Columns: in.Columns, Values: in.Values}
}

// request is a crawl input's fetch request.
func (in input) request() fetch.Request {
	return fetch.Request{URL: in.URL, Key: in.Key, Depth: in.Depth, Meta: in.item().Fields()}
}

// crawlInput is the input of a crawl entry.
func crawlInput(e crawl.Entry, seeds uint64) input {
	in := input{Key: e.Key, URL: e.URL, Depth: e.Depth, Seeds: seeds}
	for _, k := range slices.Sorted(maps.Keys(e.Meta)) {
		in.Columns = append(in.Columns, k)
		in.Values = append(in.Values, e.Meta[k])
	}
	return in
}

// DeadLetter is one input the cluster gave up on, as published on the
// job's dead-letter stream (one message per key: the key is its
// Nats-Msg-Id).
type DeadLetter struct {
	Key string `json:"key"`
	URL string `json:"url,omitempty"`
	// Stage is the stage that failed it ("fetch", "parse", ...), or
	// "queue" for an input delivered more than MaxDeliver times.
	Stage string `json:"stage"`
	// Reason is the short reason failures are grouped by; Error the full
	// error.
	Reason string `json:"reason"`
	Error  string `json:"error,omitempty"`
	// Attempts is how many times the stage tried; Deliveries how many
	// times the queue handed the input out.
	Attempts   int       `json:"attempts,omitempty"`
	Deliveries uint64    `json:"deliveries,omitempty"`
	Worker     string    `json:"worker"`
	Time       time.Time `json:"time"`
}

// Meta is a job's record in its stats bucket, written by the coordinator.
type Meta struct {
	Job        string `json:"job"`
	Partitions int    `json:"partitions"`
	// Dedupe and AckWait are the queue's settings (see Settings).
	Dedupe  time.Duration `json:"dedupe"`
	AckWait time.Duration `json:"ack_wait"`
	Started time.Time     `json:"started"`
	// Enqueued is how many inputs the coordinator published that the
	// stream took as new; Duplicates how many it had already (a
	// restarted coordinator); Done is true once every input is published.
	Enqueued   int64 `json:"enqueued"`
	Duplicates int64 `json:"duplicates"`
	Done       bool  `json:"done"`
	// PerHostConcurrency and PerHostRate are the job's per-host limits,
	// held cluster-wide.
	PerHostConcurrency int     `json:"per_host_concurrency"`
	PerHostRate        float64 `json:"per_host_rate"`
	// Crawl says the job crawls: Enqueued counts its seeds, and the
	// pages its workers queue are counted from the stream (see
	// Status.Enqueued). FirstSeq is the stream's last sequence before
	// the job's first input.
	Crawl    bool   `json:"crawl,omitempty"`
	FirstSeq uint64 `json:"first_seq,omitempty"`
}

// metaKey is Meta's key in the stats bucket.
const metaKey = "meta"

// WorkerStats is what a worker publishes about itself every second: in
// the workers bucket as its heartbeat (gone when it stops) and in the
// stats bucket (kept, for the totals).
type WorkerStats struct {
	Worker  string    `json:"worker"`
	Host    string    `json:"host"`
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	Updated time.Time `json:"updated"`
	// Partitions are the partitions it holds.
	Partitions []int `json:"partitions"`
	// Taken is how many messages it took from the queue; InFlight how
	// many it holds unacked.
	Taken, InFlight int64
	// Fetches counts requests (final outcomes); Bytes their bodies.
	Fetches, Bytes int64
	// Acked counts inputs committed and acked: Written with records (or
	// none, filtered), Failed dead-lettered.
	Acked, Written, Failed int64
	// Records is how many records its sink committed.
	Records int64
	// Rate is inputs acked per second over the last ten seconds.
	Rate float64
	// Reasons counts its failures by reason.
	Reasons map[string]int64
	// FailedRounds counts runs that failed and were retried; LastError
	// is the last one's error.
	FailedRounds int64
	LastError    string `json:",omitempty"`
	// Stopped is set in the last stats of a worker that stopped cleanly.
	Stopped bool
	// Crawl holds the counters of the worker's crawler, in a crawl (the
	// pages it read since it started).
	Crawl *crawl.Stats `json:",omitempty"`
}
