package dist

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sluicehq/sluice/job"
)

// heartbeat publishes the worker's stats as its heartbeat (in the
// workers bucket, which forgets it heartbeatTTL after the last one) and
// as its last known stats (in the stats bucket, kept).
func (w *Worker) heartbeat(ctx context.Context) {
	s := w.ack.snapshot(time.Now())
	s.Partitions, _ = w.src.leases.snapshot()
	s.Taken, s.InFlight = w.src.taken.Load(), int64(w.src.tracker.len())
	if w.crawl != nil {
		s.Crawl = w.crawl.stats()
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	_ = putJSON(ctx, w.q.workers, w.id, s)
	_ = putJSON(ctx, w.q.stats, "w."+w.id, s)
}

// statsLoop heartbeats every StatsInterval and, with ExitWhenDone, calls
// end once the queue is drained.
func (w *Worker) statsLoop(ctx context.Context, end func()) {
	every := w.StatsInterval
	if every <= 0 {
		every = time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		w.heartbeat(ctx)
		if w.ExitWhenDone && w.drained(ctx) {
			end()
		}
	}
}

// requestTimeout bounds each request a worker sends NATS under its run's
// context. A request in flight when the connection drops is never
// answered: nats.go fails pending requests when the connection is
// closed, not when it reconnects, and applies its own default timeout
// only to a context without a deadline. Under the run's context, which
// carries the caller's deadline, a lost request would otherwise hold its
// loop until that deadline: a worker cut off from NATS while its drain
// check was in flight stopped heartbeating and never saw the queue
// drained (TestDrainedLostRequest).
const requestTimeout = 5 * time.Second

// drained reports whether every input is enqueued and acked.
func (w *Worker) drained(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	var m Meta
	if found, err := getJSON(ctx, w.q.stats, metaKey, &m); err != nil || !found || !m.Done {
		return false
	}
	info, err := w.q.stream.Info(ctx)
	return err == nil && info.State.Msgs == 0 && w.src.tracker.len() == 0
}

// extendLoop tells JetStream the inputs in flight are still being worked
// on, a third of AckWait apart, so a long fetch or a slow commit does not
// get them redelivered; a killed worker stops extending, and its inputs
// are redelivered after AckWait.
func (w *Worker) extendLoop(ctx context.Context) {
	t := time.NewTicker(w.q.settings.AckWait / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, m := range w.src.tracker.all() {
			_ = m.InProgress()
		}
	}
}

// finish releases the worker's leases and heartbeat and records its last
// stats, after its last commit, and returns them.
func (w *Worker) finish() WorkerStats {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	w.handBack() // a run that failed: what it took goes back now, not after AckWait
	w.src.leases.releaseAll(ctx)
	s := w.ack.snapshot(time.Now())
	s.Stopped = true
	if w.crawl != nil {
		s.Crawl = w.crawl.stats()
	}
	_ = putJSON(ctx, w.q.stats, "w."+w.id, s)
	_ = w.q.workers.Delete(ctx, w.id)
	_ = w.ckpt.Close()
	_ = w.js.Conn().Flush()
	return s
}

// checkSink connects to a Postgres sink once, so that a worker that could
// not write is refused before it takes a message.
func checkSink(ctx context.Context, j *job.Job) error {
	if j.Sink.DSN == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, j.Sink.DSN)
	if err != nil {
		return fmt.Errorf("dist: job %q: sink: %w", j.Name, err)
	}
	return conn.Close(ctx)
}
