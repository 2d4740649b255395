package sinks

import (
	"errors"

	"github.com/sluicehq/sluice/pipeline"
)

// errClosed is returned by writes after Close.
var errClosed = errors.New("sinks: sink is closed")

// skip marks a per-item error so the engine dead-letters the item.
func skip(err error) error { return pipeline.Skip(err) }
