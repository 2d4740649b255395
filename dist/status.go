package dist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sluicehq/sluice/stages/crawl"
)

// Status is a job's state across the cluster, read from JetStream: the
// queue, the dead letters, the leases and the workers' published stats.
type Status struct {
	Job  string
	Meta Meta
	// Enqueued is how many inputs the queue took: Meta.Enqueued, or for
	// a crawl every page admitted (seeds and the links the workers
	// queued), counted from the stream's sequence.
	Enqueued int64
	// Queued is how many inputs the stream holds (not yet acked),
	// InFlight how many of them are handed out to workers.
	Queued, InFlight uint64
	// Dead is how many inputs were dead-lettered.
	Dead uint64
	// Done is how many enqueued inputs were acked (written or dead).
	Done int64
	// Workers are the workers alive (heartbeat within its TTL), Seen
	// every worker that ever published stats.
	Workers, Seen []WorkerStats
	// Leases maps each held partition to its worker.
	Leases map[int]string
	// Rate is the inputs acked per second, summed over live workers; ETA
	// the time to drain the queue at that rate (0: unknown).
	Rate float64
	ETA  time.Duration
	// Fetches, Records and Reasons sum every worker's stats (work redone
	// after a kill counts twice; Done and Dead do not).
	Fetches, Records int64
	Reasons          map[string]int64
	// Crawl is the crawl's state, for a crawl job; else nil.
	Crawl *CrawlStatus
}

// CrawlStatus is a distributed crawl's frontier and counts.
type CrawlStatus struct {
	// Seen is how many URLs the cluster-wide seen-set holds (queued,
	// done, or claimed as a canonical URL or redirect target); the
	// frontier is Status.Queued.
	Seen int64
	// Stats sums the workers' crawl counters (pages a kill made a worker
	// read again count again). Frontier and InFlight are the queue's.
	Stats crawl.Stats
}

// Drained reports whether every input was enqueued and acked. Workers
// publish the links of a page before they ack it, so for a crawl too
// an empty queue with nothing awaiting an ack stays empty.
func (s Status) Drained() bool { return s.Meta.Done && s.Queued == 0 && s.InFlight == 0 }

// ReadStatus reads the named job's status (empty name: the only job).
func ReadStatus(ctx context.Context, js jetstream.JetStream, name string) (Status, error) {
	name, _, err := LoadSpec(ctx, js, name)
	if err != nil {
		return Status{}, err
	}
	n := NamesFor(name)
	st := Status{Job: name, Leases: map[int]string{}, Reasons: map[string]int64{}}
	stats, err := js.KeyValue(ctx, n.StatsBucket())
	if err != nil {
		return st, fmt.Errorf("dist: job %q: %w", name, err)
	}
	if _, err := getJSON(ctx, stats, metaKey, &st.Meta); err != nil {
		return st, err
	}
	if err := st.readQueue(ctx, js, n); err != nil {
		return st, err
	}
	st.Seen, err = readStats(ctx, stats, "w.")
	if err != nil {
		return st, err
	}
	if kv, err := js.KeyValue(ctx, n.WorkersBucket()); err == nil {
		st.Workers, _ = readStats(ctx, kv, "")
	}
	if kv, err := js.KeyValue(ctx, n.LeaseBucket()); err == nil {
		st.readLeases(ctx, kv)
	}
	st.sum()
	if st.Meta.Crawl {
		st.readCrawl(ctx, js, n)
	}
	return st, nil
}

// readQueue fills the queue and dead-letter counts.
func (st *Status) readQueue(ctx context.Context, js jetstream.JetStream, n Names) error {
	s, err := js.Stream(ctx, n.Stream())
	if err != nil {
		return fmt.Errorf("dist: %w", err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		return fmt.Errorf("dist: %w", err)
	}
	st.Queued = info.State.Msgs
	st.Enqueued = st.Meta.Enqueued
	if st.Meta.Crawl {
		st.Enqueued = int64(info.State.LastSeq - st.Meta.FirstSeq)
	}
	for cons := range s.ListConsumers(ctx).Info() {
		st.InFlight += uint64(cons.NumAckPending)
	}
	d, err := js.Stream(ctx, n.DeadStream())
	if err != nil {
		return fmt.Errorf("dist: %w", err)
	}
	st.Dead = d.CachedInfo().State.Msgs
	st.Done = st.Enqueued - int64(st.Queued)
	return nil
}

func (st *Status) readLeases(ctx context.Context, kv jetstream.KeyValue) {
	keys, _ := kv.Keys(ctx)
	for _, k := range keys {
		var p int
		if _, err := fmt.Sscanf(k, "p.%d", &p); err != nil {
			continue
		}
		if e, err := kv.Get(ctx, k); err == nil {
			st.Leases[p] = string(e.Value())
		}
	}
}

// sum totals the workers' stats.
func (st *Status) sum() {
	for _, w := range st.Seen {
		st.Fetches += w.Fetches
		st.Records += w.Records
		for r, c := range w.Reasons {
			st.Reasons[r] += c
		}
	}
	for _, w := range st.Workers {
		st.Rate += w.Rate
	}
	if st.Rate > 0 && st.Queued > 0 {
		st.ETA = time.Duration(float64(st.Queued) / st.Rate * float64(time.Second))
	}
}

// readStats decodes every WorkerStats under prefix, by worker ID.
func readStats(ctx context.Context, kv jetstream.KeyValue, prefix string) ([]WorkerStats, error) {
	keys, err := kv.Keys(ctx)
	if errors.Is(err, jetstream.ErrNoKeysFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dist: %w", err)
	}
	var out []WorkerStats
	for _, k := range keys {
		if !strings.HasPrefix(k, prefix) || k == metaKey {
			continue
		}
		var s WorkerStats
		if found, err := getJSON(ctx, kv, k, &s); err == nil && found {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b WorkerStats) int { return strings.Compare(a.Worker, b.Worker) })
	return out, nil
}

// ReadDeadLetters returns the job's dead letters, one per key.
func ReadDeadLetters(ctx context.Context, js jetstream.JetStream, name string) ([]DeadLetter, error) {
	n := NamesFor(name)
	c, err := js.OrderedConsumer(ctx, n.DeadStream(), jetstream.OrderedConsumerConfig{})
	if err != nil {
		return nil, fmt.Errorf("dist: %w", err)
	}
	s, err := js.Stream(ctx, n.DeadStream())
	if err != nil {
		return nil, fmt.Errorf("dist: %w", err)
	}
	total := s.CachedInfo().State.Msgs
	var out []DeadLetter
	for uint64(len(out)) < total {
		batch, err := c.Fetch(500, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return out, fmt.Errorf("dist: %w", err)
		}
		got := 0
		for m := range batch.Messages() {
			got++
			var dl DeadLetter
			if err := json.Unmarshal(m.Data(), &dl); err == nil {
				out = append(out, dl)
			}
		}
		if got == 0 {
			break
		}
	}
	return out, nil
}

// Ledger is a distributed run's final account: every enqueued input is
// acked as written or dead-lettered, or still queued.
type Ledger struct {
	Enqueued, Duplicates int64
	Written, Dead        int64
	// Crawl is the crawl's counts, for a crawl job; else nil.
	Crawl  *CrawlStatus
	Queued int64
	// Unreadable counts inputs the coordinator's source could not read:
	// dead-lettered, never enqueued.
	Unreadable       int64
	Records, Fetches int64
	// Reasons counts the dead letters by reason, from the dead-letter
	// stream (exact).
	Reasons map[string]int64
	Elapsed time.Duration
}

// Balanced reports whether enqueued = written + dead + queued.
func (l Ledger) Balanced() bool { return l.Enqueued == l.Written+l.Dead+l.Queued }

// Wait reports the job's status every interval until the queue is
// drained (or ctx ends), then returns the ledger.
func Wait(ctx context.Context, js jetstream.JetStream, name string, every time.Duration, report func(Status)) (Ledger, error) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		st, err := ReadStatus(ctx, js, name)
		if err != nil {
			return Ledger{}, err
		}
		if report != nil {
			report(st)
		}
		if st.Drained() {
			return LedgerOf(ctx, js, st)
		}
		select {
		case <-ctx.Done():
			l, _ := LedgerOf(context.Background(), js, st)
			return l, context.Cause(ctx)
		case <-t.C:
		}
	}
}

// LedgerOf builds the ledger of a status, counting dead letters by
// reason from the dead-letter stream.
func LedgerOf(ctx context.Context, js jetstream.JetStream, st Status) (Ledger, error) {
	l := Ledger{Enqueued: st.Enqueued, Duplicates: st.Meta.Duplicates, Queued: int64(st.Queued), Crawl: st.Crawl,
		Records: st.Records, Fetches: st.Fetches, Reasons: map[string]int64{}, Elapsed: time.Since(st.Meta.Started)}
	dead, err := ReadDeadLetters(ctx, js, st.Job)
	if err != nil {
		return l, err
	}
	for _, d := range dead {
		l.Reasons[d.Reason]++
		if d.Stage == "read" {
			l.Unreadable++ // dead-lettered by the coordinator, never enqueued
		} else {
			l.Dead++
		}
	}
	l.Written = st.Done - l.Dead
	return l, nil
}

// readCrawl fills the crawl's status: the seen-set's size and the sum of
// the workers' crawl counters.
func (st *Status) readCrawl(ctx context.Context, js jetstream.JetStream, n Names) {
	cs := &CrawlStatus{}
	if kv, err := js.KeyValue(ctx, n.SeenBucket()); err == nil {
		if ks, err := kv.Status(ctx); err == nil {
			cs.Seen = int64(ks.Values())
			if _, err := kv.Get(ctx, admittedKey); err == nil {
				cs.Seen--
			}
		}
	}
	for _, w := range st.Seen {
		if c := w.Crawl; c != nil {
			t := &cs.Stats
			t.Discovered += c.Discovered
			t.Duplicate += c.Duplicate
			t.OutOfScope += c.OutOfScope
			t.OverDepth += c.OverDepth
			t.Nofollow += c.Nofollow
			t.OverMax += c.OverMax
			t.NofollowPages += c.NofollowPages
			t.Noindex += c.Noindex
			t.FollowOnly += c.FollowOnly
			t.Failed += c.Failed
			t.Pages += c.Pages
		}
	}
	cs.Stats.Duplicate += st.Meta.Duplicates // seeds the coordinator found seen
	cs.Stats.Frontier, cs.Stats.InFlight = int(st.Queued), int64(st.InFlight)
	st.Crawl = cs
}
