// Package disttest starts an in-process NATS JetStream server for tests
// of distributed runs, so that they need nothing installed.
package disttest

import (
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// StartNATS starts a JetStream server on a free loopback port, storing
// its streams under a temporary directory of tb; it shuts down when tb
// ends. Its ClientURL is the address to connect to.
func StartNATS(tb testing.TB) *server.Server {
	tb.Helper()
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: tb.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		tb.Fatal(err)
	}
	s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		s.Shutdown()
		tb.Fatal("disttest: the NATS server is not ready after 10 s")
	}
	tb.Cleanup(s.Shutdown)
	return s
}
