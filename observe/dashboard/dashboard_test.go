package dashboard_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sluicehq/sluice/observe"
	"github.com/sluicehq/sluice/observe/dashboard"
	"github.com/sluicehq/sluice/pipeline"
)

// events is a small run: read → fetch → write, fetch saturated.
func events() []observe.Event {
	t0 := time.Unix(1_700_000_000, 0)
	graph := pipeline.Graph{Stages: []pipeline.GraphStage{{Name: "read", Kind: "source", Workers: 1},
		{Name: "fetch", Kind: "map", Workers: 4}, {Name: "write", Kind: "sink", Workers: 1}},
		Edges: []pipeline.GraphEdge{{From: "read", To: "fetch"}, {From: "fetch", To: "write"}}}
	stats := func(n int64, busy time.Duration) []pipeline.StageStats {
		return []pipeline.StageStats{
			{Name: "read", Kind: "source", Workers: 1, Emitted: 2 * n, Busy: busy / 20},
			{Name: "fetch", Kind: "map", Workers: 4, In: 2 * n, Out: n - 1, Failed: 1, InFlight: 4, Busy: 4 * busy},
			{Name: "write", Kind: "sink", Workers: 1, In: n - 1, Out: n - 1, Busy: busy / 10},
		}
	}
	ev := []observe.Event{&observe.RunStarted{Time: t0, Job: "shop", Total: 100, Graph: graph, Output: "out.jsonl"}}
	for i, host := range []string{"a.example", "a.example:80", "b.example:8080", "a.example"} {
		ev = append(ev, &observe.Fetch{Host: host, Status: []int{200, 200, 503, 404}[i], Attempts: 1 + i%3,
			Latency: time.Duration(10*(i+1)) * time.Millisecond, Wait: time.Millisecond})
	}
	for i := range 5 {
		ev = append(ev, &observe.Failure{Stage: "fetch", Reason: "HTTP 404", Status: 404, URL: "http://a.example/" + string(rune('a'+i))})
	}
	ev = append(ev, &observe.Failure{Stage: "parse", Reason: "missing title", Key: "k9"},
		&observe.StageSnapshot{Elapsed: time.Second, Stages: stats(10, time.Second), Queues: map[string]int{"fetch": 10}},
		&observe.Committed{Records: 9},
		&observe.StageSnapshot{Elapsed: 2 * time.Second, Stages: stats(20, 2*time.Second), Queues: map[string]int{"fetch": 20}},
		&observe.Committed{Records: 10})
	return ev
}

func TestFrame(t *testing.T) {
	d := dashboard.New(dashboard.Config{})
	for _, e := range events() {
		d.Observe(e)
	}
	f := d.Frame()
	if f.State != "running" || f.Job != "shop" || f.Elapsed != 2 {
		t.Errorf("state %q job %q elapsed %v", f.State, f.Job, f.Elapsed)
	}
	want := dashboard.Ledger{Total: 100, Inputs: 40, Done: 20, Failed: 1, Written: 19, Rounds: 2, Rate: 10, ETA: 8}
	if f.Ledger != want {
		t.Errorf("ledger\n got %+v\nwant %+v", f.Ledger, want)
	}
	if f.Bottleneck != "fetch" || !strings.Contains(f.Why, "100%") {
		t.Errorf("bottleneck %q (%s)", f.Bottleneck, f.Why)
	}
	if got := f.Stages[1]; got.Queue != 20 || got.Busy != 1 || got.Rate != 10 || got.Out != 19 {
		t.Errorf("fetch row %+v", got)
	}
	if len(f.Hosts) != 2 || f.Hosts[0].Host != "a.example" || f.Hosts[0].Requests != 3 || f.Hosts[0].Codes["404"] != 1 {
		t.Fatalf("hosts %+v", f.Hosts)
	}
	if h := f.Hosts[1]; h.Host != "b.example:8080" || h.Retries != 2 || h.Wait != 0.001 {
		t.Errorf("host b %+v", h)
	}
	if f.Fetch.Requests != 4 || f.Fetch.Retries != 3 || f.Fetch.Codes["200"] != 2 {
		t.Errorf("fetch totals %+v", f.Fetch)
	}
	if len(f.Failures) != 2 || f.Failures[0].Count != 5 || len(f.Failures[0].Samples) != 3 || f.Failures[1].Samples[0] != "k9" {
		t.Errorf("failures %+v", f.Failures)
	}
	if p50, p95 := f.Series.P50[0], f.Series.P95[0]; p50 < 19 || p50 > 21 || p95 < 38 || p95 > 42 {
		t.Errorf("latency p50 %v p95 %v, want about 20 and 40 ms", p50, p95)
	}
}

// A run counts its inputs beside the pipeline: RunStarted says -1 and a
// later snapshot carries the count, which the ledger and its ETA take.
func TestFrameTakesTheCountFromSnapshots(t *testing.T) {
	for _, counted := range []bool{true, false} {
		d := dashboard.New(dashboard.Config{})
		ev := events()
		ev[0].(*observe.RunStarted).Total = -1
		if counted {
			ev[len(ev)-4].(*observe.StageSnapshot).Total = 100 // the first snapshot; the last says -1
		}
		ev[len(ev)-2].(*observe.StageSnapshot).Total = -1
		for _, e := range ev {
			d.Observe(e)
		}
		want := dashboard.Ledger{Total: -1, Inputs: 40, Done: 20, Failed: 1, Written: 19, Rounds: 2, Rate: 10, ETA: -1}
		if counted {
			want.Total, want.ETA = 100, 8
		}
		if f := d.Frame(); f.Ledger != want {
			t.Errorf("counted %v: ledger\n got %+v\nwant %+v", counted, f.Ledger, want)
		}
	}
}

// Inputs a sink refused at commit went through every stage, whose
// counters count them done: the ledger counts them failed too.
func TestFrameCountsInputsASinkRefused(t *testing.T) {
	d := dashboard.New(dashboard.Config{})
	ev := events()
	ev = append(ev[:len(ev)-2], append([]observe.Event{&observe.Committed{Records: 3, Failed: []string{"k1", "k2"}, Rejected: 2}}, ev[len(ev)-2:]...)...)
	for _, e := range ev {
		d.Observe(e)
	}
	want := dashboard.Ledger{Total: 100, Inputs: 40, Done: 20, Failed: 3, Written: 22, Rounds: 3, Rate: 10, ETA: 8}
	if f := d.Frame(); f.Ledger != want {
		t.Errorf("ledger\n got %+v\nwant %+v", f.Ledger, want)
	}
}

func TestFrameFinished(t *testing.T) {
	d := dashboard.New(dashboard.Config{})
	ev := events()
	for _, e := range ev {
		d.Observe(e)
	}
	last := ev[len(ev)-2].(*observe.StageSnapshot).Stages
	d.Observe(&observe.RunFinished{Elapsed: 3 * time.Second, Outcome: observe.FailedPolicy, Err: errors.New("too many"), Stages: last, Dropped: 2})
	f := d.Frame()
	if f.State != "failed: too many failures" || f.Error != "too many" || f.Dropped != 2 || f.Ledger.ETA != 0 {
		t.Errorf("final frame %q %q dropped %d eta %v", f.State, f.Error, f.Dropped, f.Ledger.ETA)
	}
	if f.Bottleneck != "fetch" || !strings.Contains(f.Why, "whole run") {
		t.Errorf("bottleneck %q (%s)", f.Bottleneck, f.Why)
	}
}

// TestEventsReconnect reads the event stream, leaves, and comes back: a
// new client first gets the whole current state, then the final one.
func TestEventsReconnect(t *testing.T) {
	d := dashboard.New(dashboard.Config{Interval: 10 * time.Millisecond})
	srv := httptest.NewServer(d.Handler())
	defer srv.Close()
	defer d.Close()
	ev := events()
	for _, e := range ev[:5] {
		d.Observe(e)
	}
	c := openEvents(t, srv.URL)
	if f := c.next(t); f.Job != "shop" || f.Fetch.Requests != 4 {
		t.Fatalf("first frame %+v", f)
	}
	c.close()
	for _, e := range ev[5:] {
		d.Observe(e)
	}
	c = openEvents(t, srv.URL)
	if f := c.next(t); f.Ledger.Written != 19 || len(f.Failures) != 2 || len(f.Series.T) != 2 {
		t.Fatalf("reconnected frame %+v", f.Ledger)
	}
	d.Observe(&observe.RunFinished{Elapsed: 3 * time.Second, Outcome: observe.Complete})
	if f := c.next(t); f.State != "complete" {
		t.Fatalf("after the run: %q", f.State)
	}
	d.Close()
	for c.sc.Scan() { // bounded: Close ends the stream
		if strings.HasPrefix(c.sc.Text(), "data: ") {
			t.Errorf("a frame after Close")
		}
	}
	c.close()
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

type eventClient struct {
	resp *http.Response
	sc   *bufio.Scanner
}

func openEvents(t *testing.T, url string) *eventClient {
	t.Helper()
	resp, err := http.Get(url + "/events")
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<22)
	return &eventClient{resp: resp, sc: sc}
}

func (c *eventClient) next(t *testing.T) dashboard.Frame {
	t.Helper()
	for c.sc.Scan() {
		data, ok := strings.CutPrefix(c.sc.Text(), "data: ")
		if !ok {
			continue
		}
		var f dashboard.Frame
		if err := json.Unmarshal([]byte(data), &f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	t.Fatalf("stream ended: %v", c.sc.Err())
	return dashboard.Frame{}
}

func (c *eventClient) close() { c.resp.Body.Close() }
