package job

import (
	"time"

	"github.com/sluicehq/sluice/stages/extract"
	"github.com/sluicehq/sluice/stages/filter"
)

// Job is a job file: where the URLs come from, how to fetch and parse them,
// which records to keep, and where to write them.
type Job struct {
	// Name labels the run in logs and metrics; default the file's base name.
	Name string `yaml:"name"`
	// Source is the input of URLs. Required, unless Crawl has seeds.
	Source SourceSpec `yaml:"source"`
	// Crawl, if set, follows links from seed pages (see CrawlSpec).
	Crawl *CrawlSpec `yaml:"crawl"`
	// Fetch configures the HTTP stage.
	Fetch FetchSpec `yaml:"fetch"`
	// Parse says what to extract from each response. Required.
	Parse ParseSpec `yaml:"parse"`
	// Stages are record stages of registered kinds (see Registry),
	// run on every record after parsing and before the filters, in order.
	Stages []StageSpec `yaml:"stages"`
	// Filters keep the records that satisfy every predicate.
	Filters []FilterSpec `yaml:"filters"`
	// Sink is where the records go. Required.
	Sink SinkSpec `yaml:"sink"`
	// DeadLetter is where failed inputs go, one JSON line each.
	DeadLetter DeadLetterSpec `yaml:"dead_letter"`
	// Checkpoint is the resume log; default the sink's path (or the job
	// name) plus ".checkpoint".
	Checkpoint string `yaml:"checkpoint"`
	// robotsPath is the robots.txt store's file: the sink's path (or the
	// job name) plus ".robots.json" (see FetchSpec.FreshRobots).
	robotsPath string
	// MaxFailures makes the run fail when more inputs fail: a count ("50")
	// or a percentage ("5%"); "none" means no limit. Empty means
	// DefaultMaxFailures (more than half of the inputs failing fails the
	// run).
	MaxFailures string `yaml:"max_failures"`
	// Commit configures how often outputs are committed.
	Commit CommitSpec `yaml:"commit"`
	// Memory is the run's memory budget, such as "256MiB" or "1GiB"
	// (see ParseMemory); default DefaultMemory. Response bodies fetched
	// and not yet parsed hold at most an eighth of it (BodyBudget), so
	// large pages wait rather than fill the heap while small ones flow
	// many at a time; the sluice command also keeps the process's
	// resident memory within it, through the Go runtime's soft memory
	// limit.
	Memory string `yaml:"memory"`

	file  string
	pos   positions
	reg   *Registry
	comp  compiled
	limit MaxFailures
}

// HTMLSpec is extract.HTMLSpec: an optional items selector and fields.
type HTMLSpec = extract.HTMLSpec

// JSONSpec is extract.JSONSpec: an optional items path and fields.
type JSONSpec = extract.JSONSpec

// FilterSpec is filter.Spec: one predicate on a record field.
type FilterSpec = filter.Spec

// compiled holds what validation built from the spec.
type compiled struct {
	stages []RecordFunc
	html   *extract.HTML
	json   *extract.JSON
	filter *filter.Filter
}

// SourceSpec is the input of URLs.
type SourceSpec struct {
	// Kind is one of the registry's source kinds: csv, lines, jsonl,
	// sitemap or stdin.
	Kind string `yaml:"kind"`
	// Path is the input file (csv, lines, jsonl; "-" is standard input).
	Path string `yaml:"path"`
	// URL is the sitemap's URL (sitemap).
	URL string `yaml:"url"`
	// Format is the format of standard input for kind stdin: lines
	// (default), csv or jsonl.
	Format string `yaml:"format"`
	// URLColumn is the CSV column or JSON field holding the URL; default
	// "url".
	URLColumn string `yaml:"url_column"`
	// KeyColumn is the CSV column or JSON field holding each input's stable
	// key; default the line number.
	KeyColumn string `yaml:"key_column"`
	// Delimiter is the CSV field delimiter; default: sniffed from the
	// first lines (",", ";", tab or "|"; tab for a .tsv file).
	Delimiter string `yaml:"delimiter"`
	// KeepDuplicates processes an input that appears twice (the same key,
	// or without a key column the same URL) twice; by default the second
	// is skipped and counted as a duplicate.
	KeepDuplicates bool `yaml:"keep_duplicates"`
	// Options holds the kind's own options (see SourceKind.Options), a
	// pointer to the kind's options struct; nil when the kind has none.
	Options any `yaml:"-"`
	// Warn, set by Build, receives the source's warnings (a ragged CSV
	// row, say): things that fail no input but the user should know.
	Warn func(msg, url string) `yaml:"-"`
}

// StageSpec is one record stage of a registered kind. Keys besides kind
// and name are the kind's own options.
type StageSpec struct {
	// Kind is one of the registry's stage kinds.
	Kind string `yaml:"kind"`
	// Name labels the stage in errors; default the kind.
	Name string `yaml:"name"`
	// Options holds the kind's own options (see StageKind.Options).
	Options any `yaml:"-"`
}

// FetchSpec configures the HTTP stage; zero fields take fetch's defaults.
type FetchSpec struct {
	// Workers is the number of concurrent requests; default 16.
	Workers int `yaml:"workers"`
	// UserAgent is sent with every request and picks the robots.txt group.
	UserAgent string `yaml:"user_agent"`
	// Headers are added to every request.
	Headers map[string]string `yaml:"headers"`
	// Timeout bounds one attempt; default 30s.
	Timeout time.Duration `yaml:"timeout"`
	// Retries is how many times a failed attempt is retried; default 3,
	// -1 for never.
	Retries int `yaml:"retries"`
	// Backoff is the base of the exponential backoff; default 500ms.
	Backoff time.Duration `yaml:"backoff"`
	// PerHostConcurrency caps requests in flight per host; default 8.
	PerHostConcurrency int `yaml:"per_host_concurrency"`
	// PerHostRate caps request starts per second per host; 0: no cap.
	PerHostRate float64 `yaml:"per_host_rate"`
	// IgnoreRobots skips robots.txt (obeyed by default).
	IgnoreRobots bool `yaml:"ignore_robots"`
	// FreshRobots fetches every host's robots.txt anew on each run. By
	// default a run keeps the answers beside its checkpoint (the sink's
	// path, or the job name, plus ".robots.json") and a later run uses
	// them for 24 hours, as RFC 9309 allows, instead of asking again. A
	// run over a checkpoint kept elsewhere (RunOptions.Checkpoint: a
	// cluster's workers, which share robots.txt through their job) keeps
	// none.
	FreshRobots bool `yaml:"fresh_robots"`
	// MaxBodyBytes caps a response body; default 10 MiB.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// NetHTTP sends cleartext (http://) requests through net/http rather
	// than fasthttp (see fetch.Config.NetHTTP); https always uses net/http.
	NetHTTP bool `yaml:"net_http"`
}

// ParseSpec says what to extract: exactly one of HTML and JSON.
type ParseSpec struct {
	// Workers is the number of parsing goroutines; default the number of
	// CPUs.
	Workers int `yaml:"workers"`
	// HTML extracts with CSS selectors (see extract.HTMLSpec).
	HTML *HTMLSpec `yaml:"html"`
	// JSON extracts with gjson paths (see extract.JSONSpec).
	JSON *JSONSpec `yaml:"json"`
}

// CommitSpec says how often the sinks and the checkpoint commit.
type CommitSpec struct {
	// Every commits after this many inputs; default 1000.
	Every int `yaml:"every"`
	// Interval commits once the oldest uncommitted input is this old;
	// default 5s.
	Interval time.Duration `yaml:"interval"`
}

// SinkSpec is where records are written.
type SinkSpec struct {
	// Kind is one of the registry's sink kinds: jsonl, csv, sqlite or
	// postgres. Empty: taken from Path's extension or DSN's scheme.
	Kind string `yaml:"kind"`
	// Path is the output file (jsonl, csv, sqlite).
	Path string `yaml:"path"`
	// DSN is the Postgres connection string; use ${VAR} for secrets.
	DSN string `yaml:"dsn"`
	// Table is the SQL table; default "items".
	Table string `yaml:"table"`
	// Mode is append (default) or upsert (one row per key).
	Mode string `yaml:"mode"`
	// KeyColumn names the output column that holds each record's input
	// key (what upserts and resume go by); default "key".
	KeyColumn string `yaml:"key_column"`
	// Options holds the kind's own options (see SinkKind.Options).
	Options any `yaml:"-"`
}

// DeadLetterSpec is where failures are written.
type DeadLetterSpec struct {
	// Path is a JSON Lines file; default the sink's path (or the job name)
	// plus ".failed.jsonl".
	Path string `yaml:"path"`
}
