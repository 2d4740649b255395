package sinks

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
)

type product struct {
	ID     string    `sluice:"id,key"`
	Name   string    `json:"name,omitempty"`
	Price  float64   `sluice:"price"`
	Stock  int       `sluice:"stock"`
	Tags   []string  `sluice:"tags"`
	Seen   time.Time `sluice:"seen"`
	secret string
	Skip   string `sluice:"-"`
}

func rec(key string, kv ...any) record.Record {
	r := record.Record{Key: key, URL: "https://example.test/" + key}
	for i := 0; i < len(kv); i += 2 {
		r.Set(kv[i].(string), kv[i+1])
	}
	return r
}

func writeAll[T any](t *testing.T, w pipeline.Writer[T], items ...T) {
	t.Helper()
	ctx := context.Background()
	for _, it := range items {
		if err := w.Write(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

func readLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func TestJSONLRecordsAndStructs(t *testing.T) {
	dir := t.TempDir()
	rp := filepath.Join(dir, "r.jsonl")
	w, err := NewJSONL[record.Record](rp, JSONLConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(rp); !os.IsNotExist(err) {
		t.Fatal("constructor created the file")
	}
	writeAll(t, w, rec("a", "title", "A \"quoted\"\n<b>", "n", 3, "nested", map[string]any{"x": []any{1.5, "y"}}, "nan", math.NaN()))
	got := readLines(t, rp)
	want := []map[string]any{{"key": "a", "url": "https://example.test/a", "title": "A \"quoted\"\n<b>", "n": 3.0,
		"nested": map[string]any{"x": []any{1.5, "y"}}, "nan": nil}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}

	sp := filepath.Join(dir, "s.jsonl")
	ws, _ := NewJSONL[*product](sp, JSONLConfig{})
	seen := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	writeAll(t, ws, &product{ID: "p1", Name: "Pen", Price: 1.25, Stock: 7, Tags: []string{"a"}, Seen: seen, secret: "x", Skip: "y"})
	b, _ := os.ReadFile(sp)
	wantLine := `{"id":"p1","name":"Pen","price":1.25,"stock":7,"tags":["a"],"seen":"2026-01-02T03:04:05Z"}` + "\n"
	if string(b) != wantLine {
		t.Fatalf("struct line\n got %s\nwant %s", b, wantLine)
	}
}

func TestJSONLAppendCutsTornLine(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.jsonl")
	os.WriteFile(p, []byte("{\"key\":\"old\"}\n{\"key\":\"to"), 0o644)
	w, _ := NewJSONL[record.Record](p, JSONLConfig{FileConfig{Append: true}})
	writeAll(t, w, record.Record{Key: "new"})
	got := readLines(t, p)
	if len(got) != 2 || got[0]["key"] != "old" || got[1]["key"] != "new" {
		t.Fatalf("got %v", got)
	}
}

func TestJSONLTruncatesByDefault(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.jsonl")
	os.WriteFile(p, []byte("{\"key\":\"old\"}\n"), 0o644)
	w, _ := NewJSONL[record.Record](p, JSONLConfig{})
	writeAll(t, w, record.Record{Key: "new"})
	if got := readLines(t, p); len(got) != 1 || got[0]["key"] != "new" {
		t.Fatalf("got %v", got)
	}
}

func TestUnencodableValueIsSkipped(t *testing.T) {
	w, _ := NewJSONL[record.Record](filepath.Join(t.TempDir(), "a.jsonl"), JSONLConfig{})
	defer w.Close(context.Background())
	err := w.Write(context.Background(), rec("a", "ch", make(chan int)))
	var ve *ValueError
	if !pipeline.IsSkip(err) || !asErr(err, &ve) || ve.Column != "ch" {
		t.Fatalf("Write = %v, want a skipped *ValueError for column ch", err)
	}
}

func TestCSV(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.csv")
	w, err := NewCSV[record.Record](p, CSVConfig{EscapeFormulas: true})
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, w,
		rec("a", "title", "x, \"y\"\nz", "formula", "=1+2", "n", -5),
		rec("b", "formula", "@SUM(A1)"), // absent title: empty cell
		rec("c", "title", " lead", "formula", "\tx", "n", 1.5))
	f, _ := os.Open(p)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"key", "url", "title", "formula", "n"},
		{"a", "https://example.test/a", "x, \"y\"\nz", "'=1+2", "-5"},
		{"b", "https://example.test/b", "", "'@SUM(A1)", ""},
		{"c", "https://example.test/c", " lead", "'\tx", "1.5"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("got  %q\nwant %q", rows, want)
	}
}

func TestCSVUnknownColumnIsSkipped(t *testing.T) {
	w, _ := NewCSV[record.Record](filepath.Join(t.TempDir(), "a.csv"), CSVConfig{})
	defer w.Close(context.Background())
	ctx := context.Background()
	if err := w.Write(ctx, rec("a", "x", 1)); err != nil {
		t.Fatal(err)
	}
	err := w.Write(ctx, rec("b", "y", 1))
	var ce *ColumnError
	if !pipeline.IsSkip(err) || !asErr(err, &ce) || ce.Column != "y" {
		t.Fatalf("Write = %v, want skipped *ColumnError{y}", err)
	}
}

func TestCSVStructHeaderAndAppendKeepsHeader(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.csv")
	w, _ := NewCSV[product](p, CSVConfig{Comma: ';'})
	writeAll(t, w, product{ID: "1", Name: "a;b"})
	w2, _ := NewCSV[product](p, CSVConfig{Comma: ';', FileConfig: FileConfig{Append: true}})
	writeAll(t, w2, product{ID: "2", Price: 2})
	b, _ := os.ReadFile(p)
	want := "id;name;price;stock;tags;seen\n1;\"a;b\";0;0;;0001-01-01T00:00:00Z\n2;;2;0;;0001-01-01T00:00:00Z\n"
	if string(b) != want {
		t.Fatalf("got\n%s\nwant\n%s", b, want)
	}
}

func TestUnsupportedItemType(t *testing.T) {
	if _, err := NewJSONL[int]("x", JSONLConfig{}); err == nil || !strings.Contains(err.Error(), "unsupported item type") {
		t.Fatalf("err = %v", err)
	}
	type dup struct {
		A string `json:"x"`
		B string `sluice:"X"`
	}
	if _, err := NewCSV[dup]("x", CSVConfig{}); err == nil {
		t.Fatal("duplicate column names accepted")
	}
}

func asErr[E error](err error, target *E) bool {
	return err != nil && errorsAs(err, target)
}

func TestWriterSinks(t *testing.T) {
	var jb, cb strings.Builder
	j, err := NewJSONLWriter[product](&jb, JSONLConfig{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCSVWriter[record.Record](&cb, CSVConfig{Comma: ';'})
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, j, product{ID: "1", Name: "a"}, product{ID: "2"})
	writeAll(t, c, rec("a", "x", "1;2"))
	if want := `{"id":"1","name":"a","price":0,"stock":0,"tags":null,"seen":"0001-01-01T00:00:00Z"}` + "\n" +
		`{"id":"2","name":"","price":0,"stock":0,"tags":null,"seen":"0001-01-01T00:00:00Z"}` + "\n"; jb.String() != want {
		t.Errorf("jsonl:\n%s", jb.String())
	}
	if want := "key;url;x\na;https://example.test/a;\"1;2\"\n"; cb.String() != want {
		t.Errorf("csv:\n%q", cb.String())
	}
	j2, _ := NewJSONLWriter[record.Record](&jb, JSONLConfig{})
	if _, err := NewCommitter(nil, []Target[record.Record]{j2}, nil, CommitterConfig{}); !errors.Is(err, errStream) {
		t.Errorf("NewCommitter with a writer sink = %v", err)
	}
}
