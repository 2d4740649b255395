package testsite

import "math"

// Fault is a misbehaviour the site can show on a request. A request picks
// one with ?fault=<name>; [Server.SetFault] sets one per path; and
// [Config.Faults] gives them to a fraction of the pages.
type Fault string

// The faults. The charset faults serve the page text encoded and declared
// as named; [SampleText] gives the text each one carries in p.sample.
const (
	FaultNone            Fault = ""
	FaultNotFound        Fault = "404"           // 404 Not Found
	FaultServerError     Fault = "500"           // 500 Internal Server Error
	FaultUnavailable     Fault = "503"           // 503, with Retry-After only if ?retry_after= is given
	FaultTooManyRequests Fault = "429"           // 429 with Retry-After (Config.RetryAfter or ?retry_after=; "none" omits it)
	FaultReset           Fault = "reset"         // connection reset: hijack, SO_LINGER 0, close
	FaultHang            Fault = "hang"          // never answers, until the client goes away or Close
	FaultSlowBody        Fault = "slow"          // the page in 1 KiB chunks, Config.SlowInterval apart
	FaultOversize        Fault = "oversize"      // Config.OversizeBytes of HTML, chunked (no Content-Length)
	FaultGzipBomb        Fault = "gzip-bomb"     // Content-Encoding: gzip, Config.BombBytes decompressed
	FaultRedirectLoop    Fault = "redirect-loop" // path → path?hop=1 → path → ...
	FaultCP1252Header    Fault = "cp1252-header" // windows-1252 body, charset in Content-Type only
	FaultCP1252Meta      Fault = "cp1252-meta"   // windows-1252 body, <meta charset> only
	FaultCP1252None      Fault = "cp1252-none"   // windows-1252 body, no declaration anywhere
	FaultLatin1Header    Fault = "latin1-header" // ISO-8859-1 body, charset in Content-Type
	FaultShiftJISHeader  Fault = "sjis-header"   // Shift_JIS body, charset in Content-Type
	FaultShiftJISMeta    Fault = "sjis-meta"     // Shift_JIS body, <meta http-equiv> only
	FaultUTF8BOM         Fault = "utf8-bom"      // UTF-8 with BOM; Content-Type wrongly says windows-1252
	FaultUTF8None        Fault = "utf8-none"     // UTF-8 body, no declaration anywhere
	FaultWrongCharset    Fault = "wrong-charset" // windows-1252 body; Content-Type wrongly says utf-8
)

// AllFaults lists every fault, for table tests.
func AllFaults() []Fault {
	return []Fault{
		FaultNotFound, FaultServerError, FaultUnavailable, FaultTooManyRequests,
		FaultReset, FaultHang, FaultSlowBody, FaultOversize, FaultGzipBomb,
		FaultRedirectLoop, FaultCP1252Header, FaultCP1252Meta, FaultCP1252None,
		FaultLatin1Header, FaultShiftJISHeader, FaultShiftJISMeta, FaultUTF8BOM,
		FaultUTF8None, FaultWrongCharset,
	}
}

// PageFault is the fault [Config.Faults] gives to page id: each page has a
// fixed position in [0,1) derived from its id, and the fault rates are
// laid end to end over that interval. The same id always gets the same
// fault, so a test knows in advance which pages fail.
func (s *Server) PageFault(id int) Fault {
	u := unitHash(uint64(id))
	acc := 0.0
	for _, fr := range s.cfg.Faults {
		acc += fr.Fraction
		if u < acc {
			return fr.Fault
		}
	}
	return FaultNone
}

// unitHash maps x to a well-mixed value in [0,1) (splitmix64).
func unitHash(x uint64) float64 {
	x = mix64(x)
	return float64(x>>11) / math.Exp2(53)
}

func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
