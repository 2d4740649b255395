// Package dist runs a sluice job on several machines sharing a NATS
// JetStream server: a [Coordinator] puts the job's spec and inputs in the
// cluster, [Worker]s run them, and [ReadStatus] and [Wait] report on them.
//
// # Queue, acks and sinks
//
// A job's inputs go to a work-queue stream ([Names.Stream]), partitioned
// by hash(host) over [Settings.Partitions] subjects, each with
// Nats-Msg-Id = the input key, so a restarted coordinator enqueues
// nothing twice. A worker pulls the partitions it leases (create-only KV
// keys with a TTL, shared fairly by heartbeats), so one worker at a time
// fetches a host and the job's per-host limits hold cluster-wide. It
// takes at most a window of inputs ahead of its fetchers, so that what
// is left stays in the queue for the worker that gets there first. It
// runs the inputs through job.Run and acks an input only after the
// commit round holding its records, or its failure, is durable (the
// commit event); dead letters go to [Names.DeadStream] with their
// reason, and an input delivered more than MaxDeliver times is
// dead-lettered instead of run. SQL sinks upsert by key; file sinks are
// written per worker ([PerWorkerPath]: concatenate and keep the last
// line per key). The checkpoint is a [KVStore] and robots.txt responses
// are cached cluster-wide by a [RobotsCache]. A worker may start before
// its job is enqueued: with [Worker.WaitForJob] it waits for it instead
// of failing with [ErrNoJob].
//
// # Distributed crawls
//
// A job with a crawl section runs distributed too. The coordinator reads
// the crawl's seeds (crawl URLs, sitemaps, robots.txt sitemaps, the
// source) as a single-process run would, publishes each to the job's seed
// stream ([Names.SeedStream], kept), and only then queues them, so that
// any page in the queue finds every seed of its crawl there. Each worker
// reads pages from its partitions and runs fetch → links → parse → sink
// (job.RemoteCrawl): the links stage is a detached crawler
// (crawl.NewDetached) with the job's crawl config, so normalization,
// scope, depth, nofollow, robots meta, canonical and extract rules are
// exactly those of a single-process crawl. Before a worker processes a
// page it reads the seed stream up to the position stamped on the page,
// widening its scope with every seed the page's ancestors knew of.
//
// The seen-set is the job's seen bucket ([Names.SeenBucket]), keyed by a
// hash of the normalized URL, persistent and shared by the cluster. A
// link is admitted by a create-only put of its key ("pending"), then
// published to the partition of its host with Nats-Msg-Id = the URL,
// then marked "queued"; so links are routed like inputs and per-host
// politeness holds for them too. A worker killed between the claim and
// the publish leaves the claim pending, and whoever meets the URL next
// publishes it again (JetStream drops the copy if the first publish went
// through), so no link is lost and none is queued twice. A page's
// canonical URL or redirect target is claimed with the page's key, so a
// page fetched again after a kill is not taken for its own duplicate.
// MaxPages is a compare-and-set counter in the same bucket. A worker
// keeps the keys it has seen queued in a bounded local cache, so a
// link met again costs no round trip.
//
// A page is acked after its links are published and its records (none,
// for a page that is only followed) are committed. So once the stream
// holds no message and no consumer has one awaiting its ack, no page is
// being read and none can be queued again: [Status.Drained] is stable,
// and the coordinator prints the ledger with the crawl's counts
// ([CrawlStatus]), summed from the workers' stats. No page is fetched
// twice across workers; a page a killed worker held unacked is fetched
// again (its committed records are settled in the KVStore, and a
// redelivered page already settled is acked without a fetch).
//
// The counts of links and pages are the sum of what every worker's
// crawler read: a page read again after a kill counts again, and a
// worker killed before its last heartbeat loses its last second. At the
// MaxPages limit, a URL refused by a race with another worker may count
// as a duplicate rather than over max.
//
// # Faults
//
// A worker cut off from NATS takes no more work: its pulls fail, its
// leases lapse after their TTL and other workers take the partitions
// that hold inputs; what it had not acked is redelivered to them after
// AckWait. What it committed while cut off but could not ack is written
// again by the others (SQL sinks upsert by key; per-worker files merge
// by key), so the sink still holds every input once. Once the network
// is back it reconnects, claims partitions again by fair share, and
// exits or goes on like any worker (TestPartitionedWorker puts a TCP
// proxy between a worker and the server and cuts it mid-run).
package dist
