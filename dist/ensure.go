package dist

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// ConfigMismatchError says a stream, consumer or bucket exists with
// another configuration than the job needs. sluice never reconfigures it
// silently: delete it (nats stream rm NAME) or use another job name.
type ConfigMismatchError struct {
	// What is "stream", "consumer" or "bucket"; Name its name.
	What, Name string
	// Diffs lists each difference, "duplicates 2m0s, want 24h0m0s".
	Diffs []string
}

// Error names the differences.
func (e *ConfigMismatchError) Error() string {
	return fmt.Sprintf("dist: %s %s exists with another configuration: %s (delete it or use another job name; sluice does not reconfigure it)",
		e.What, e.Name, strings.Join(e.Diffs, "; "))
}

// diff collects "field have, want want" lines.
type diff []string

func (d *diff) check(field string, have, want any) {
	if fmt.Sprint(have) != fmt.Sprint(want) {
		*d = append(*d, fmt.Sprintf("%s %v, want %v", field, have, want))
	}
}

// ensureStream creates the stream or checks that the existing one has the
// fields sluice relies on.
func ensureStream(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig) (jetstream.Stream, error) {
	s, err := js.Stream(ctx, cfg.Name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		s, err = js.CreateStream(ctx, cfg)
		if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) { // lost a race with another process
			s, err = js.Stream(ctx, cfg.Name)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("dist: stream %s: %w", cfg.Name, err)
	}
	have := s.CachedInfo().Config
	var d diff
	d.check("subjects", slices.Sorted(slices.Values(have.Subjects)), slices.Sorted(slices.Values(cfg.Subjects)))
	d.check("retention", have.Retention, cfg.Retention)
	d.check("storage", have.Storage, cfg.Storage)
	d.check("duplicates window", have.Duplicates, cfg.Duplicates)
	if len(d) > 0 {
		return nil, &ConfigMismatchError{What: "stream", Name: cfg.Name, Diffs: d}
	}
	return s, nil
}

// ensureConsumer creates the durable consumer or checks the existing one.
func ensureConsumer(ctx context.Context, s jetstream.Stream, cfg jetstream.ConsumerConfig) (jetstream.Consumer, error) {
	c, err := s.Consumer(ctx, cfg.Durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		c, err = s.CreateConsumer(ctx, cfg)
		if errors.Is(err, jetstream.ErrConsumerExists) {
			c, err = s.Consumer(ctx, cfg.Durable)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("dist: consumer %s: %w", cfg.Durable, err)
	}
	have := c.CachedInfo().Config
	var d diff
	d.check("filter subject", have.FilterSubject, cfg.FilterSubject)
	d.check("ack policy", have.AckPolicy, cfg.AckPolicy)
	d.check("ack wait", have.AckWait, cfg.AckWait)
	d.check("max deliver", have.MaxDeliver, cfg.MaxDeliver)
	d.check("max ack pending", have.MaxAckPending, cfg.MaxAckPending)
	if len(d) > 0 {
		return nil, &ConfigMismatchError{What: "consumer", Name: s.CachedInfo().Config.Name + "/" + cfg.Durable, Diffs: d}
	}
	return c, nil
}

// ensureBucket creates the key-value bucket or checks the existing one's
// TTL.
func ensureBucket(ctx context.Context, js jetstream.JetStream, cfg jetstream.KeyValueConfig) (jetstream.KeyValue, error) {
	kv, err := js.KeyValue(ctx, cfg.Bucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		kv, err = js.CreateKeyValue(ctx, cfg)
		if errors.Is(err, jetstream.ErrBucketExists) {
			kv, err = js.KeyValue(ctx, cfg.Bucket)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("dist: bucket %s: %w", cfg.Bucket, err)
	}
	st, err := kv.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("dist: bucket %s: %w", cfg.Bucket, err)
	}
	if st.TTL() != cfg.TTL {
		return nil, &ConfigMismatchError{What: "bucket", Name: cfg.Bucket, Diffs: []string{fmt.Sprintf("ttl %v, want %v", st.TTL(), cfg.TTL)}}
	}
	return kv, nil
}

// Settings are the queue settings of a job, fixed when its stream is
// first created; a later process with other settings is refused.
type Settings struct {
	// Partitions is the number of subject partitions; default
	// DefaultPartitions.
	Partitions int
	// Dedupe is how long JetStream remembers an input key, so that a
	// restarted coordinator does not enqueue an input twice; default 7
	// days.
	Dedupe time.Duration
	// AckWait is how long a worker may hold an input without acking or
	// extending it (workers extend it while the input is in flight);
	// default 30s. A killed worker's inputs are redelivered after it.
	AckWait time.Duration
}

func (s Settings) withDefaults() Settings {
	if s.Partitions <= 0 {
		s.Partitions = DefaultPartitions
	}
	if s.Dedupe <= 0 {
		s.Dedupe = 7 * 24 * time.Hour
	}
	if s.AckWait <= 0 {
		s.AckWait = 30 * time.Second
	}
	return s
}

// maxAckPending bounds each partition's unacked inputs: more than a
// worker holds in flight between two commits.
const maxAckPending = 20000

// Leases and heartbeats expire this long after their holder stops
// renewing them.
const (
	leaseTTL     = 6 * time.Second
	heartbeatTTL = 5 * time.Second
)

// queue is a job's opened streams, consumers and buckets.
type queue struct {
	names     Names
	settings  Settings
	stream    jetstream.Stream
	dead      jetstream.Stream
	consumers []jetstream.Consumer
	leases    jetstream.KeyValue
	workers   jetstream.KeyValue
	stats     jetstream.KeyValue
}

// openQueue creates or checks everything a job needs in JetStream.
func openQueue(ctx context.Context, js jetstream.JetStream, n Names, set Settings) (*queue, error) {
	set = set.withDefaults()
	q := &queue{names: n, settings: set}
	var err error
	if q.stream, err = ensureStream(ctx, js, jetstream.StreamConfig{Name: n.Stream(), Subjects: []string{n.Subjects()},
		Retention: jetstream.WorkQueuePolicy, Storage: jetstream.FileStorage, Duplicates: set.Dedupe}); err != nil {
		return nil, err
	}
	if q.dead, err = ensureStream(ctx, js, jetstream.StreamConfig{Name: n.DeadStream(), Subjects: []string{n.DeadSubject()},
		Retention: jetstream.LimitsPolicy, Storage: jetstream.FileStorage, Duplicates: set.Dedupe}); err != nil {
		return nil, err
	}
	for p := range set.Partitions {
		c, err := ensureConsumer(ctx, q.stream, jetstream.ConsumerConfig{Durable: n.Consumer(p), FilterSubject: n.Subject(p),
			AckPolicy: jetstream.AckExplicitPolicy, AckWait: set.AckWait, MaxDeliver: -1, MaxAckPending: maxAckPending})
		if err != nil {
			return nil, err
		}
		q.consumers = append(q.consumers, c)
	}
	for _, b := range []struct {
		kv  *jetstream.KeyValue
		cfg jetstream.KeyValueConfig
	}{
		{&q.leases, jetstream.KeyValueConfig{Bucket: n.LeaseBucket(), TTL: leaseTTL}},
		{&q.workers, jetstream.KeyValueConfig{Bucket: n.WorkersBucket(), TTL: heartbeatTTL}},
		{&q.stats, jetstream.KeyValueConfig{Bucket: n.StatsBucket()}},
	} {
		if *b.kv, err = ensureBucket(ctx, js, b.cfg); err != nil {
			return nil, err
		}
	}
	return q, nil
}
