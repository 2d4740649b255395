package pipeline_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/pipeline/pipelinetest"
)

// TestBatchSizeAndWait runs in a synctest bubble: a batch is cut by size,
// by the wait since its first item, and at the end of input.
func TestBatchSizeAndWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		feed := make(chan int)
		p := pipeline.New()
		b := pipeline.Batch(p, "batch", pipeline.FromChan(p, "feed", feed), 3, time.Second)
		got := pipelinetest.Collect(p, "sink", b)
		done := make(chan error)
		go func() { done <- p.Run(context.Background()) }()
		for i := range 4 { // 0,1,2 fill a batch; 3 waits for the timer
			feed <- i
		}
		synctest.Wait()
		if n := len(got.Items()); n != 1 {
			t.Fatalf("before the wait: %d batches, want 1", n)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if n := len(got.Items()); n != 2 {
			t.Fatalf("after the wait: %d batches, want 2", n)
		}
		feed <- 4
		close(feed)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		want := [][]int{{0, 1, 2}, {3}, {4}}
		if !slices.EqualFunc(got.Items(), want, slices.Equal[[]int]) {
			t.Fatalf("batches %v, want %v", got.Items(), want)
		}
		if s := stats(p)["batch"]; s.In != 5 || s.Out != 5 || s.Emitted != 3 {
			t.Fatalf("stats %+v", s)
		}
	})
}

func TestMergeAndBroadcast(t *testing.T) {
	p := pipeline.New()
	a := pipeline.FromSlice(p, "a", ints(100))
	b := pipeline.FromSeq(p, "b", slices.Values([]int{1000, 1001}))
	branches := pipeline.Broadcast(p, "fan", pipeline.Merge(p, "merge", a, b), 2)
	left := pipelinetest.Collect(p, "left", branches[0])
	right := pipelinetest.Collect(p, "right", pipeline.Map(p, "neg", branches[1],
		func(_ context.Context, v int) (int, error) { return -v, nil }))
	if err := pipelinetest.Run(t, p, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	l, r := left.Items(), right.Items()
	slices.Sort(l)
	if want := append(ints(100), 1000, 1001); !slices.Equal(l, want) {
		t.Fatalf("left %v", l)
	}
	if len(r) != 102 {
		t.Fatalf("right has %d", len(r))
	}
	if s := stats(p)["fan"]; s.In != 102 || s.Emitted != 204 {
		t.Fatalf("fan stats %+v", s)
	}
	pipelinetest.CheckAccounting(t, p)
	g := p.Graph()
	if len(g.Stages) != 7 || len(g.Edges) != 6 {
		t.Fatalf("graph %+v", g)
	}
	for _, want := range []string{`"fan" -> "left" [label="0"]`, `"merge" -> "fan"`} {
		if !strings.Contains(g.DOT(), want) {
			t.Fatalf("DOT lacks %s:\n%s", want, g.DOT())
		}
	}
	if !strings.Contains(g.Mermaid(), "-->|1|") {
		t.Fatalf("mermaid:\n%s", g.Mermaid())
	}
}

// TestStatsWhileRunning reads Stats concurrently with the run (the race
// detector checks the reads) and sees progress before the end.
func TestStatsWhileRunning(t *testing.T) {
	p := pipeline.New()
	gate := make(chan struct{})
	m := pipeline.Map(p, "work", pipeline.FromSlice(p, "src", ints(2000)), func(ctx context.Context, v int) (int, error) {
		if v == 1000 {
			<-gate
		}
		return v, nil
	}, pipeline.Workers(4))
	pipelinetest.Collect(p, "sink", m)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(gate)
		for range 10000 {
			s := stats(p)["work"]
			if s.InFlight >= 1 && s.Out >= 900 {
				return
			}
			time.Sleep(time.Millisecond)
		}
		t.Errorf("never saw the stuck item in flight with progress around it: %+v", stats(p)["work"])
	}()
	if err := pipelinetest.Run(t, p, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if s := stats(p)["work"]; s.Out != 2000 || s.InFlight != 0 || s.Workers != 4 || s.Busy <= 0 {
		t.Fatalf("final stats %+v", s)
	}
}

func TestStopBeforeRun(t *testing.T) {
	p := pipeline.New()
	c := pipelinetest.Collect(p, "sink", infinite(p))
	p.Stop()
	if err := pipelinetest.Run(t, p, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	// The first Emit reports the stop; the one item handed to it is
	// delivered, not lost.
	if got := c.Items(); len(got) != 1 || got[0] != 0 || c.Closes() != 1 {
		t.Fatalf("items %v closes %d", got, c.Closes())
	}
}
