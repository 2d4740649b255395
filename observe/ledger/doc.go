// Package ledger is the account a sluice run prints at its end: per stage,
// items in, out, filtered and failed, with totals, elapsed time and
// throughput; and the top failure reasons, grouped so that a thousand
// "status 404 from <url>" errors are one line with a count.
package ledger
