package dashboard

// Frame is the page's whole state at one moment, as sent to the browser
// (JSON over Server-Sent Events, and from /state).
type Frame struct {
	// Version grows with every event the dashboard has seen.
	Version uint64 `json:"version"`
	Job     string `json:"job"`
	// State is "waiting" before the run starts, "running", then the
	// run's outcome ("complete", "interrupted", ...).
	State string `json:"state"`
	Error string `json:"error,omitempty"`
	// Started is the run's start (Unix milliseconds); Elapsed seconds.
	Started int64   `json:"started"`
	Elapsed float64 `json:"elapsed"`
	Ledger  Ledger  `json:"ledger"`
	// Stages are in pipeline order; Edges join them.
	Stages []StageRow `json:"stages"`
	Edges  []Edge     `json:"edges"`
	// Bottleneck names the bottleneck stage ("" for none); Why says how
	// it was chosen.
	Bottleneck string            `json:"bottleneck"`
	Why        string            `json:"why"`
	Series     Series            `json:"series"`
	Fetch      FetchTotals       `json:"fetch"`
	Hosts      []HostRow         `json:"hosts"`
	MoreHosts  int               `json:"more_hosts"`
	Failures   []FailureRow      `json:"failures"`
	Where      map[string]string `json:"where"`
	// Dropped is how many events the dashboard missed by falling behind.
	Dropped int64 `json:"dropped"`
	// HostLimits says whether the per-host AIMD columns are known.
	HostLimits bool `json:"host_limits"`
}

// Ledger is the run's accounting, in the terms of job.Report.
type Ledger struct {
	// Total is the number of inputs when known in advance, else -1.
	Total   int64 `json:"total"`
	Resumed int   `json:"resumed"`
	// Inputs were read by the source stages; Done finished (reached the
	// sink or failed); Failed failed.
	Inputs int64 `json:"inputs"`
	Done   int64 `json:"done"`
	Failed int64 `json:"failed"`
	// Written is the records commit rounds made durable; Rounds counts
	// the rounds.
	Written int64 `json:"written"`
	Rounds  int64 `json:"rounds"`
	// Rate is inputs done per second over the last ten seconds; ETA the
	// seconds left at that rate, -1 when unknown.
	Rate float64 `json:"rate"`
	ETA  float64 `json:"eta"`
}

// StageRow is one stage's counters and derived figures.
type StageRow struct {
	Name     string  `json:"name"`
	Kind     string  `json:"kind"`
	Workers  int     `json:"workers"`
	In       int64   `json:"in"`
	Out      int64   `json:"out"`
	Filtered int64   `json:"filtered"`
	Failed   int64   `json:"failed"`
	InFlight int64   `json:"in_flight"`
	Queue    int     `json:"queue"`
	Busy     float64 `json:"busy"`
	Rate     float64 `json:"rate"`
}

// Edge is a stream from one stage to another.
type Edge struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Label string `json:"label,omitempty"`
}

// Series holds the charts' points, column by column: T is seconds since
// the start; P50 and P95 fetch latency in milliseconds over each
// interval; Fetches fetches per second; Rates records per second by stage.
type Series struct {
	T       []float64            `json:"t"`
	P50     []float64            `json:"p50"`
	P95     []float64            `json:"p95"`
	Fetches []float64            `json:"fetches"`
	Rates   map[string][]float64 `json:"rates"`
}

// FetchTotals sums every fetch.
type FetchTotals struct {
	Requests int64            `json:"requests"`
	Bytes    int64            `json:"bytes"`
	Retries  int64            `json:"retries"`
	Codes    map[string]int64 `json:"codes"`
}

// HostRow is one host's line of the host table. Limit, MaxLimit,
// InFlight, Waiting, Rate and BaseRate come from Config.Hosts and are
// zero without it.
type HostRow struct {
	Host      string           `json:"host"`
	Requests  int64            `json:"requests"`
	Codes     map[string]int64 `json:"codes"`
	Retries   int64            `json:"retries"`
	Wait      float64          `json:"wait"`
	AvgMillis float64          `json:"avg_ms"`
	InFlight  int              `json:"in_flight"`
	Waiting   int              `json:"waiting"`
	Limit     int              `json:"limit"`
	MaxLimit  int              `json:"max_limit"`
	Rate      float64          `json:"rate"`
	BaseRate  float64          `json:"base_rate"`
}

// FailureRow is one group of failures: a stage and a reason.
type FailureRow struct {
	Stage   string   `json:"stage"`
	Reason  string   `json:"reason"`
	Count   int64    `json:"count"`
	Samples []string `json:"samples"`
}
