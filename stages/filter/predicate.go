package filter

import (
	"fmt"
	"regexp"

	"github.com/sluicehq/sluice/record"
)

// predicate is a compiled [Spec].
type predicate struct {
	field string
	op    Op
	num   float64 // numeric operand, valid when isNum
	isNum bool
	want  any // the operand of == and != as given
	re    *regexp.Regexp
	not   bool
}

// SpecError is a construction error: a spec with an unknown operator, a
// bad regular expression or an operand that does not fit its operator.
type SpecError struct {
	Index int // position of the spec in the list given to New
	Spec  Spec
	Msg   string
	Err   error
}

// Error describes the failure.
func (e *SpecError) Error() string {
	s := fmt.Sprintf("filter: spec %d (field %q): %s", e.Index, e.Spec.Field, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *SpecError) Unwrap() error { return e.Err }

// compile checks and compiles one spec.
func compile(i int, s Spec) (predicate, error) {
	fail := func(msg string, err error) (predicate, error) {
		return predicate{}, &SpecError{Index: i, Spec: s, Msg: msg, Err: err}
	}
	if s.Field == "" {
		return fail("no field", nil)
	}
	op := s.Op
	if op == "" && s.Match != "" {
		op = OpMatch
	}
	op, ok := canonical(op)
	if !ok {
		return fail(fmt.Sprintf("unknown op %q (want ==, !=, >, >=, <, <=, match, non_empty, empty or exists)", string(s.Op)), nil)
	}
	p := predicate{field: s.Field, op: op, want: s.Value, not: s.Not}
	if s.Match != "" && op != OpMatch {
		return fail("match given with op "+string(op), nil)
	}
	p.num, p.isNum = number(s.Value)
	switch op {
	case OpMatch:
		re, err := regexp.Compile(s.Match)
		if err != nil {
			return fail("invalid match regex", err)
		}
		p.re = re
	case OpGreater, OpGreaterEqual, OpLess, OpLessEqual:
		if !p.isNum {
			return fail(fmt.Sprintf("op %s needs a numeric value, got %#v", op, s.Value), nil)
		}
	case OpEqual, OpNotEqual:
		if !isOperand(s.Value) {
			return fail(fmt.Sprintf("op %s needs a number, string, bool or null value, got %T", op, s.Value), nil)
		}
	}
	return p, nil
}

// keep evaluates the predicate on r.
func (p *predicate) keep(r *record.Record) bool {
	v, present := r.Get(p.field)
	return p.eval(v, present) != p.not
}

func (p *predicate) eval(v any, present bool) bool {
	switch p.op {
	case OpExists:
		return present
	case OpNonEmpty:
		return present && nonEmpty(v)
	case OpEmpty:
		return !present || !nonEmpty(v)
	case OpMatch:
		return present && matches(p.re, v)
	case OpEqual:
		return present && p.equal(v)
	case OpNotEqual:
		return !present || !p.equal(v)
	}
	n, ok := number(v)
	if !present || !ok {
		return false
	}
	switch p.op {
	case OpGreater:
		return n > p.num
	case OpGreaterEqual:
		return n >= p.num
	case OpLess:
		return n < p.num
	}
	return n <= p.num
}
