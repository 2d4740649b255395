// Package leakcheck is the goroutine-leak check of sluice's tests:
// go.uber.org/goleak, told about the one kind of goroutine that outlives
// its owner by design.
//
// The Fetcher's cleartext transport is github.com/valyala/fasthttp, whose
// client starts a cleaner goroutine per client and per host. They sleep
// between rounds (up to 10 s and the idle-connection lifetime) and end on
// their own once no connection is left; nothing can stop them sooner.
// They are not leaks: they are bounded (two per host a fetcher talked to)
// and gone within the idle lifetime after Fetcher.Close.
package leakcheck

import (
	"testing"

	"go.uber.org/goleak"
)

// Options are the goleak options of every test: fasthttp's cleaners are
// ignored, anything else is a leak.
func Options() []goleak.Option {
	return []goleak.Option{
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*HostClient).connsCleaner"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*Client).mCleaner"),
	}
}

// VerifyTestMain runs the package's tests and fails if goroutines other
// than fasthttp's cleaners are left behind.
func VerifyTestMain(m *testing.M, opts ...goleak.Option) {
	goleak.VerifyTestMain(m, append(Options(), opts...)...)
}
