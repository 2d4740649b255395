package filter

import (
	"context"

	"github.com/sluicehq/sluice/record"
)

// Filter keeps the records that satisfy every one of its predicates. Build
// it with [New]; it is safe for concurrent use.
type Filter struct {
	preds []predicate
}

// New compiles the specs; a record is kept when all of them hold (no
// specs: every record). An unknown operator, a bad regular expression or
// an operand that does not fit its operator is a [*SpecError].
//
// Semantics at run time: a missing field fails every predicate except
// empty, != and exists-with-not; a field that is not a number fails the
// orderings (it is filtered out, not an error); == compares numerically
// when the operand is a number (int64(10) == 10.0 == "10"), as a bool when
// it is a bool, and as text otherwise.
func New(specs ...Spec) (*Filter, error) {
	f := &Filter{preds: make([]predicate, 0, len(specs))}
	for i, s := range specs {
		p, err := compile(i, s)
		if err != nil {
			return nil, err
		}
		f.preds = append(f.preds, p)
	}
	return f, nil
}

// Keep is the stage function for pipeline.Filter. It never fails.
func (f *Filter) Keep(_ context.Context, r record.Record) (bool, error) {
	return f.Match(&r), nil
}

// Match reports whether r satisfies every predicate.
func (f *Filter) Match(r *record.Record) bool {
	for i := range f.preds {
		if !f.preds[i].keep(r) {
			return false
		}
	}
	return true
}
