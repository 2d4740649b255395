package dist

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/testsite"
)

// cutProxy is a loopback TCP proxy to a NATS server that a test can cut:
// every connection through it is closed in both directions, and new ones
// are refused, until it is healed. It can also stall: the connections stay
// open but what is sent either way is dropped, as bytes in flight are
// when a connection breaks.
type cutProxy struct {
	ln     net.Listener
	target string
	wg     sync.WaitGroup
	stall  atomic.Bool

	mu    sync.Mutex
	cut   bool
	conns map[net.Conn]bool
}

func startProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	p.wg.Go(p.accept)
	t.Cleanup(func() {
		ln.Close()
		p.setCut(true)
		p.wg.Wait()
	})
	return p
}

// URL is the proxy's NATS URL.
func (p *cutProxy) URL() string { return "nats://" + p.ln.Addr().String() }

func (p *cutProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		refused := p.cut
		p.mu.Unlock()
		if refused {
			c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		if !p.track(c, up) {
			continue
		}
		p.wg.Go(func() { p.pipe(up, c) })
		p.wg.Go(func() { p.pipe(c, up) })
	}
}

// track records a connection pair, or closes it if the proxy was cut
// meanwhile.
func (p *cutProxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		if p.cut {
			c.Close()
			continue
		}
		p.conns[c] = true
	}
	return !p.cut
}

// pipe copies src to dst, dropping what it reads while the proxy stalls.
func (p *cutProxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !p.stall.Load() {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// setCut cuts (closing every connection) or heals the proxy.
func (p *cutProxy) setCut(cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = cut
	if cut {
		for c := range p.conns {
			c.Close()
		}
		clear(p.conns)
	}
}

// TestPartitionedWorker cuts one of three workers off from NATS mid-run
// (both directions closed, reconnects refused): it stops taking work,
// loses its leases, and what it had not acked is redelivered to the
// other two, which finish the job; once healed, it reconnects and joins
// again. Every key ends in Postgres exactly once or in the dead letters
// with a reason, and the ledger balances.
//
// The worker to be cut starts alone and the other two join once it has
// committed inputs: workers that start together share the partitions as
// the leases fall, and nothing promises a given one work before a short
// job ends (two workers once did all of it before the third took a
// message, and the test waited for its commits until its timeout).
func TestPartitionedWorker(t *testing.T) {
	conn, dsn, table := postgres(t)
	const total = 1500
	srv := startNATS(t)
	_, js := connectJS(t, srv.ClientURL())
	ss := sites(t, 4, testsite.Config{Pages: 500, Latency: 20 * time.Millisecond})
	dir := t.TempDir()
	writeInputs(t, dir, ss, total)
	spec := jobYAML("cut", "{workers: 8, per_host_concurrency: 4, retries: 1, backoff: 10ms, timeout: 5s}",
		"{kind: postgres, dsn: '"+dsn+"', table: "+table+"}")
	if err := os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	enqueue(t, js, dir, Settings{Partitions: 8, AckWait: 3 * time.Second})

	proxy := startProxy(t, strings.TrimPrefix(srv.ClientURL(), "nats://"))
	committed := &firstCommits{n: 50, seen: make(chan struct{})}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, 3)
	workers := make([]*Worker, 3)
	start := func(i int) {
		url := srv.ClientURL()
		if i == 0 {
			url = proxy.URL()
		}
		_, wjs := connectJS(t, url)
		workers[i] = &Worker{JS: wjs, Dir: dir, ID: "w" + itoa(i), ExitWhenDone: true, StatsInterval: 200 * time.Millisecond}
		if i == 0 {
			workers[i].Observers = []observe.Observer{committed}
		}
		wg.Go(func() { _, errs[i] = workers[i].Run(ctx, nil) })
	}
	start(0)
	cutOff := workers[0]
	select { // the worker behind the proxy committed inputs (and its fields are set)
	case <-committed.seen:
	case <-ctx.Done():
		t.Fatal("the worker behind the proxy committed nothing")
	}
	start(1)
	start(2)
	waitFor(t, ctx, "the other workers to start", func() bool { // they heartbeat before they claim
		st, err := ReadStatus(ctx, js, "cut")
		n := 0
		for _, w := range st.Workers {
			if w.Worker == "w1" || w.Worker == "w2" {
				n++
			}
		}
		return err == nil && n == 2
	})

	proxy.setCut(true)
	t.Logf("cut: the worker holds %d inputs unacked", cutOff.src.tracker.len())
	waitFor(t, ctx, "the cut-off worker's leases to lapse", func() bool {
		st, err := ReadStatus(ctx, js, "cut")
		if err != nil {
			return false
		}
		for _, holder := range st.Leases {
			if holder == "w0" {
				return false
			}
		}
		t.Logf("leases after the cut: %v", st.Leases)
		return true
	})
	taken := cutOff.src.taken.Load()
	time.Sleep(2 * time.Second) // cut off for longer than AckWait by now
	if now := cutOff.src.taken.Load(); now != taken {
		t.Errorf("the cut-off worker took %d messages while cut off", now-taken)
	}
	if ps := cutOff.src.leases.active(); len(ps) != 0 {
		t.Errorf("the cut-off worker still pulls partitions %v", ps)
	}
	proxy.setCut(false)

	var st Status
	waitFor(t, ctx, "the queue to drain", func() bool {
		var err error
		st, err = ReadStatus(ctx, js, "cut")
		return err == nil && st.Drained()
	})
	exited := make(chan struct{})
	go func() { wg.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		_ = pprof.Lookup("goroutine").WriteTo(os.Stderr, 1)
		t.Fatal("workers did not exit after the queue drained")
	}
	for i, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("worker %d: %v", i, err)
		}
	}
	for _, w := range workers {
		t.Logf("%s: taken %d, acked %d", w.id, w.src.taken.Load(), w.ack.acked())
	}
	last, err := ReadStatus(ctx, js, "cut")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range last.Seen {
		if w.Worker == "w0" && !w.Stopped {
			t.Errorf("the cut-off worker did not record its stop after it reconnected: %+v", w)
		}
	}
	checkExactlyOnce(t, ctx, conn, table, js, st, total)
}

// waitFor polls cond every 100ms until it holds, failing the test when
// ctx ends first.
func waitFor(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("gave up waiting for %s", what)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// firstCommits closes seen once n inputs were committed.
type firstCommits struct {
	n    int
	seen chan struct{}
	once sync.Once
	mu   sync.Mutex
}

func (f *firstCommits) Observe(e observe.Event) {
	if c, ok := e.(*observe.Committed); ok {
		f.mu.Lock()
		f.n -= len(c.Written) + len(c.Failed)
		done := f.n <= 0
		f.mu.Unlock()
		if done {
			f.once.Do(func() { close(f.seen) })
		}
	}
}

// TestDrainedLostRequest checks that a request NATS never answers (sent
// as the connection broke, or its reply lost with it) does not hold the
// worker's drain check until the deadline of the context the worker was
// run with: nats.go's own request timeout applies only to a context
// without a deadline. A worker cut off at the wrong moment was stuck
// there, heartbeating no more and never exiting (TestPartitionedWorker,
// once in a few runs).
func TestDrainedLostRequest(t *testing.T) {
	srv := startNATS(t)
	proxy := startProxy(t, strings.TrimPrefix(srv.ClientURL(), "nats://"))
	_, js := connectJS(t, proxy.URL())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	q, err := openQueue(ctx, js, NamesFor("lost"), Settings{Partitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := putJSON(ctx, q.stats, metaKey, Meta{Job: "lost", Partitions: 1, Done: true}); err != nil {
		t.Fatal(err)
	}
	w := &Worker{q: q, src: &source{tracker: newTracker()}}
	if !w.drained(ctx) {
		t.Fatal("an empty queue with every input enqueued is not drained")
	}
	proxy.stall.Store(true)
	begin := time.Now()
	if w.drained(ctx) {
		t.Fatal("drained without an answer from NATS")
	}
	if took := time.Since(begin); took > requestTimeout+2*time.Second {
		t.Fatalf("drained waited %v for NATS with a lost request, want about %v", took.Round(time.Millisecond), requestTimeout)
	}
}
