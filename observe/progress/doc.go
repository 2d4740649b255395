// Package progress shows a running pipeline: on a terminal, one bar per
// stage (github.com/vbauerster/mpb/v8) with counts, rate and, when the
// input size is known, an ETA; elsewhere (CI, a log file) one concise
// status line every few seconds.
package progress
