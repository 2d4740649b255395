package job

import (
	"context"
	"fmt"
	"time"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/sinks"
	"github.com/sluicehq/sluice/sources"
	"github.com/sluicehq/sluice/stages/fetch"
)

// page is a fetched response on its way to the parser. Only its key and
// URL are encoded, so a parse failure's dead-letter record holds them
// rather than the whole body.
type page struct {
	Key  string          `json:"key"`
	URL  string          `json:"url"`
	Resp *fetch.Response `json:"-"`
}

// errLeftForResume drops an input a stopping run has not started.
var errLeftForResume = fmt.Errorf("job: stopping, left for --resume: %w", pipeline.ErrDrop)

// fetchFunc is the fetch stage: the item's request through f, observed.
// Once the run is stopping, inputs it has not started are dropped.
func fetchFunc(f *fetch.Fetcher, opts BuildOptions) func(context.Context, sources.Item) (page, error) {
	observe, stopping := opts.ObserveFetch, opts.Stopping
	return func(ctx context.Context, it sources.Item) (page, error) {
		if stopping != nil && stopping() {
			return page{}, errLeftForResume
		}
		start := time.Now()
		// No Meta: nothing after fetch reads it, and it would be a map
		// per request for CSV inputs.
		req := fetch.Request{URL: it.URL, Key: it.Key}
		resp, err := f.Fetch(ctx, req)
		if observe != nil && ctx.Err() == nil {
			observe(req, resp, err, time.Since(start))
		}
		if err != nil {
			return page{}, err
		}
		return page{Key: it.Key, URL: it.URL, Resp: resp}, nil
	}
}

// parseFunc is the parse stage: all records of one response as one batch.
func (j *Job) parseFunc(counts *RecordCounts, watch *fieldWatch) func(context.Context, page) (sinks.Batch[record.Record], error) {
	var records func(*fetch.Response) ([]record.Record, error)
	if j.comp.html != nil {
		records = j.comp.html.Records
	} else {
		records = j.comp.json.Records
	}
	filtered := len(j.Filters) > 0 || len(j.comp.stages) > 0
	return func(_ context.Context, pg page) (sinks.Batch[record.Record], error) {
		if pg.Resp == nil { // a remote crawl's page not to extract
			return sinks.Batch[record.Record]{Key: pg.Key}, nil
		}
		var recs []record.Record
		var err error
		if x, ok := pg.Resp.Extracted.(extracted); ok { // in the crawl's link pass
			recs, err = x.recs, x.err
		} else {
			recs, err = records(pg.Resp)
		}
		pg.Resp.Release() // the records hold copies; the body's bytes and buffer go back
		if err != nil {
			return sinks.Batch[record.Record]{}, err
		}
		counts.Extracted.Add(int64(len(recs)))
		watch.page(pg.URL, recs)
		if !filtered {
			counts.Kept.Add(int64(len(recs)))
		}
		return sinks.Batch[record.Record]{Key: pg.Key, Items: recs}, nil
	}
}

// filterFunc is the filter stage: it keeps the records of a batch that
// pass the filters. The batch itself always goes on, so that its key is
// committed even when every record was filtered out.
func (j *Job) filterFunc(counts *RecordCounts) func(context.Context, sinks.Batch[record.Record]) (sinks.Batch[record.Record], error) {
	f := j.comp.filter
	return func(_ context.Context, b sinks.Batch[record.Record]) (sinks.Batch[record.Record], error) {
		kept := b.Items[:0]
		for i := range b.Items {
			if f.Match(&b.Items[i]) {
				kept = append(kept, b.Items[i])
			}
		}
		b.Items = kept
		counts.Kept.Add(int64(len(kept)))
		return b, nil
	}
}

// transformFunc is the transform stage: every record of a batch through
// the job's record stages in order; a stage may drop a record. The batch
// always goes on, so its key is committed even when it ends up empty.
func (j *Job) transformFunc(counts *RecordCounts) func(context.Context, sinks.Batch[record.Record]) (sinks.Batch[record.Record], error) {
	fns, filtered := j.comp.stages, len(j.Filters) > 0
	return func(ctx context.Context, b sinks.Batch[record.Record]) (sinks.Batch[record.Record], error) {
		kept := b.Items[:0]
	records:
		for i := range b.Items {
			for _, fn := range fns {
				keep, err := fn(ctx, &b.Items[i])
				if err != nil {
					return b, err
				}
				if !keep {
					continue records
				}
			}
			kept = append(kept, b.Items[i])
		}
		b.Items = kept
		if !filtered {
			counts.Kept.Add(int64(len(kept)))
		}
		return b, nil
	}
}
