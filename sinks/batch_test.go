package sinks

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/sluicehq/sluice/pipeline"
)

func TestGrouped(t *testing.T) {
	split := func(_ context.Context, s string, emit func(string) error) error {
		if s == "bad" {
			return pipeline.Skip(errors.New("bad input"))
		}
		for _, w := range strings.Fields(s) {
			if err := emit(w); err != nil {
				return err
			}
		}
		return nil
	}
	fn := Grouped(strings.ToUpper, split)
	b, err := fn(context.Background(), "a b")
	if err != nil || !reflect.DeepEqual(b, Batch[string]{Key: "A B", Items: []string{"a", "b"}}) {
		t.Fatalf("Grouped = %+v, %v", b, err)
	}
	if b, err := fn(context.Background(), ""); err != nil || b.Key != "" || len(b.Items) != 0 {
		t.Fatalf("empty input = %+v, %v", b, err)
	}
	if _, err := fn(context.Background(), "bad"); !pipeline.IsSkip(err) {
		t.Fatalf("error = %v, want the Skip passed through", err)
	}
}
