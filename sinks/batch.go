package sinks

import (
	"context"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
)

// Batch is everything one input produced: the unit a [Committer] commits
// atomically. Items may be empty (a page filtered out or with no matches):
// the key is still done once committed.
type Batch[T any] struct {
	// Key is the input's stable key (its URL or a CSV column).
	Key string
	// Items are the input's outputs, in order.
	Items []T
}

func (b Batch[T]) inputKey() string { return b.Key }

// The sinks and the Committer are pipeline writers.
var (
	_ pipeline.Writer[record.Record]        = (*JSONL[record.Record])(nil)
	_ pipeline.Writer[record.Record]        = (*CSV[record.Record])(nil)
	_ pipeline.Writer[record.Record]        = (*SQLite[record.Record])(nil)
	_ pipeline.Writer[record.Record]        = (*Postgres[record.Record])(nil)
	_ pipeline.Writer[Batch[record.Record]] = (*Committer[record.Record])(nil)
	_ Target[FailureRecord]                 = (*JSONL[FailureRecord])(nil)
)

// Grouped adapts a 0..N stage function (the FlatMap kind, such as a parser
// emitting one record per list item) into a Map function returning the
// Batch of everything fn emitted for one input, keyed by key(in). Use it
// in front of a Committer so that an input's items are committed together:
//
//	batches := pipeline.Map(p, "parse", pages, sinks.Grouped(pageKey, parse))
//
// An error from fn is returned as is (a pipeline.Skip stays a Skip), and
// the items emitted before it are dropped.
func Grouped[In, T any](key func(In) string, fn func(ctx context.Context, in In, emit func(T) error) error) func(ctx context.Context, in In) (Batch[T], error) {
	return func(ctx context.Context, in In) (Batch[T], error) {
		b := Batch[T]{Key: key(in)}
		err := fn(ctx, in, func(v T) error {
			b.Items = append(b.Items, v)
			return nil
		})
		if err != nil {
			return Batch[T]{}, err
		}
		return b, nil
	}
}
