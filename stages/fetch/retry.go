package fetch

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// backoff is the full-jitter wait before retry n (n = 0 for the first
// retry): u·min(max, base·2ⁿ), with u uniform in [0,1).
func backoff(n int, base, max time.Duration, u float64) time.Duration {
	ceil := max
	if n < 62 && base <= max>>n {
		ceil = base << n
	}
	return time.Duration(u * float64(ceil))
}

// parseRetryAfter reads a Retry-After value, either delay-seconds or an
// HTTP date. A date in the past gives 0. ok is false when v is absent or
// malformed.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(365*24*time.Hour/time.Second) {
			secs = int64(365 * 24 * time.Hour / time.Second) // avoid overflow; far beyond any cap
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// retryableStatus reports whether a status is worth another try.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable,
		http.StatusGatewayTimeout:
		return true
	}
	return false
}

// slowsHost reports whether a status asks the host's limits to back off.
func slowsHost(code int) bool {
	return code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable
}

// retryableErr reports whether a transport error is worth another try:
// network errors and timeouts are; our own verdicts on the response,
// bad certificates and unknown host names are not.
func retryableErr(err error) bool {
	switch {
	case errors.Is(err, ErrBodyTooLarge), errors.Is(err, ErrContentEncoding), errors.Is(err, ErrInvalidURL):
		return false
	}
	var (
		dnsErr      *net.DNSError
		unknownAuth x509.UnknownAuthorityError
		certInvalid x509.CertificateInvalidError
		hostErr     x509.HostnameError
		tlsVerify   *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound,
		errors.As(err, &unknownAuth), errors.As(err, &certInvalid), errors.As(err, &hostErr),
		errors.As(err, &tlsVerify):
		return false
	}
	return true
}

// idempotent reports whether a method may be retried safely.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace,
		http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}
