package adaptive

import (
	"fmt"
	"net/http"
	"time"
)

// Priority is a request's class. A request of a lower class is refused
// before one of a higher class: Sheddable traffic never waits and is
// refused first, Critical traffic is served from the queue before Normal
// traffic and may push a Normal waiter out of a full queue.
type Priority int8

// The classes, lowest first. Normal is the zero value: a request is Normal
// unless Options.Priority says otherwise.
const (
	Sheddable Priority = -1
	Normal    Priority = 0
	Critical  Priority = 1
)

// String names the class for logs.
func (p Priority) String() string {
	switch p {
	case Sheddable:
		return "sheddable"
	case Normal:
		return "normal"
	case Critical:
		return "critical"
	}
	return fmt.Sprintf("Priority(%d)", int8(p))
}

// Options configures New. The zero value is a working limiter; every field
// documents what its zero value means.
type Options struct {
	// MinLimit is the floor of the in-flight limit: the limit never falls
	// below it, however slow the server gets. Zero means 2.
	MinLimit int

	// MaxLimit is the ceiling of the in-flight limit. Zero means 1000.
	MaxLimit int

	// InitialLimit is the limit before the first measurement. Zero means
	// 20, clamped to [MinLimit, MaxLimit].
	InitialLimit int

	// QueueSize is how many requests may wait for a slot when every slot
	// is taken. Zero means 128; a negative value means none wait.
	QueueSize int

	// QueueInterval is the longest a request waits in the queue while the
	// queue drains in time, and how long the queue counts as standing
	// after a request waited longer than QueueTarget. Zero means 100ms.
	QueueInterval time.Duration

	// QueueTarget is CoDel's target: once a request has waited longer than
	// this (timed out, or served late), the queue stands for
	// QueueInterval, during which a request joining it waits at most
	// QueueTarget and the queue is served newest first. Zero means 5ms.
	QueueTarget time.Duration

	// Window is the shortest measurement window: the limit is revised once
	// a window has lasted this long and holds at least 20 measured
	// requests. Zero means 100ms.
	Window time.Duration

	// Tolerance is how much slower than the baseline the mean latency may
	// be before the limit falls: 1.25 lets it be a quarter above the
	// baseline. Under a steady overload the limit cycles between a tenth
	// below the server's knee and Tolerance past it, so Tolerance bounds
	// the latency that queueing adds. Zero means 1.25; a value must be
	// above 1 (below 1.1, noise alone cuts the limit).
	Tolerance float64

	// Priority chooses each request's class. Nil means every request is
	// Normal. It runs on every request: keep it cheap.
	Priority func(*http.Request) Priority

	// SkipMeasure reports the requests whose latency must not be measured,
	// such as health checks whose cheap answers would drag the baseline
	// down. They still take a slot. Nil means every request is measured.
	SkipMeasure func(*http.Request) bool

	// RetryAfter is sent in the 503's Retry-After header, rounded up to
	// whole seconds. Zero means 1 second.
	RetryAfter time.Duration
}

// withDefaults validates opts and fills in the zero values.
func (opts Options) withDefaults() Options {
	switch {
	case opts.MinLimit < 0 || opts.MaxLimit < 0 || opts.InitialLimit < 0:
		panic("adaptive: MinLimit, MaxLimit and InitialLimit must not be negative")
	case opts.QueueInterval < 0 || opts.QueueTarget < 0 || opts.Window < 0 || opts.RetryAfter < 0:
		panic("adaptive: QueueInterval, QueueTarget, Window and RetryAfter must not be negative")
	case opts.Tolerance != 0 && !(opts.Tolerance > 1):
		panic(fmt.Sprintf("adaptive: Tolerance must be above 1, got %v", opts.Tolerance))
	}
	if opts.MinLimit == 0 {
		opts.MinLimit = 2
	}
	if opts.MaxLimit == 0 {
		opts.MaxLimit = max(1000, opts.MinLimit)
	}
	if opts.MinLimit > opts.MaxLimit {
		panic(fmt.Sprintf("adaptive: MinLimit %d is above MaxLimit %d", opts.MinLimit, opts.MaxLimit))
	}
	if opts.InitialLimit == 0 {
		opts.InitialLimit = 20
	}
	opts.InitialLimit = min(max(opts.InitialLimit, opts.MinLimit), opts.MaxLimit)
	switch {
	case opts.QueueSize == 0:
		opts.QueueSize = 128
	case opts.QueueSize < 0:
		opts.QueueSize = 0
	}
	if opts.QueueInterval == 0 {
		opts.QueueInterval = 100 * time.Millisecond
	}
	if opts.QueueTarget == 0 {
		opts.QueueTarget = 5 * time.Millisecond
	}
	if opts.Window == 0 {
		opts.Window = 100 * time.Millisecond
	}
	if opts.Tolerance == 0 {
		opts.Tolerance = 1.25
	}
	if opts.RetryAfter == 0 {
		opts.RetryAfter = time.Second
	}
	return opts
}
