package progress

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sluicehq/sluice/pipeline"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLinesEveryInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var out syncBuffer
		r := New(Config{Out: &out, Interval: 2 * time.Second, Total: 10})
		var n int64
		var mu sync.Mutex
		stats := func() []pipeline.StageStats {
			mu.Lock()
			defer mu.Unlock()
			return []pipeline.StageStats{{Name: "read", Kind: "source", Emitted: n}}
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { r.Run(ctx, stats); close(done) }()
		for i := range 3 {
			mu.Lock()
			n = int64(i + 1)
			mu.Unlock()
			time.Sleep(2 * time.Second)
			synctest.Wait()
		}
		cancel()
		<-done
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(lines) != 4 {
			t.Fatalf("got %d lines, want 3 ticks + 1 final:\n%s", len(lines), out.String())
		}
		if !strings.HasPrefix(lines[0], "progress: 2s | read 1/10") || !strings.HasPrefix(lines[3], "progress: 6s | read 3/10") {
			t.Errorf("lines:\n%s", out.String())
		}
	})
}

func TestBarsDoNotBreakWithoutTerminal(t *testing.T) {
	var out syncBuffer
	r := New(Config{Out: &out, Bars: true, Total: -1})
	stats := func() []pipeline.StageStats {
		return []pipeline.StageStats{{Name: "read", Kind: "source", Emitted: 5}, {Name: "fetch", Kind: "map", In: 5, Out: 4, Failed: 1}}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r.Run(ctx, stats)
	if !strings.Contains(out.String(), "fetch") {
		t.Errorf("bars output: %q", out.String())
	}
}
