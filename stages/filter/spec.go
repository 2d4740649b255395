package filter

// Op is a predicate's operator.
type Op string

// The operators. Aliases are accepted in specs: "=", "eq" and "equals" for
// ==; "ne" for !=; "gt", "ge", "lt", "le" for the orderings; "nonempty"
// for non_empty.
const (
	OpEqual        Op = "=="        // the field equals Value (numerically if both are numbers)
	OpNotEqual     Op = "!="        // the negation of ==
	OpGreater      Op = ">"         // numeric comparisons: Value must be a number
	OpGreaterEqual Op = ">="        //
	OpLess         Op = "<"         //
	OpLessEqual    Op = "<="        //
	OpMatch        Op = "match"     // the field's text matches the regular expression Match
	OpNonEmpty     Op = "non_empty" // present, not nil, not blank text, not an empty list or map
	OpEmpty        Op = "empty"     // the negation of non_empty
	OpExists       Op = "exists"    // the field is present in the record, whatever its value
)

// Spec is one predicate on a record field, the same in Go and YAML:
//
//   - {field: price, op: ">", value: 10}
//   - {field: title, match: "^A"}
//   - {field: sku, op: non_empty}
//   - {field: status, op: "==", value: sold, not: true}
type Spec struct {
	// Field is the name of the (top-level) record field the predicate
	// looks at.
	Field string `yaml:"field"`
	// Op is the operator; empty means match when Match is set.
	Op Op `yaml:"op"`
	// Value is the operand of comparisons: a number, string or bool.
	Value any `yaml:"value"`
	// Match is the regular expression of OpMatch (RE2 syntax). For a list
	// field, any element matching is enough.
	Match string `yaml:"match"`
	// Not negates the predicate.
	Not bool `yaml:"not"`
}

// canonical maps operator spellings to the operators; ok is false for an
// unknown one.
func canonical(op Op) (Op, bool) {
	switch op {
	case "==", "=", "eq", "equals":
		return OpEqual, true
	case "!=", "ne":
		return OpNotEqual, true
	case ">", "gt":
		return OpGreater, true
	case ">=", "ge":
		return OpGreaterEqual, true
	case "<", "lt":
		return OpLess, true
	case "<=", "le":
		return OpLessEqual, true
	case "match":
		return OpMatch, true
	case "non_empty", "nonempty":
		return OpNonEmpty, true
	case "empty":
		return OpEmpty, true
	case "exists":
		return OpExists, true
	}
	return op, false
}
