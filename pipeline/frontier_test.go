package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/pipeline/pipelinetest"
)

// graph is a generated link graph: node i links to fan others.
type graph struct{ nodes, fan int }

func (g graph) links(i int) []int {
	out := make([]int, g.fan)
	for j := range out {
		out[j] = (i + 1 + j*j + i*j*7919) % g.nodes // j=0: i+1, so all are reachable
	}
	return out
}

func identity(i int) string { return fmt.Sprint(i) }

// crawlGraph builds seeds → frontier → visit (workers) → links → sink,
// where links gives the neighbours to Discover one by one (even nodes) or
// to DiscoverAll at once (odd nodes), then calls Done. visit may fail an
// item; the failure path calls Done too.
func crawlGraph(p *pipeline.Pipeline, g graph, q pipeline.Queue[int], workers int, fail func(int) bool, opts ...pipeline.StageOption) (*pipeline.Frontier[int], *pipelinetest.Collector[int]) {
	seeds := pipeline.FromSlice(p, "seeds", []int{0}, opts...)
	fr := pipeline.NewFrontier(p, "frontier", seeds, q, opts...)
	visited := pipeline.Map(p, "visit", fr.Out(), func(ctx context.Context, i int) (int, error) {
		if fail != nil && fail(i) {
			fr.Done()
			return 0, pipeline.Skip(fmt.Errorf("node %d fails", i))
		}
		return i, nil
	}, append([]pipeline.StageOption{pipeline.Workers(workers)}, opts...)...)
	pages := pipeline.FlatMap(p, "links", visited, func(ctx context.Context, i int, emit func(int) error) error {
		if err := discover(fr, g.links(i), i%2 == 1); err != nil {
			return err
		}
		fr.Done()
		return emit(i)
	}, opts...)
	return fr, pipelinetest.Collect(p, "sink", pages)
}

// discover gives vs to fr at once or one by one.
func discover(fr *pipeline.Frontier[int], vs []int, all bool) error {
	if all {
		return fr.DiscoverAll(vs)
	}
	for _, v := range vs {
		if err := fr.Discover(v); err != nil {
			return err
		}
	}
	return nil
}

// TestFrontierTerminates crawls a graph where every node links to a
// thousand others, with one-slot buffers everywhere: every node is
// visited exactly once, the run ends by itself, and the frontier's
// accounting balances.
func TestFrontierTerminates(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			g := graph{nodes: 600, fan: 1000}
			p := pipeline.New()
			fr, sink := crawlGraph(p, g, pipeline.NewMemoryQueue(identity), workers, nil, pipeline.Buffer(1))
			if err := pipelinetest.Run(t, p, time.Minute); err != nil {
				t.Fatal(err)
			}
			seen := map[int]int{}
			for _, i := range sink.Items() {
				seen[i]++
			}
			for i := range g.nodes {
				if seen[i] != 1 {
					t.Fatalf("node %d visited %d times", i, seen[i])
				}
			}
			st := stageStats(p, "frontier")
			if want := int64(1 + g.nodes*g.fan); st.In != want || st.Out != int64(g.nodes) || st.Filtered != want-int64(g.nodes) || st.Dropped != 0 {
				t.Errorf("frontier stats %+v, want In %d Out %d", st, want, g.nodes)
			}
			if fr.Len() != 0 || fr.InFlight() != 0 {
				t.Errorf("after the run: Len %d InFlight %d", fr.Len(), fr.InFlight())
			}
			pipelinetest.CheckAccounting(t, p)
		})
	}
}

// TestFrontierFailuresCountAsDone fails a third of the nodes: the run
// still ends, failed nodes are not followed, and every failure is recorded.
func TestFrontierFailuresCountAsDone(t *testing.T) {
	g := graph{nodes: 300, fan: 50}
	var fails pipelinetest.Failures
	p := pipeline.New(pipeline.OnFailure(fails.Handle))
	fail := func(i int) bool { return i%3 == 1 }
	_, sink := crawlGraph(p, g, pipeline.NewMemoryQueue(identity), 3, fail, pipeline.Buffer(1))
	if err := pipelinetest.Run(t, p, time.Minute); err != nil {
		t.Fatal(err)
	}
	visit := stageStats(p, "visit")
	if visit.Failed == 0 || int(visit.Failed) != len(fails.List()) {
		t.Errorf("visit failed %d, failure records %d", visit.Failed, len(fails.List()))
	}
	for _, i := range sink.Items() {
		if fail(i) {
			t.Fatalf("failed node %d reached the sink", i)
		}
	}
	pipelinetest.CheckAccounting(t, p)
}

// endless is a graph with no end: node i links to i+1 and 2i+1.
func endless(p *pipeline.Pipeline, visited *atomic.Int64) (*pipeline.Frontier[int], *pipelinetest.Collector[int]) {
	seeds := pipeline.FromSlice(p, "seeds", []int{0})
	fr := pipeline.NewFrontier(p, "frontier", seeds, pipeline.NewMemoryQueue(identity), pipeline.Buffer(1))
	pages := pipeline.FlatMap(p, "links", fr.Out(), func(ctx context.Context, i int, emit func(int) error) error {
		visited.Add(1)
		for _, n := range []int{i + 1, 2*i + 1} {
			if err := fr.Discover(n); err != nil {
				return err
			}
		}
		fr.Done()
		return emit(i)
	}, pipeline.Workers(2), pipeline.Buffer(1))
	return fr, pipelinetest.Collect(p, "sink", pages)
}

func TestFrontierCancel(t *testing.T) {
	var visited atomic.Int64
	p := pipeline.New()
	endless(p, &visited)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	waitFor(t, func() bool { return visited.Load() > 1000 })
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	pipelinetest.CheckAccounting(t, p)
}

// TestFrontierStop: Stop ends an endless crawl gracefully; Run returns
// nil and the frontier counts what it left queued as dropped.
func TestFrontierStop(t *testing.T) {
	var visited atomic.Int64
	p := pipeline.New()
	fr, sink := endless(p, &visited)
	done := make(chan error, 1)
	go func() { done <- p.Run(context.Background()) }()
	waitFor(t, func() bool { return visited.Load() > 1000 })
	p.Stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v after Stop", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after Stop")
	}
	st := stageStats(p, "frontier")
	if st.Dropped == 0 || st.Dropped < int64(fr.Len()) {
		t.Errorf("frontier %+v; %d left queued", st, fr.Len())
	}
	if int64(len(sink.Items())) != stageStats(p, "links").Out {
		t.Errorf("sink got %d, links passed %d", len(sink.Items()), stageStats(p, "links").Out)
	}
	pipelinetest.CheckAccounting(t, p)
}

// TestFrontierNoSeeds ends at once when there is nothing to crawl.
func TestFrontierNoSeeds(t *testing.T) {
	p := pipeline.New()
	seeds := pipeline.FromSlice[int](p, "seeds", nil)
	fr := pipeline.NewFrontier(p, "frontier", seeds, &pipeline.MemoryQueue[int]{})
	pipelinetest.Collect(p, "sink", fr.Out())
	if err := pipelinetest.Run(t, p, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

// TestFrontierCarriedOver: a queue that holds items from an earlier run is
// drained even with no seeds, and counted as input.
func TestFrontierCarriedOver(t *testing.T) {
	q := &pipeline.MemoryQueue[int]{}
	for i := range 5 {
		q.Push(i)
	}
	p := pipeline.New()
	fr := pipeline.NewFrontier(p, "frontier", pipeline.FromSlice[int](p, "seeds", nil), q)
	done := pipeline.Map(p, "done", fr.Out(), func(_ context.Context, v int) (int, error) { fr.Done(); return v, nil })
	sink := pipelinetest.Collect(p, "sink", done)
	if err := pipelinetest.Run(t, p, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if len(sink.Items()) != 5 || stageStats(p, "frontier").In != 5 {
		t.Fatalf("got %v, stats %+v", sink.Items(), stageStats(p, "frontier"))
	}
}

// TestFrontierDoneTooOften is a programmer error: a fatal panic.
func TestFrontierDoneTooOften(t *testing.T) {
	p := pipeline.New()
	fr := pipeline.NewFrontier(p, "frontier", pipeline.FromSlice(p, "seeds", []int{1}), &pipeline.MemoryQueue[int]{})
	twice := pipeline.Map(p, "twice", fr.Out(), func(_ context.Context, v int) (int, error) { fr.Done(); fr.Done(); return v, nil })
	pipelinetest.Collect(p, "sink", twice)
	err := pipelinetest.Run(t, p, 10*time.Second)
	var pe *pipeline.PanicError
	if !errors.As(err, &pe) || !strings.Contains(fmt.Sprint(pe.Value), "Done called more often") {
		t.Fatalf("Run = %v, want a PanicError about Done", err)
	}
}

type failingQueue struct{ pipeline.MemoryQueue[int] }

func (q *failingQueue) Push(v int) (bool, error) {
	if v > 3 {
		return false, errors.New("disk full")
	}
	return q.MemoryQueue.Push(v)
}

// TestFrontierQueueError: a queue error is fatal and names the frontier.
func TestFrontierQueueError(t *testing.T) {
	var visited atomic.Int64
	p := pipeline.New()
	seeds := pipeline.FromSlice(p, "seeds", []int{0})
	fr := pipeline.NewFrontier(p, "frontier", seeds, &failingQueue{})
	pages := pipeline.FlatMap(p, "links", fr.Out(), func(ctx context.Context, i int, emit func(int) error) error {
		visited.Add(1)
		if err := fr.DiscoverAll([]int{i + 1, i + 2}); err != nil {
			return err
		}
		fr.Done()
		return emit(i)
	})
	pipelinetest.Collect(p, "sink", pages)
	err := pipelinetest.Run(t, p, 10*time.Second)
	if err == nil || !strings.Contains(err.Error(), `frontier "frontier"`) || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Run = %v", err)
	}
	if st := stageStats(p, "frontier"); st.Failed != 1 {
		t.Errorf("frontier failed %d, want 1 (DiscoverAll stops at the first error)", st.Failed)
	}
}

func stageStats(p *pipeline.Pipeline, name string) pipeline.StageStats {
	for _, s := range p.Stats() {
		if s.Name == name {
			return s
		}
	}
	panic("no stage " + name)
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 10s")
		}
		time.Sleep(time.Millisecond)
	}
}
