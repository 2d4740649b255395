package sinks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"
	"unicode/utf8"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
)

// FailureRecord is what a dead-letter sink stores for one per-item
// failure: any sink of FailureRecord (NewJSONL[FailureRecord],
// NewSQLite[FailureRecord], ...) is a dead-letter sink.
type FailureRecord struct {
	// Key is the key of the failed input, from the key func; may be empty.
	Key string `sluice:"key,key"`
	// Stage is the stage that dropped the item.
	Stage string `sluice:"stage"`
	// Error is the error text.
	Error string `sluice:"error"`
	// Attempts is how many tries the stage made.
	Attempts int `sluice:"attempts"`
	// Time is when the failure happened, in UTC.
	Time time.Time `sluice:"time"`
	// Input is the failed input as JSON (see DeadLetterConfig.MaxInput).
	Input json.RawMessage `sluice:"input"`
}

// DeadLetterConfig says how failures become FailureRecords; the zero value
// uses DefaultFailureKey and keeps inputs up to 64 KiB of JSON.
type DeadLetterConfig struct {
	// Key returns the key of a failed input; default DefaultFailureKey.
	Key func(input any) string
	// MaxInput caps the JSON of an input. A bigger one, or one
	// encoding/json cannot encode, is stored as a JSON string of its %v
	// form, cut to MaxInput bytes. Default 64 KiB.
	MaxInput int
}

func (c DeadLetterConfig) withDefaults() DeadLetterConfig {
	if c.Key == nil {
		c.Key = DefaultFailureKey
	}
	if c.MaxInput <= 0 {
		c.MaxInput = 64 << 10
	}
	return c
}

// NewFailureRecord turns a pipeline failure into a FailureRecord.
func NewFailureRecord(f pipeline.Failure, cfg DeadLetterConfig) FailureRecord {
	cfg = cfg.withDefaults()
	rec := FailureRecord{Key: cfg.Key(f.Input), Stage: f.Stage, Attempts: f.Attempts, Time: f.Time.UTC()}
	if f.Err != nil {
		rec.Error = f.Err.Error()
	}
	b, err := json.Marshal(f.Input)
	if err != nil || len(b) > cfg.MaxInput {
		s := fmt.Sprintf("%v", f.Input)
		if len(s) > cfg.MaxInput {
			s = s[:cfg.MaxInput]
			for !utf8.ValidString(s) {
				s = s[:len(s)-1]
			}
			s += "…"
		}
		b, _ = json.Marshal(s)
	}
	rec.Input = b
	return rec
}

// keyer is implemented by Batch.
type keyer interface{ inputKey() string }

// DefaultFailureKey finds the key of a failed input: a string is its own
// key; a Batch or record.Record gives its Key; a struct (or pointer to
// one) gives its Key string field, else its URL string field, else the key
// of its Request field (so fetch.Request and fetch.Response work). It
// returns "" when it finds none.
func DefaultFailureKey(input any) string {
	switch x := input.(type) {
	case string:
		return x
	case keyer:
		return x.inputKey()
	case record.Record:
		return x.Key
	case *record.Record:
		if x != nil {
			return x.Key
		}
		return ""
	}
	return structKey(reflect.ValueOf(input), 0)
}

func structKey(v reflect.Value, depth int) string {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct || depth > 2 {
		return ""
	}
	for _, name := range []string{"Key", "URL"} {
		if f := v.FieldByName(name); f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
			return f.String()
		}
	}
	if f := v.FieldByName("Request"); f.IsValid() {
		return structKey(f, depth+1)
	}
	return ""
}

// DeadLetter writes pipeline failures to a dead-letter sink in plain use
// (without a Committer, which has its own Fail method). Pass its Handle
// method to pipeline.OnFailure and Close it after Run.
type DeadLetter struct {
	w   Target[FailureRecord]
	cfg DeadLetterConfig
}

// NewDeadLetter returns a DeadLetter writing to w.
func NewDeadLetter(w Target[FailureRecord], cfg DeadLetterConfig) *DeadLetter {
	return &DeadLetter{w: w, cfg: cfg.withDefaults()}
}

// Handle writes one failure. It has the signature pipeline.OnFailure takes.
func (d *DeadLetter) Handle(ctx context.Context, f pipeline.Failure) error {
	err := d.w.Write(ctx, NewFailureRecord(f, d.cfg))
	if pipeline.IsSkip(err) { // a failure record must not itself be dropped
		err = errors.Unwrap(err)
	}
	return err
}

// Close flushes and closes the dead-letter sink.
func (d *DeadLetter) Close(ctx context.Context) error { return d.w.Close(ctx) }
