package sinks

import (
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
