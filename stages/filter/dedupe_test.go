package filter_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/pipeline/pipelinetest"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/filter"
)

func identity(s string) string { return s }

func TestDedupeExactWithinLimit(t *testing.T) {
	d := filter.NewDedupe(identity, 100)
	var kept []string
	for _, k := range []string{"a", "b", "a", "c", "b", "", "", "a"} {
		if ok, _ := d.Keep(context.Background(), k); ok {
			kept = append(kept, k)
		}
	}
	if fmt.Sprint(kept) != "[a b c  ]" {
		t.Errorf("kept %q", kept)
	}
	if s := d.Stats(); s.Kept != 5 || s.Dropped != 3 || s.Evicted != 0 || s.Size != 3 {
		t.Errorf("stats %+v", s)
	}
}

// TestDedupeOverflowForgetsLeastRecent pins the documented overflow
// behaviour: beyond the limit the least recently seen key is forgotten, so
// its repeat passes again; recently seen keys are still dropped.
func TestDedupeOverflowForgetsLeastRecent(t *testing.T) {
	d := filter.NewDedupe(identity, 3)
	for _, k := range []string{"a", "b", "c"} {
		d.First(k)
	}
	if d.First("a") { // a is now most recent: order b, c, a
		t.Fatal("a repeated within the limit was kept")
	}
	if !d.First("d") { // forgets b
		t.Fatal("new key dropped")
	}
	if !d.First("b") { // b was forgotten: passes again (and forgets c)
		t.Error("forgotten key b was dropped")
	}
	if d.First("a") || d.First("d") {
		t.Error("recent keys a, d were kept")
	}
	if s := d.Stats(); s.Evicted != 2 || s.Size != 3 {
		t.Errorf("stats %+v", s)
	}
}

func TestDedupePanicsOnBadArgs(t *testing.T) {
	for name, f := range map[string]func(){
		"nil key": func() { filter.NewDedupe[string](nil, 1) },
		"limit 0": func() { filter.NewDedupe(identity, 0) },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || fmt.Sprint(r)[:7] != "filter:" {
					t.Errorf("%s: recovered %v", name, r)
				}
			}()
			f()
		}()
	}
}

// TestDedupeInPipeline runs Dedupe as a Filter stage with 1 and 8 workers:
// each of 200 distinct URLs (written in several equivalent spellings,
// normalised for the key) comes out exactly once.
func TestDedupeInPipeline(t *testing.T) {
	n := filter.NewURLNormalizer(filter.SortQuery())
	var in []record.Record
	for i := range 200 {
		for _, form := range []string{"http://Shop.Example:80/p/%d?b=2&a=1", "http://shop.example/p/./%d?a=1&b=2#x", "HTTP://shop.example/p/%d?a=1&b=2"} {
			in = append(in, record.Record{Key: strconv.Itoa(i), Fields: []record.Field{{Name: "url", Value: fmt.Sprintf(form, i)}}})
		}
	}
	for _, workers := range []int{1, 8} {
		d := filter.NewDedupe(filter.NormalizedKey(filter.FieldKey("url"), n), 1000)
		p := pipeline.New()
		src := pipeline.FromSeq(p, "records", func(yield func(record.Record) bool) {
			for _, r := range in {
				if !yield(r) {
					return
				}
			}
		})
		out := pipelinetest.Collect(p, "out", pipeline.Filter(p, "dedupe", src, d.Keep, pipeline.Workers(workers)))
		if err := pipelinetest.Run(t, p, time.Minute); err != nil {
			t.Fatal(err)
		}
		pipelinetest.CheckAccounting(t, p)
		seen := map[string]int{}
		for _, r := range out.Items() {
			seen[r.Key]++
		}
		if len(seen) != 200 || len(out.Items()) != 200 {
			t.Errorf("workers %d: %d records, %d distinct", workers, len(out.Items()), len(seen))
		}
		if s := d.Stats(); s.Kept != 200 || s.Dropped != 400 {
			t.Errorf("workers %d: stats %+v", workers, s)
		}
	}
}

func BenchmarkDedupe(b *testing.B) {
	keys := make([]string, 1<<16)
	for i := range keys {
		keys[i] = "https://shop.example/p/" + strconv.Itoa(i%40000)
	}
	b.Run("sluice-limit-1M", func(b *testing.B) {
		d := filter.NewDedupe(identity, 1<<20)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			d.First(keys[i&(len(keys)-1)])
			i++
		}
	})
	b.Run("plain-map-mutex", func(b *testing.B) { // unbounded: the hand-written baseline
		var mu sync.Mutex
		seen := map[string]struct{}{}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			k := keys[i&(len(keys)-1)]
			mu.Lock()
			if _, ok := seen[k]; !ok {
				seen[k] = struct{}{}
			}
			mu.Unlock()
			i++
		}
	})
}
