package observe

// Kind is a set of event kinds. An observer that needs only some kinds
// says so with [Only], and a publisher asks [Hub.Wants] before it builds
// an event: a run whose observers want no Fetch events builds none, which
// saves an allocation and a hand-off per request.
type Kind uint16

// The kinds of events, one bit each.
const (
	KindRunStarted Kind = 1 << iota
	KindStageSnapshot
	KindFetch
	KindFailure
	KindCommitted
	KindWarning
	KindRunFinished

	// KindAll is every kind: what an observer not wrapped by Only sees.
	KindAll = KindRunStarted | KindStageSnapshot | KindFetch | KindFailure | KindCommitted | KindWarning | KindRunFinished
)

// KindOf is e's kind; 0 for a nil or unknown event.
func KindOf(e Event) Kind {
	switch e.(type) {
	case *RunStarted:
		return KindRunStarted
	case *StageSnapshot:
		return KindStageSnapshot
	case *Fetch:
		return KindFetch
	case *Failure:
		return KindFailure
	case *Committed:
		return KindCommitted
	case *Warning:
		return KindWarning
	case *RunFinished:
		return KindRunFinished
	}
	return 0
}

// Selective is an Observer that declares the kinds of events it uses; the
// hub hands it only those, and its RunFinished, which ends every
// observer's stream. [Only] makes any observer selective.
type Selective interface {
	Observer
	Kinds() Kind
}

// Only wraps o so that it is handed only events of the kinds in k (and
// its RunFinished). Only and [Lossless] combine in either order.
func Only(o Observer, k Kind) Observer { return only{o, k | KindRunFinished} }

type only struct {
	Observer
	kinds Kind
}

// Kinds makes only a Selective.
func (o only) Kinds() Kind { return o.kinds }
