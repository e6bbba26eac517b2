package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"
)

// result is what one request of a load step got.
type result struct {
	at      time.Duration // its scheduled send time, from the step's start
	latency time.Duration // from the scheduled time to the end of the response
	status  int           // 0 when no response came
	timeout bool          // the client's deadline ended it
}

// load is one open-loop load: segments of constant rates one after
// another, each request with its own deadline.
type load struct {
	segments []segment
	deadline time.Duration
}

// segment is rate requests a second for dur.
type segment struct {
	rate float64
	dur  time.Duration
}

// schedule is the send time of every request of ld, from its start.
func (ld load) schedule() []time.Duration {
	var out []time.Duration
	var base time.Duration
	for _, s := range ld.segments {
		n := int(s.rate * s.dur.Seconds())
		for i := range n {
			out = append(out, base+time.Duration(float64(i)/s.rate*float64(time.Second)))
		}
		base += s.dur
	}
	return out
}

// fire sends the load's requests to url on client at their scheduled
// times (start + i/rate within a segment), whatever the server does: request i is sent at its time on a
// goroutine of its own, never after request i-1 has been answered, so a
// slow server does not slow the arrivals (an open loop, unlike wrk or any
// closed-loop tool). When the generator itself falls behind (a busy
// machine), it sends the late requests at once to catch up, and every
// latency is measured from the scheduled time, so its lateness is counted
// against the server, never hidden (no coordinated omission).
//
// onTick, if not nil, is called every tick while the load runs. fire
// returns once every request has ended, the results in schedule order.
func fire(ctx context.Context, client *http.Client, url string, ld load, tick time.Duration, onTick func(time.Duration)) []result {
	sched := ld.schedule()
	out := make([]result, len(sched))
	var wg sync.WaitGroup
	start := time.Now()
	done, ticked := make(chan struct{}), make(chan struct{})
	if onTick == nil {
		close(ticked)
	} else {
		go func() {
			defer close(ticked)
			t := time.NewTicker(tick)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					onTick(time.Since(start))
				case <-done:
					return
				}
			}
		}()
	}
	for i, at := range sched {
		if d := at - time.Since(start); d > 0 {
			select {
			case <-time.After(d):
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			out = out[:i]
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = send(ctx, client, url, start, at, ld.deadline)
		}()
	}
	wg.Wait()
	close(done)
	<-ticked // onTick is not running and will not run again
	return out
}

// send makes one request scheduled at start+at, with a deadline from that
// time.
func send(ctx context.Context, client *http.Client, url string, start time.Time, at, deadline time.Duration) result {
	ctx, cancel := context.WithDeadline(ctx, start.Add(at+deadline))
	defer cancel()
	res := result{at: at}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		panic(err)
	}
	resp, err := client.Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		res.status = resp.StatusCode
	}
	res.latency = time.Since(start) - at
	if err != nil {
		res.status = 0
		res.timeout = errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil
	}
	return res
}
