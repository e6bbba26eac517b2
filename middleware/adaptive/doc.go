// Package adaptive is a concurrency limiter whose limit follows the
// server's measured latency: it answers 503, with Retry-After, through
// errdoc, before queueing makes every request late.
//
// A fixed limit (middleware.Throttle) is right for one capacity only. Set
// too high, an overload queues every request inside the server until all
// of them miss their clients' deadlines; set too low, it refuses traffic
// the server could serve. A Limiter measures the latency of the requests
// it admits and moves its limit to where requests stop queueing:
//
//	lim := adaptive.New(adaptive.Options{
//		Priority:    func(r *http.Request) adaptive.Priority { ... },
//		SkipMeasure: func(r *http.Request) bool { return r.URL.Path == "/healthz" },
//	})
//	r.Route("/v1/work", func(r chi.Router) {
//		r.Use(lim.Handler)
//		r.Post("/", work)
//	})
//
// # How the limit moves
//
// Every Window (100ms by default, and at least 20 measured requests) the
// limiter compares the mean latency of the window, from the slot to the
// handler's return, with a baseline. Only requests admitted under the
// current limit count, and only from a baseline latency after it was set,
// once the server has filled to the new level: a window measures one
// limit. Past Tolerance (1.25x) for two windows running the requests are
// queueing: by Little's law the window's throughput needs
// inflight*baseline/latency requests in flight, and the limit is cut a
// tenth below that, never by more than half at once. One slow window (a
// garbage-collection pause, a noisy neighbour) is not a queue and neither
// cuts nor grows the limit. Within Tolerance, and only when the limit held
// traffic back in the window, the limit grows by half its square root.
// MinLimit and MaxLimit bound it. Under a steady overload the limit thus
// cycles between a tenth below the server's knee and Tolerance past it,
// and Tolerance bounds the latency that queueing adds.
//
// The baseline is the mean latency of the fastest window, and it does not
// ratchet up: a slower window moves it up only when it was measured at no
// more concurrency than the baseline's own window and is slower by more
// than Tolerance, two windows running, which proves the server itself got
// slower (a slower database, a smaller machine) rather than that requests
// queue. A long overload therefore cannot drag the baseline up to the
// overloaded latency and stop the limit from falling, the failure
// failsafe-go's issue 127 describes. When the server does slow down, the
// limit falls until the concurrency is back at the baseline's, where the
// new latency is accepted and the cuts on the way down are undone as far
// as the new baseline explains them. A baseline first measured while
// requests queued (a start under overload) corrects itself: each cut goes
// a tenth below the concurrency it computes, measures a lower latency
// there, and the baseline falls to it. There is no periodic probe of the
// minimum latency, which drops the limit on a timer and bursts 503s (Envoy
// issue 8337). The limit never grows while traffic does not reach it, so
// it does not creep up on an idle or lightly loaded server, and it stops
// at MaxLimit when latency is flat (every request timing out at the same
// time, Netflix concurrency-limits issue 137).
//
// A limiter that sees no measured traffic for a while does not restart
// from a bogus baseline. The baseline is never decayed or expired on a
// timer, so a pause does not erase it, and it is replaced only by the
// evidence above: a faster window lowers it at once, and a server that got
// slower during the pause is handled as any slowdown. A window needs 20
// measured requests, so a trickle after the pause cannot set anything from
// one or two samples; and a window that spans a pause of 5 seconds (or 50
// windows, whichever is longer) is dropped whole, since its samples mix
// the server before the pause with the server after it. The limit stays
// where it was, so returning traffic is not met by a collapsed limit.
// Requests for which SkipMeasure reports true (health checks, cached
// answers) take a slot but are not measured, so their cheap answers cannot
// make a bogus minimum (concurrency-limits PR 125).
//
// # The queue
//
// A request that finds every slot taken waits in a bounded queue
// (QueueSize, 128 by default) under CoDel's rule: while the queue drains
// in time, a request waits up to QueueInterval (100ms) and is served
// oldest first, which absorbs a burst; once some request has waited
// longer than QueueTarget (5ms), the queue counts as standing for the
// next QueueInterval: a new request waits only QueueTarget and the queue
// is served newest first, so that the requests served are those whose
// clients still wait, and a standing queue adds at most QueueTarget to
// anyone's latency. A freed slot goes straight to a waiter. The wait
// runs under a context derived from the request's; the limiter ends it
// with ErrQueueTimeout or ErrEvicted as the context's cause, and a
// request whose own context ends while it waits is refused with that
// context's cause, which is never reported as the limiter's timeout.
//
// Priority (per request, from Options.Priority) picks a class: Sheddable
// requests never wait and leave a tenth of the limit to the others, so
// they are refused first; Critical requests are served from the queue
// before Normal ones and push the oldest Normal waiter out of a full
// queue.
//
// # Cost and safety
//
// Admission with a free slot takes no lock and allocates nothing
// (TestAdmissionAllocatesNothing): a compare-and-swap for the slot, an
// atomic add to give it back, and for a measured request two reads of the
// monotonic clock and three atomic adds. The clock reads are most of that
// cost, so under heavy traffic only a random sample of the requests is
// measured: once a window holds 128 measurements, one request in two, then
// one in four, and so on, back to every request when traffic falls.
// BenchmarkAdmission (in internal/overload, beside Throttle and
// failsafe-go) measures it. A refusal is one small error value and
// errdoc's document.
//
// A slot is released when the handler returns or panics
// (TestPanicReleasesTheSlot); a waiter whose request ends leaves the queue
// then (TestHangUpsAndConcurrencyOverTheWire). The limiter starts no
// goroutine: waiters wait on the requests' own goroutines, and the only
// timer is each waiter's context deadline, stopped when its wait ends. A
// waiter holds nothing of another request, and is handed a slot under the
// queue's lock or not at all. Snapshot reports the limit, the requests in
// flight and queued, the refusals, and the baseline and latency the limit
// follows.
package adaptive
