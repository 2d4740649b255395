package pipeline

// tally is one worker's not-yet-published share of its stage's counters.
// Publishing every item with atomic adds costs more than a trivial stage's
// work, so a worker on quick items publishes every tallyBatch items and
// whenever it is about to wait for input; a worker on slow items (see
// busyClock) publishes at once, so in-flight counts stay exact where they
// matter. Stats may lag a quick stage by up to tallyBatch items per worker
// while it runs; everything is published before the worker exits.
type tally struct {
	c                                   *counters
	in, out, filtered, emitted, dropped int64
	pending                             int
}

const tallyBatch = 64

// item records one more item taken in; slow says the stage is slow. The
// in-flight gauge is always published at once, so an item stuck in a quick
// stage still shows.
func (t *tally) item(slow bool) {
	t.in++
	t.c.working.Add(1)
	if slow {
		t.flush()
	}
}

// returned records that user code returned for the current item.
func (t *tally) returned() { t.c.working.Add(-1) }

// done records the end of an item and publishes when it is time.
func (t *tally) done(slow bool) {
	if t.pending++; slow || t.pending >= tallyBatch {
		t.flush()
	}
}

func (t *tally) flush() {
	if t.in != 0 {
		t.c.in.Add(t.in)
	}
	if t.out != 0 {
		t.c.out.Add(t.out)
	}
	if t.filtered != 0 {
		t.c.filtered.Add(t.filtered)
	}
	if t.emitted != 0 {
		t.c.emitted.Add(t.emitted)
	}
	if t.dropped != 0 {
		t.c.dropped.Add(t.dropped)
	}
	*t = tally{c: t.c}
}

// slow reports whether the worker's busy clock times every item, which it
// does when items take long.
func (c *busyClock) slow() bool { return c.every <= 1 }
