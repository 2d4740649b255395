// Package gostreams connects sluice pipelines with github.com/reugn/go-streams,
// the reference streaming API of the Go ecosystem.
//
// go-streams is untyped (chan any), has no error path and no cancellation;
// sluice keeps its own typed engine and meets go-streams at a seam where
// the types are checked and errors handled:
//
//   - [Via] runs a go-streams Flow (a window, a batch, a throttler, ...) as a
//     part of a sluice pipeline;
//   - [FromSource] feeds a typed stage from a go-streams Source or Flow;
//   - [ToSink] writes a typed stream into a go-streams Sink;
//   - [AsSource] hands a typed stream to go-streams as a streams.Source.
//
// An element of the wrong type coming out of go-streams is a per-item
// failure with a message naming both types, never a panic.
package gostreams
