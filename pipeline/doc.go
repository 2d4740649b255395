// Package pipeline is sluice's engine: typed stages joined by channels, each
// with its own parallelism, built first and then run.
//
// # Building
//
// A [Pipeline] is built with free generic functions: sources ([Source],
// [FromSeq], [FromSlice], [FromChan]), transforms ([Map], [FlatMap], [Filter],
// [Batch]), fan-in and fan-out ([Merge], [Broadcast]) and [Sink]. Each takes
// the pipeline, a stage name, its input [Stream] and returns its output
// Stream, so the compiler checks every edge; no interface{} travels on the
// data path. Building starts no goroutine and opens nothing.
//
// Stage names are required and must be unique; they appear in errors,
// [StageStats] and the [Graph]. Every stream must be consumed by exactly one
// stage (use Broadcast to feed several). Programmer errors found at
// construction — Workers(0), a nil function, the zero Stream, a stream of
// another pipeline — panic with a "pipeline:" prefix; graph errors — a
// duplicate name, a stream consumed twice or never — make Run fail before
// anything starts, naming the stage.
//
// # Concurrency
//
// [Pipeline.Run] starts every stage's goroutines and returns only after all
// of them have exited and every sink's Writer has been closed, exactly once,
// on every path (also when validation fails). Goroutines are owned by a
// conc WaitGroup. A stage with [Workers](n) runs n long-lived workers that
// share its input channel (never a goroutine per item); [Buffer](n) sizes
// the channel behind it. Without [Ordered], several workers emit in
// completion order.
//
// Items cross a channel in chunks when that pays: a producer sends at once
// while its consumer is idle, gathers up to 64 items while a single-worker
// consumer is behind, and always sends one by one to a stage with several
// workers, so work is never hoarded by one worker. A producer flushes what
// it holds before it waits for its own input, so chunking adds no latency;
// sources that may wait for input call [Emitter.Flush]. Chunks come from an
// arena allocated 64 items at a time, and consumers clear each slot they
// take, so chunking neither allocates per item nor keeps items alive. A
// source that builds its items in batches hands a batch over with
// [Emitter.EmitSlice], whose slice travels as chunks itself, uncopied.
// Each channel has exactly one writer, which closes it,
// and every send and receive selects on the run's end, so no goroutine can
// block forever on a channel.
//
// # Failures
//
// There are two kinds. A per-item failure — an error marked with [Skip], or
// a malformed input reported with [Emitter.Skip] — drops that item, counts
// it as failed, and hands a [Failure] record {Stage, Input, Err, Attempts,
// Time} to the handler set with [OnFailure] (a dead-letter sink, say); the
// run goes on. Any other error is fatal: the goroutine that got it cancels
// the run's context with it as the cause, every stage winds down, and Run
// returns it as a *[StageError] naming the stage. A panic in user code is
// caught where it happens and becomes a fatal *[PanicError] with the stage
// name, the value and the stack. An error from the failure handler is fatal
// too: failures are never lost quietly.
//
// # Cancellation and stopping
//
// Cancelling Run's context ends the run: stages stop taking items, items in
// progress are counted as dropped, sinks are closed, and Run returns the
// context's cause. [Pipeline.Stop] is the graceful way: the sources stop
// reading, everything already read flows to the sinks, and Run returns nil.
// User functions receive the run's context and must pass it to anything
// that blocks.
//
// # Accounting
//
// Every stage counts items in, out, filtered, failed and dropped, and the
// time its user code was busy; [Pipeline.Stats] reads them at any time.
// Once Run has returned, for every stage In = Out + Filtered + Failed +
// Dropped, and each stage's In equals the sum of what its producers
// emitted (less what was dropped in channels when the run was cancelled).
package pipeline
