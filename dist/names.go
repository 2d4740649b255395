package dist

import (
	"fmt"
	"hash/fnv"
	"net/url"
	"strings"
)

// DefaultPartitions is how many subject partitions a job's inputs are
// spread over when Coordinator.Partitions is zero. Every host maps to one
// partition, and one worker at a time holds a partition, so the number
// bounds how many workers can share one job usefully.
const DefaultPartitions = 32

// Names are the JetStream names of one job: its work-queue stream and
// subjects, its dead-letter stream and its key-value buckets.
type Names struct {
	// Job is the job's name as given; ID is the part of every name made
	// from it (letters, digits, '-' and '_').
	Job, ID string
}

// NamesFor returns the names of the job called name.
func NamesFor(name string) Names {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	id := b.String()
	if id == "" {
		id = "job"
	}
	return Names{Job: name, ID: id}
}

// JobsBucket is the key-value bucket holding every job's spec, by name.
const JobsBucket = "sluice-jobs"

// Stream is the work-queue stream of the job's inputs.
func (n Names) Stream() string { return "SLUICE_" + n.ID }

// DeadStream is the stream of the job's dead letters.
func (n Names) DeadStream() string { return "SLUICE_" + n.ID + "_DEAD" }

// Subject is the subject of partition p's inputs.
func (n Names) Subject(p int) string { return fmt.Sprintf("sluice.%s.in.%d", n.ID, p) }

// Subjects is the wildcard of every partition's subject.
func (n Names) Subjects() string { return "sluice." + n.ID + ".in.*" }

// DeadSubject is the subject dead letters are published on.
func (n Names) DeadSubject() string { return "sluice." + n.ID + ".dead" }

// SeedStream is the stream of a crawl job's seeds, kept: every worker
// reads them all to know the crawl's scope.
func (n Names) SeedStream() string { return "SLUICE_" + n.ID + "_SEEDS" }

// SeedSubject is the subject seeds are published on.
func (n Names) SeedSubject() string { return "sluice." + n.ID + ".seeds" }

// Consumer is the durable consumer of partition p.
func (n Names) Consumer(p int) string { return fmt.Sprintf("p%d", p) }

// LeaseBucket holds the partition leases (which worker holds which
// partition), with a short TTL.
func (n Names) LeaseBucket() string { return "sluice-" + n.ID + "-leases" }

// WorkersBucket holds the live workers' heartbeats, with a short TTL.
func (n Names) WorkersBucket() string { return "sluice-" + n.ID + "-workers" }

// StatsBucket holds the job's meta record and every worker's last stats.
func (n Names) StatsBucket() string { return "sluice-" + n.ID + "-stats" }

// SeenBucket is the crawl's cluster-wide seen-set.
func (n Names) SeenBucket() string { return "sluice-" + n.ID + "-seen" }

// CheckpointBucket holds the job's checkpoint, a KVStore.
func (n Names) CheckpointBucket() string { return "sluice-" + n.ID + "-ckpt" }

// RobotsBucket caches robots.txt responses by origin for the job's
// workers, with a TTL (see RobotsCache).
func (n Names) RobotsBucket() string { return "sluice-" + n.ID + "-robots" }

// HostOf is the host an input URL counts against: its origin's host and
// port, lower-cased, as the fetcher's per-host limits count it.
func HostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Host)
}

// PartitionOf is the partition of host among n: every input of a host
// goes to the same partition, so the one worker holding it applies the
// host's limits for the whole cluster.
func PartitionOf(host string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(host))
	return int(h.Sum32() % uint32(n))
}
