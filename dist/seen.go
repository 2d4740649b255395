package dist

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/sluicehq/sluice/stages/crawl"
)

// seenSet is a distributed crawl's cluster-wide seen-set, and the way
// into its work queue: the crawl.Store of a detached crawler (see
// crawl.NewDetached) whose Add claims a URL in the job's seen bucket and
// publishes it to the partition of its host. Next hands out nothing:
// pages come from the queue. See the package doc, "Distributed crawls".
//
// An entry of the seen bucket is keyed by a hash of the normalized URL
// and holds one of:
//
//	p        claimed by Add, being published
//	q        published to the work queue
//	c BYKEY  claimed (a canonical URL or redirect target) by page BYKEY
type seenSet struct {
	js       jetstream.JetStream
	kv       jetstream.KeyValue
	q        *queue
	maxPages int64
	// seeds is the seed stream position stamped on what Add publishes.
	seeds func() uint64

	mu    sync.Mutex
	known map[string]bool // keys this process saw queued or claimed: answered without a round trip

	overMax atomic.Int64
}

const (
	seenPending = "p"
	seenQueued  = "q"
	seenClaimed = "c "
	// admittedKey counts the URLs admitted, when the crawl has a MaxPages.
	admittedKey = "n.admitted"
	// maxKnown bounds the local cache of seen keys; it is cleared when
	// full (a miss costs a round trip, not a mistake).
	maxKnown = 1 << 20
	seenOp   = 10 * time.Second
)

// seenKey is the bucket key of a normalized URL.
func seenKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "u." + hex.EncodeToString(sum[:20])
}

// Add queues e unless its URL was seen: it claims the URL (create-only),
// publishes it with Nats-Msg-Id = the URL, then marks it queued. A
// process killed between the claim and the publish leaves the claim
// pending; whoever meets the URL next publishes it again, and JetStream
// drops the second publish if the first went through.
func (s *seenSet) Add(e crawl.Entry) (bool, error) {
	if s.isKnown(e.Key) {
		return false, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), seenOp)
	defer cancel()
	h := seenKey(e.Key)
	v, found, err := s.get(ctx, h)
	if err != nil {
		return false, err
	}
	if !found {
		if v, found, err = s.claim(ctx, h); err != nil || v == "" && !found {
			return false, err
		}
	}
	if found && v != seenPending {
		s.remember(e.Key)
		return false, nil
	}
	return s.publish(ctx, e, h)
}

// claim creates h as pending, within MaxPages. It returns the value
// another process got there first with (found), or found false and
// v "" when MaxPages refused the URL, or v pending when the claim is
// ours.
func (s *seenSet) claim(ctx context.Context, h string) (v string, found bool, err error) {
	if s.maxPages > 0 {
		ok, err := s.reserve(ctx, 1)
		if err != nil {
			return "", false, err
		}
		if !ok {
			s.overMax.Add(1)
			return "", false, nil
		}
	}
	if _, err = s.kv.Create(ctx, h, []byte(seenPending)); err == nil {
		return seenPending, false, nil
	}
	if s.maxPages > 0 {
		_, _ = s.reserve(ctx, -1)
	}
	if !errors.Is(err, jetstream.ErrKeyExists) {
		return "", false, fmt.Errorf("dist: seen-set: %w", err)
	}
	v, found, err = s.get(ctx, h)
	if err == nil && !found {
		err = fmt.Errorf("dist: seen-set: %s vanished", h)
	}
	return v, found, err
}

// publish puts e in its host's partition and marks it queued.
func (s *seenSet) publish(ctx context.Context, e crawl.Entry, h string) (bool, error) {
	data, err := json.Marshal(crawlInput(e, s.seeds()))
	if err != nil {
		return false, err
	}
	subj := s.q.names.Subject(PartitionOf(HostOf(e.URL), s.q.settings.Partitions))
	ack, err := s.js.Publish(ctx, subj, data, jetstream.WithMsgID(e.Key))
	if err != nil {
		return false, fmt.Errorf("dist: queue %s: %w", e.Key, err)
	}
	s.remember(e.Key)
	if _, err := s.kv.Put(ctx, h, []byte(seenQueued)); err != nil {
		return false, fmt.Errorf("dist: seen-set: %w", err)
	}
	return !ack.Duplicate, nil
}

// Claim marks key seen on behalf of page by: true when it was new or by
// claimed it before (by is fetched again after a kill).
func (s *seenSet) Claim(key, by string) (bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), seenOp)
	defer cancel()
	h, mine := seenKey(key), seenClaimed+by
	v, found, err := s.get(ctx, h)
	if err != nil {
		return false, err
	}
	if !found {
		if _, err = s.kv.Create(ctx, h, []byte(mine)); err == nil {
			return true, nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) {
			return false, fmt.Errorf("dist: seen-set: %w", err)
		}
		if v, _, err = s.get(ctx, h); err != nil {
			return false, err
		}
	}
	return v == mine, nil
}

func (s *seenSet) get(ctx context.Context, h string) (string, bool, error) {
	e, err := s.kv.Get(ctx, h)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("dist: seen-set: %w", err)
	}
	return string(e.Value()), true, nil
}

// reserve adds delta to the admitted count, unless that would pass
// MaxPages; compare-and-set, so it holds across the cluster.
func (s *seenSet) reserve(ctx context.Context, delta int64) (bool, error) {
	for {
		n, rev, err := s.admitted(ctx)
		if err != nil {
			return false, err
		}
		if delta > 0 && n+delta > s.maxPages {
			return false, nil
		}
		val := []byte(strconv.FormatInt(n+delta, 10))
		if rev == 0 {
			_, err = s.kv.Create(ctx, admittedKey, val)
		} else {
			_, err = s.kv.Update(ctx, admittedKey, val, rev)
		}
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) && !isWrongSequence(err) {
			return false, fmt.Errorf("dist: seen-set: %w", err)
		}
	}
}

func isWrongSequence(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence
}

// admitted reads the admitted count and its revision (0: none yet).
func (s *seenSet) admitted(ctx context.Context) (int64, uint64, error) {
	e, err := s.kv.Get(ctx, admittedKey)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("dist: seen-set: %w", err)
	}
	n, _ := strconv.ParseInt(string(e.Value()), 10, 64)
	return n, e.Revision(), nil
}

// Admitted is the number of URLs admitted across the cluster when the
// crawl has a MaxPages (the crawler asks only then), else 0.
func (s *seenSet) Admitted() int64 {
	if s.maxPages == 0 {
		return 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), seenOp)
	defer cancel()
	n, _, _ := s.admitted(ctx)
	return n
}

func (s *seenSet) isKnown(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.known[key]
}

func (s *seenSet) remember(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.known) >= maxKnown || s.known == nil {
		s.known = map[string]bool{}
	}
	s.known[key] = true
}

// Next hands out nothing: a distributed crawl's pages come from the
// work queue.
func (s *seenSet) Next(func(string) bool) (crawl.Entry, bool, error) {
	return crawl.Entry{}, false, nil
}

// Len is 0: the queue is the work stream.
func (s *seenSet) Len() int { return 0 }

// MarkDone does nothing: a page is done when its message is acked.
func (s *seenSet) MarkDone(...string) error { return nil }

// Close does nothing; the bucket stays.
func (s *seenSet) Close() error { return nil }
