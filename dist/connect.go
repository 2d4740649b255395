package dist

import (
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
)

// ConnectTimeout bounds the first connection to NATS.
const ConnectTimeout = 4 * time.Second

// Connect connects to the NATS server at url, failing within
// ConnectTimeout with an error that names the URL when it is not
// reachable. Once connected, the client reconnects after a network
// partition; while it is cut off the worker takes no work (its leases
// lapse and other workers take its partitions).
func Connect(url, name string) (*nats.Conn, error) {
	nc, err := nats.Connect(url, nats.Name(name), nats.Timeout(ConnectTimeout), nats.MaxReconnects(-1),
		nats.ReconnectWait(500*time.Millisecond))
	if err != nil {
		if errors.Is(err, nats.ErrNoServers) {
			return nil, fmt.Errorf("dist: cannot reach NATS at %s: no server answered (is nats-server -js running?): %w", url, err)
		}
		return nil, fmt.Errorf("dist: cannot connect to NATS at %s: %w", url, err)
	}
	return nc, nil
}
