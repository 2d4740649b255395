package sources

import "strconv"

// decimal keeps a number's decimal digits so that the next number, the
// usual case for line numbers, costs an in-place increment instead of a
// conversion.
type decimal struct {
	n      int
	digits []byte
}

// of returns n in decimal. The bytes are valid until the next call.
func (d *decimal) of(n int) []byte {
	switch {
	case n == d.n && d.digits != nil:
	case n == d.n+1 && d.n >= 0 && d.digits != nil:
		d.n = n
		d.increment()
	default:
		d.n = n
		d.digits = strconv.AppendInt(d.digits[:0], int64(n), 10)
	}
	return d.digits
}

// increment adds one to the digits of a non-negative number.
func (d *decimal) increment() {
	for i := len(d.digits) - 1; i >= 0; i-- {
		if d.digits[i] != '9' {
			d.digits[i]++
			return
		}
		d.digits[i] = '0'
	}
	d.digits = append(d.digits, '0')
	d.digits[0] = '1'
}
