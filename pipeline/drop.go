package pipeline

import "errors"

// ErrDrop, returned (possibly wrapped) by a stage's function, drops the
// item quietly: it is not passed on, not counted as failed and not handed
// to the failure handler; it is counted in StageStats.Dropped. It is for
// work a stopping run leaves undone on purpose (an input read ahead but
// not started), which a resumed run then does.
var ErrDrop = errors.New("pipeline: item dropped")
