package sinks

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/sluicehq/sluice/record"
)

// FuzzJSONString checks the hand-written string encoder against
// encoding/json: same decoded value, always valid JSON, never a newline.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "q\"b\\", "\x00\x1f\n\r\t", "\u2028\u2029", "\xff\xfe", "é日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendJSONString(nil, s)
		want, _ := json.Marshal(s)
		if bytes.IndexByte(got, '\n') >= 0 {
			t.Fatalf("newline in %q", got)
		}
		var a, b string
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("invalid JSON %q: %v", got, err)
		}
		json.Unmarshal(want, &b)
		if a != b {
			t.Fatalf("decodes to %q, encoding/json's to %q", a, b)
		}
	})
}

// FuzzCSVCell checks that any cell survives a round trip through
// encoding/csv's reader, formulas escaped or not.
func FuzzCSVCell(f *testing.F) {
	for _, s := range []string{"", "a,b", "\"q\"", " lead", "line\nbreak", "\r\n", "=1+1", "-2", "@x"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, escape bool) {
		if !utfValid(s) {
			return // encoding/csv replaces invalid UTF-8 on read
		}
		e := &csvEncoder{cfg: CSVConfig{Comma: ',', EscapeFormulas: escape}}
		r := row{cols: []string{"a", "b"}, vals: []any{s, "x"}}
		e.setHeader(r.cols)
		line, err := e.appendRows(nil, []row{r})
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(line)).ReadAll()
		if err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		want := s
		if escape && isFormula(s) {
			want = "'" + s
		}
		// encoding/csv turns \r\n inside a quoted field into \n.
		want = string(bytes.ReplaceAll([]byte(want), []byte("\r\n"), []byte("\n")))
		if len(recs) != 2 || !reflect.DeepEqual(recs[1], []string{want, "x"}) {
			t.Fatalf("cell %q: read back %q", s, recs)
		}
	})
}

func utfValid(s string) bool { return bytes.Equal([]byte(s), bytes.ToValidUTF8([]byte(s), nil)) }

// FuzzRecordValues feeds arbitrary field names and strings through every
// file encoder: a value that converts must encode to valid lines.
func FuzzRecordValues(f *testing.F) {
	f.Add("title", "value", int64(3), 1.5)
	f.Fuzz(func(t *testing.T, name, s string, n int64, x float64) {
		r := record.Record{Key: s}
		r.Set(name, s)
		r.Set(name+"_n", n)
		r.Set(name+"_x", x)
		var rw row
		var cache []string
		if err := recordRow(&r, &rw, &cache, ""); err != nil {
			return
		}
		line, _ := jsonlEncoder{}.appendRows(nil, []row{rw})
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("invalid JSONL %q: %v", line, err)
		}
	})
}
