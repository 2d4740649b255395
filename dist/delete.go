package dist

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// DeleteJob removes the named job from the cluster: its spec, its input,
// dead-letter and seed streams, and its buckets (checkpoint, stats,
// seen-set, robots cache, leases, heartbeats), so that the next Enqueue
// starts it over. What is not there is skipped. Files the workers wrote
// stay where they are.
//
// Delete a job only when no worker runs it: a worker whose streams
// disappear under it fails.
func DeleteJob(ctx context.Context, js jetstream.JetStream, name string) error {
	n := NamesFor(name)
	var errs []error
	for _, s := range []string{n.Stream(), n.DeadStream(), n.SeedStream()} {
		if err := js.DeleteStream(ctx, s); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			errs = append(errs, fmt.Errorf("stream %s: %w", s, err))
		}
	}
	for _, b := range []string{n.CheckpointBucket(), n.StatsBucket(), n.SeenBucket(), n.RobotsBucket(), n.LeaseBucket(), n.WorkersBucket()} {
		if err := js.DeleteKeyValue(ctx, b); err != nil && !errors.Is(err, jetstream.ErrBucketNotFound) && !errors.Is(err, jetstream.ErrStreamNotFound) {
			errs = append(errs, fmt.Errorf("bucket %s: %w", b, err))
		}
	}
	// The spec goes last: while any of the above is left, the job can
	// still be found and deleted again.
	if len(errs) == 0 {
		kv, err := js.KeyValue(ctx, JobsBucket)
		switch {
		case errors.Is(err, jetstream.ErrBucketNotFound):
		case err != nil:
			errs = append(errs, err)
		default:
			if err := kv.Purge(ctx, n.ID); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
				errs = append(errs, fmt.Errorf("spec: %w", err))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("dist: delete job %q: %w", name, err)
	}
	return nil
}
