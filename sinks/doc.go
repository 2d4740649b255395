// Package sinks writes pipeline output to JSON Lines and CSV files, SQLite
// and Postgres tables, and a dead-letter sink of failures, with an
// exactly-once [Committer] for runs that must survive kill -9 and resume.
//
// # Items
//
// Every sink is generic over its item type T: a record.Record (columns
// key, url, then its fields), or a struct (or pointer to one) whose column
// names come from a `sluice:"name"` tag, else the json tag's name, else the
// field name; `sluice:"-"` skips a field; the key column is the field
// tagged `sluice:"name,key"`, else a string field named Key. The struct
// layout is computed once per sink. Values are stored as what they are
// (int64, float64, bool, time.Time, string); slices, maps and other
// composites as JSON (JSONB in Postgres); NaN and ±Inf as null.
//
// # Plain use
//
// Each sink is a pipeline.Writer[T] on its own: Write buffers, Close
// flushes and closes. Constructors open nothing, so a pipeline can be
// built and validated without touching a file or a database; the sink
// opens at its first Write (or at an explicit Open).
//
//	out, _ := sinks.NewJSONL[record.Record]("out.jsonl", sinks.JSONLConfig{})
//	pipeline.Sink(p, "write", records, out)
//
// # Exactly once
//
// A Committer owns the data sinks, the dead-letter sink and a
// resume.Checkpoint. Its unit is a [Batch]: all the items one input key
// produced (possibly none). A failure routed to Committer.Fail is written
// to the dead-letter sink and also completes its key. The protocol:
//
//  1. Write and Fail buffer rows in every sink: file sinks in memory and
//     past their last committed offset, SQL sinks inside an open
//     transaction. Nothing is durable yet.
//  2. Every Every keys, or once the oldest buffered key is Interval old,
//     and at Close, the Committer commits a round: (a) each file sink
//     writes its buffer and fsyncs, and its byte offset is taken; each SQL
//     sink sends its rows into its transaction; (b) the checkpoint appends
//     and fsyncs a prepare line holding the round's key hashes and the
//     file offsets; (c) each SQL transaction commits; (d) the checkpoint
//     appends a commit line. Only then are the keys done. (The commit line
//     is made durable by the next prepare's fsync or at Close: if a power
//     cut loses it, the round is simply pending and replayed as in 4.)
//  3. On resume, resume.Open reads the log: keys of committed rounds are
//     done (the source skips them via Checkpoint.Done); keys of prepared
//     but uncommitted rounds are pending; the file offsets are those of
//     the last committed round. A torn last line is ignored.
//  4. The Committer truncates each file sink to its committed offset
//     before appending, which removes every line of a round that did not
//     commit. A SQL sink may have committed such a round (a crash between
//     (c) and (d)), so when a pending key comes back its rows are deleted
//     from every SQL sink, data and dead-letter alike, in the transaction
//     that inserts the new ones (a key that failed before and succeeds
//     now loses its failure row, and the other way round).
//
// Hence each key's rows appear exactly once in every sink, and each failed
// key once in the dead-letter sink, however often the run is killed.
//
// # Rejected rows and the commit event
//
// A row a SQL sink refuses when it is sent — a constraint violation, a
// number out of range, text Postgres cannot store (a NUL byte, invalid
// UTF-8), a row or key over a size limit — fails its input, not the run.
// The sink finds the rows at fault by sending the flushed rows one at a
// time, each in a savepoint, in a transaction it then rolls back; the
// Committer drops what every sink took since the last commit (SQL
// transactions rolled back, files cut back to their committed offset),
// turns each rejected input into a *RowRejectedError failure in the
// dead-letter sink, and sends the round again. This costs nothing until a
// row is refused. A sink that cannot drop an uncommitted round (a
// Transactional) or a refused dead-letter row still fails the run.
//
// CommitterConfig.OnCommit is called after each round made its keys
// durable, with a CommitEvent: the input keys written, those failed
// (dead-lettered), which of them a sink rejected, and the items written —
// what is really in the output, for ledgers, progress and acks.
//
// Requirements and limits: keys are stable across runs; a key yields one
// Batch or one failure (not both); what a replayed key yields replaces
// what it yielded before. An item whose key column is empty gets the
// batch key; an item with a key of its own (a list item's URL) is
// replaced by that key as well as the batch key. Failures whose input has
// no key (a malformed source row) are written but cannot be marked done,
// so a replay that meets them again writes them again. A sink added to a
// job on resume gets only the keys not yet done. The Interval is checked
// at each Write and Fail: an idle pipeline commits at its next item or at
// Close.
//
// The checkpoint stores 64-bit hashes of keys; see package resume for the
// collision odds and the memory used.
package sinks
