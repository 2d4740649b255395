package sinks

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
)

type fakeRequest struct {
	URL string
	Key string
}

type fakeResponse struct {
	Request fakeRequest
	Body    []byte
}

func TestDefaultFailureKey(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{"https://a.test/", "https://a.test/"},
		{record.Record{Key: "k"}, "k"},
		{&record.Record{Key: "k"}, "k"},
		{(*record.Record)(nil), ""},
		{Batch[int]{Key: "b"}, "b"},
		{fakeRequest{URL: "u"}, "u"},
		{fakeRequest{URL: "u", Key: "k"}, "k"},
		{&fakeResponse{Request: fakeRequest{URL: "u"}}, "u"},
		{42, ""},
		{nil, ""},
		{struct{ Key int }{1}, ""},
	}
	for _, tt := range tests {
		if got := DefaultFailureKey(tt.in); got != tt.want {
			t.Errorf("DefaultFailureKey(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNewFailureRecord(t *testing.T) {
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.FixedZone("X", 3600))
	f := pipeline.Failure{Stage: "fetch", Input: fakeRequest{URL: "u"}, Err: errors.New("404"), Attempts: 3, Time: at}
	r := NewFailureRecord(f, DeadLetterConfig{})
	if r.Key != "u" || r.Stage != "fetch" || r.Error != "404" || r.Attempts != 3 || r.Time != at.UTC() ||
		string(r.Input) != `{"URL":"u","Key":""}` {
		t.Errorf("record %+v", r)
	}
	// Unmarshalable input: its %v form, as a JSON string.
	r = NewFailureRecord(pipeline.Failure{Input: func() {}}, DeadLetterConfig{})
	var s string
	if err := json.Unmarshal(r.Input, &s); err != nil || !strings.HasPrefix(s, "0x") {
		t.Errorf("func input stored as %s", r.Input)
	}
	// Too big: cut, still valid JSON and UTF-8.
	r = NewFailureRecord(pipeline.Failure{Input: strings.Repeat("é", 100)}, DeadLetterConfig{MaxInput: 11})
	if err := json.Unmarshal(r.Input, &s); err != nil || s != strings.Repeat("é", 5)+"…" {
		t.Errorf("big input stored as %s (%v)", r.Input, err)
	}
}

func TestDeadLetterPlainUse(t *testing.T) {
	dir := t.TempDir()
	w, _ := NewSQLite[FailureRecord](filepath.Join(dir, "dead.db"), SQLiteConfig{SQLConfig{Table: "failures"}})
	dl := NewDeadLetter(w, DeadLetterConfig{})
	p := pipeline.New(pipeline.OnFailure(dl.Handle))
	in := pipeline.FromSlice(p, "urls", []string{"u1", "u2", "u3"})
	out := pipeline.Map(p, "check", in, func(_ context.Context, u string) (string, error) {
		if u == "u2" {
			return "", pipeline.Skip(errors.New("bad item"))
		}
		return u, nil
	})
	pipeline.Sink(p, "drop", out, pipeline.WriterFunc[string](func(context.Context, string) error { return nil }))
	if err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	must(t, dl.Close(context.Background()))
	got := queryStrings(t, openDB(t, filepath.Join(dir, "dead.db")), `SELECT key, stage, error, attempts, input FROM failures`)
	if len(got) != 1 || strings.Join(got[0], "|") != `u2|check|bad item|1|"u2"` {
		t.Fatalf("failures table %q", got)
	}
}
