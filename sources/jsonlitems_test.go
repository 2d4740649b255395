package sources

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
)

func TestJSONLItems(t *testing.T) {
	in := `{"id": 7, "link": "https://a.example/", "tags": ["x"], "note": null}` + "\n" +
		"\n" +
		`{"id": 8, "link": "mailto:x@example.com"}` + "\n" +
		`{"id": 9}` + "\n" +
		`["not", "an", "object"]` + "\n" +
		`{"id": 10, "link": "https://b.example/"} {}` + "\n" +
		`{"id": "", "link": "https://c.example/"}` + "\n" +
		`{"link": "https://d.example/", "id": "k"`
	got, fails, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
		return JSONLItems(p, "jsonl", strings.NewReader(in), JSONLItemsConfig{URLField: "link", KeyField: "id"})
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Item{{Key: "7", URL: "https://a.example/", Line: 1,
		Columns: []string{"id", "link", "tags", "note"}, Values: []string{"7", "https://a.example/", `["x"]`, ""}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	wantFails := []struct {
		line     int
		sentinel error
		msg      string
	}{
		{3, ErrInvalidURL, `sources: line 3: invalid url "mailto:x@example.com": scheme "mailto" is not allowed`},
		{4, ErrInvalidURL, `sources: line 4: invalid url "": no "link" field`},
		{5, ErrBadJSON, `sources: line 5: invalid json: not a JSON object`},
		{6, ErrBadJSON, `sources: line 6: invalid json: data after the object`},
		{7, ErrEmptyKey, `sources: line 7: empty key in field "id"`},
		{8, ErrBadJSON, `sources: line 8: invalid json: unexpected EOF`},
	}
	if len(fails) != len(wantFails) {
		t.Fatalf("failures %v", fails)
	}
	for i, w := range wantFails {
		if f := fails[i]; failLine(f) != w.line || !errors.Is(f.Err, w.sentinel) || f.Err.Error() != w.msg {
			t.Errorf("failure %d: %v; want line %d %q", i, f.Err, w.line, w.msg)
		}
	}
}

func TestJSONLItemsDefaults(t *testing.T) {
	got, fails, err := runSource(t, func(p *pipeline.Pipeline) pipeline.Stream[Item] {
		return JSONLItems(p, "jsonl", strings.NewReader(`{"URL":"https://a.example/"}`), JSONLItemsConfig{})
	})
	if err != nil || len(fails) != 0 || len(got) != 1 || got[0].Key != "1" || got[0].URL != "https://a.example/" {
		t.Fatalf("err %v fails %v items %+v", err, fails, got)
	}
}
