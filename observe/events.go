package observe

import (
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/stages/fetch"
)

// Event is one thing that happened in a run. It is one of *RunStarted,
// *StageSnapshot, *Fetch, *Failure, *Committed, *Warning and
// *RunFinished; an
// Observer tells them apart with a type switch. Events are shared between
// observers: treat them as read-only.
type Event interface{ event() }

// RunStarted opens a run's event stream.
type RunStarted struct {
	// Time is when the run started.
	Time time.Time
	// Job names the job.
	Job string
	// Total is the number of inputs when the publisher knew it at the
	// start, else -1. job.Run counts them beside the pipeline rather than
	// before it, so its count arrives in StageSnapshot.Total.
	Total int64
	// Resumed is how many inputs an earlier run had already finished.
	Resumed int
	// Graph is the pipeline's stages and edges.
	Graph pipeline.Graph
	// Output, DeadLetters and Checkpoint say where the run writes (no
	// secrets: a DSN is shown as its table).
	Output, DeadLetters, Checkpoint string
	// Hosts, when set, reads the fetcher's per-host politeness state now
	// (AIMD concurrency cap, in flight, rate, pause); safe to call from
	// any goroutine during and after the run.
	Hosts func() []fetch.HostState
}

// StageSnapshot is the state of every stage at one moment. Snapshots are
// taken on a timer; a slow observer gets the latest one, not every one.
type StageSnapshot struct {
	// Time is when the snapshot was taken.
	Time time.Time
	// Elapsed is the time since the run started.
	Elapsed time.Duration
	// Stages holds each stage's counters, in pipeline order.
	Stages []pipeline.StageStats
	// Queues is the number of items waiting in the buffer in front of
	// each stage, by stage name.
	Queues map[string]int
	// Total is the number of inputs once the run has counted them, which
	// it does beside the pipeline; until then, and for inputs that cannot
	// be counted in advance (standard input, a queue), it is -1 (0 in a
	// snapshot built without it). Observers take a positive Total.
	Total int64
}

// Fetch is the outcome of one fetch: the final response or error, with
// every retry and politeness wait included.
type Fetch struct {
	// Time is when the fetch ended.
	Time time.Time
	// Key is the input's key; URL the requested URL; Host its host.
	Key, URL, Host string
	// Status is the final HTTP status, 0 when there was no response.
	Status int
	// Bytes is the size of the body as received.
	Bytes int64
	// Latency is the whole fetch: retries and waits included.
	Latency time.Duration
	// Attempts is the number of tries (1 when the first succeeded).
	Attempts int
	// RetryReason is why the last retry happened ("HTTP 503", "timeout",
	// ...); empty without retries.
	RetryReason string
	// Wait is the time spent waiting for the host's politeness limits
	// (robots.txt Crawl-delay, rate limit, per-host concurrency).
	Wait time.Duration
	// Err is the fetch's error, nil on success.
	Err error
}

// Failure is one input that failed for good: it is dead-lettered.
type Failure struct {
	// Time is when the failure was recorded.
	Time time.Time
	// Stage is the stage that failed the input.
	Stage string
	// Key and URL identify the input, when known.
	Key, URL string
	// Host is the URL's host, when known.
	Host string
	// Reason is the short, normalised reason failures are grouped by.
	Reason string
	// Status is the HTTP status of a status failure, else 0.
	Status int
	// Attempts is how many times the stage tried.
	Attempts int
	// Err is the error.
	Err error
}

// Committed says a commit round made inputs durable: their records are in
// the output (or their failure in the dead letters) and the checkpoint
// records them done. It is the signal to ack an input upstream.
type Committed struct {
	// Time is when the round committed.
	Time time.Time
	// Written holds the keys of inputs whose records were committed;
	// Failed those of inputs committed to the dead letters.
	Written, Failed []string
	// Records is how many records the round wrote.
	Records int64
	// Rejected is how many inputs of Failed a sink refused at commit (a
	// constraint, a column's type): they passed every stage and failed
	// only here, so the stage counters count them as done, not failed.
	Rejected int
}

// Warning is something the user should know that failed no input: a
// selector that matches nothing on the first pages, a ragged CSV row, a
// malformed sitemap.
type Warning struct {
	// Time is when it was noticed.
	Time time.Time
	// Msg says what is wrong, in the user's terms.
	Msg string
	// URL is an example page or input it concerns, if any.
	URL string
}

// Outcome is how a run ended.
type Outcome int

// The outcomes of a run.
const (
	// Complete: every input was processed.
	Complete Outcome = iota
	// Interrupted: stopped on request; what was committed stays, the rest
	// runs on resume.
	Interrupted
	// Aborted: the run's context was cancelled; what was committed stays.
	Aborted
	// FailedPolicy: more inputs failed than the failure budget allows.
	FailedPolicy
	// Failed: a fatal error ended the run.
	Failed
)

// String names the outcome.
func (o Outcome) String() string {
	switch o {
	case Complete:
		return "complete"
	case Interrupted:
		return "interrupted"
	case Aborted:
		return "aborted"
	case FailedPolicy:
		return "failed: too many failures"
	default:
		return "failed"
	}
}

// RunFinished closes a run's event stream; no event follows it.
type RunFinished struct {
	// Time is when the run ended; Elapsed how long it took.
	Time    time.Time
	Elapsed time.Duration
	// Outcome is how it ended; Err the error, if any.
	Outcome Outcome
	Err     error
	// Stages holds the final counters.
	Stages []pipeline.StageStats
	// Dropped is how many events this observer missed because it fell
	// behind (snapshots are coalesced and not counted).
	Dropped int64
}

func (*RunStarted) event()    {}
func (*StageSnapshot) event() {}
func (*Fetch) event()         {}
func (*Failure) event()       {}
func (*Committed) event()     {}
func (*Warning) event()       {}
func (*RunFinished) event()   {}
