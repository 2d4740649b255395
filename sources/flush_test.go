package sources_test

import (
	"context"
	"io"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/sources"
)

// TestLinesDeliverWhileInputWaits: URLs read from a pipe reach the next
// stage while the writer has not written more (nor closed), even when the
// next stage was busy as they were read. It runs in a synctest bubble: the
// busy sleep takes no real time, and the 10 s wait fires only if the items
// really are held back (everything blocked), never on a slow machine.
func TestLinesDeliverWhileInputWaits(t *testing.T) {
	synctest.Test(t, linesDeliverWhileInputWaits)
}

func linesDeliverWhileInputWaits(t *testing.T) {
	pr, pw := io.Pipe()
	p := pipeline.New()
	items := sources.Lines(p, "stdin", pr, sources.LinesConfig{})
	got := make(chan string, 10)
	pipeline.Sink(p, "sink", items, pipeline.WriterFunc[sources.Item](func(_ context.Context, it sources.Item) error {
		time.Sleep(5 * time.Millisecond) // busy, so the source holds items back
		got <- it.URL
		return nil
	}))
	done := make(chan error, 1)
	go func() { done <- p.Run(context.Background()) }()
	if _, err := io.WriteString(pw, "https://a.example/1\nhttps://a.example/2\nhttps://a.example/3\n"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		select {
		case u := <-got:
			if want := "https://a.example/" + string(rune('0'+i)); u != want {
				t.Fatalf("got %s, want %s", u, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("item %d never arrived while the pipe stayed open", i)
		}
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
