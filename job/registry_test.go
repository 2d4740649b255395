package job

import (
	"context"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/sinks"
	"github.com/sluicehq/sluice/stages/extract"
)

type tagOptions struct {
	Field string `yaml:"field"`
	Value string `yaml:"value"`
	Times int    `yaml:"times"`
}

func tagKind() StageKind {
	return StageKind{Options: &tagOptions{}, New: func(s StageSpec) (RecordFunc, error) {
		o := s.Options.(*tagOptions)
		return func(_ context.Context, r *record.Record) (bool, error) {
			r.Set(o.Field, strings.Repeat(o.Value, max(o.Times, 1)))
			return true, nil
		}, nil
	}}
}

func TestRegisterTwiceNamesBoth(t *testing.T) {
	reg := DefaultRegistry()
	if err := reg.RegisterStage("tag", tagKind()); err != nil {
		t.Fatal(err)
	}
	err := reg.RegisterStage("tag", tagKind())
	if err == nil || !strings.Contains(err.Error(), `stage kind "tag" registered twice`) || strings.Count(err.Error(), "registry_test.go:") != 2 {
		t.Fatalf("second registration: %v, want an error naming both places", err)
	}
	err = reg.RegisterSink("jsonl", SinkKind{New: func(SinkSpec) (sinks.Target[record.Record], error) { return nil, nil }})
	if err == nil || !strings.Contains(err.Error(), `sink kind "jsonl" registered twice: first at kinds.go:`) {
		t.Fatalf("re-registering a built-in: %v", err)
	}
	if err := reg.RegisterStage("bad", StageKind{Options: tagOptions{}, New: tagKind().New}); err == nil {
		t.Fatal("Options that is not a pointer to a struct was accepted")
	}
	if err := reg.RegisterSource("nil", SourceKind{}); err == nil {
		t.Fatal("a source kind without Build was accepted")
	}
}

const stageJob = `source: {kind: lines, path: urls.txt}
parse:
  html: {fields: [{name: title, selector: h1}]}
stages:
  - {kind: tag, field: shop, value: "ab", times: 2}
sink: {path: out.jsonl}
`

func TestKindOptionsDecodedStrictly(t *testing.T) {
	reg := DefaultRegistry()
	if err := reg.RegisterStage("tag", tagKind()); err != nil {
		t.Fatal(err)
	}
	j, err := Decode("job.yaml", []byte(stageJob), Options{Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	o, ok := j.Stages[0].Options.(*tagOptions)
	if !ok || o.Field != "shop" || o.Value != "ab" || o.Times != 2 || j.Stages[0].Name != "tag" {
		t.Fatalf("stage spec %+v options %+v", j.Stages[0], o)
	}
	r := record.Record{}
	if keep, err := j.comp.stages[0](context.Background(), &r); !keep || err != nil {
		t.Fatal(keep, err)
	}
	if v, _ := r.Get("shop"); v != "abab" {
		t.Fatalf("stage set %v", v)
	}

	for _, tc := range []struct{ yaml, want string }{
		{strings.Replace(stageJob, "times: 2", "timse: 2", 1), `job.yaml:5:43: unknown key "timse" in stages[0]; did you mean "times"?`},
		{strings.Replace(stageJob, "times: 2", "times: two", 1), `job.yaml:5:50: stages[0].times: wrong type: want an integer, got "two"`},
		{strings.Replace(stageJob, "kind: tag", "kind: tga", 1), `unknown stage kind "tga"; did you mean "tag"?`},
		{strings.Replace(stageJob, "{kind: tag,", "{", 1), `missing required field "stages[0].kind"`},
	} {
		_, err := Decode("job.yaml", []byte(tc.yaml), Options{Registry: reg})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("decode:\n%s\ngot  %v\nwant %s", tc.yaml, err, tc.want)
		}
	}
	if _, err := Decode("job.yaml", []byte(stageJob), Options{}); err == nil || !strings.Contains(err.Error(), `unknown stage kind "tag"`) {
		t.Fatalf("a kind the registry lacks: %v", err)
	}
}

func TestValidateAJobLiteral(t *testing.T) {
	j := &Job{Source: SourceSpec{Kind: "lines", Path: "urls.txt"},
		Parse: ParseSpec{HTML: &HTMLSpec{Fields: []extract.Field{{Name: "t", Selector: "h1"}}}},
		Sink:  SinkSpec{Path: "out.jsonl"}}
	if err := j.Validate(); err != nil {
		t.Fatal(err)
	}
	if j.Sink.Kind != "jsonl" || j.comp.html == nil {
		t.Fatalf("defaults not filled: %+v", j.Sink)
	}
	j.Parse.HTML.Fields[0].Selector = "h1[" // broken
	if err := j.Validate(); err == nil || !strings.Contains(err.Error(), "invalid CSS selector") {
		t.Fatalf("broken selector: %v", err)
	}
	if _, err := Parse([]byte("source: {kind: lines, path: u.txt}\nparse: {html: {fields: [{name: t, selector: h1}]}}\nsink: {path: o.csv}\n"), Options{}); err != nil {
		t.Fatal(err)
	}
}
