package extract

import "context"

// emitAll is the loop of every Extract method: it emits vals in order,
// stopping at the first error from emit or when ctx is done.
func emitAll[T any](ctx context.Context, vals []T, emit func(T) error) error {
	for _, v := range vals {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := emit(v); err != nil {
			return err
		}
	}
	return nil
}
