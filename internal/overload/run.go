package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// config is the run's shape; main sets it from flags.
type config struct {
	workers  int           // the backend's bounded resource
	service  time.Duration // its service time; capacity is workers/service
	deadline time.Duration // the clients' deadline
	step     time.Duration // length of a load step
	halved   time.Duration // how long capacity stays halved
	rounds   int
	tick     time.Duration // the limit is sampled this often
	bin      time.Duration // goodput over time is counted in bins this long
}

// capacity is the backend's capacity in requests a second, at its
// original service time.
func (c config) capacity() float64 { return float64(c.workers) / c.service.Seconds() }

// stepDef is one step of the run: a load, with the capacity change or not.
type stepDef struct {
	name string
	load []segment
	// capacityAt, when not zero, is when the service time doubles; it
	// recovers halved later.
	capacityAt time.Duration
}

func (c config) steps() []stepDef {
	C := c.capacity()
	at := func(mult float64, d time.Duration) segment { return segment{rate: mult * C, dur: d} }
	return []stepDef{
		{name: "0.5x", load: []segment{at(0.5, c.step)}},
		{name: "1x", load: []segment{at(1, c.step)}},
		{name: "2x", load: []segment{at(2, c.step)}},
		// The 5x step ends with a step at 1x, to time the recovery.
		{name: "5x", load: []segment{at(5, c.step), at(1, c.step)}},
		// Capacity halves a step in, for halved, then recovers, at 1x of
		// the original capacity throughout: 2x of the halved one.
		{name: "capacity", load: []segment{at(1, c.step+c.halved+c.step)}, capacityAt: c.step},
	}
}

// sample is the limit at one moment of a step.
type sample struct {
	at    time.Duration
	limit int
}

// outcome is one contender's results in one step of one round.
type outcome struct {
	res    []result
	limits []sample
}

// runAll runs every step for every contender, alternating contenders
// within each step, rounds times. outcomes[round][step][contender].
func runAll(ctx context.Context, cfg config, log io.Writer) ([][][]outcome, []contender, error) {
	var all [][][]outcome
	var names []contender
	for round := range cfg.rounds {
		cs := contenders(cfg.workers)
		names = cs
		type rig struct {
			b      *backend
			url    string
			client *http.Client
			close  func()
		}
		rigs := make([]rig, len(cs))
		for i, c := range cs {
			b := newBackend(cfg.workers, cfg.service)
			srv := newH2CServer(c.wrap(b))
			client := newClient()
			rigs[i] = rig{b: b, url: srv.URL, client: client, close: func() { client.CloseIdleConnections(); srv.Close() }}
		}
		var steps [][]outcome
		for _, st := range cfg.steps() {
			row := make([]outcome, len(cs))
			for i, c := range cs {
				if err := ctx.Err(); err != nil {
					return nil, nil, err
				}
				rg := rigs[i]
				rg.b.setService(cfg.service)
				rg.b.drain(5 * time.Second)
				var limits []sample
				var timers []*time.Timer
				if st.capacityAt > 0 {
					timers = append(timers,
						time.AfterFunc(st.capacityAt, func() { rg.b.setService(2 * cfg.service) }),
						time.AfterFunc(st.capacityAt+cfg.halved, func() { rg.b.setService(cfg.service) }))
				}
				res := fire(ctx, rg.client, rg.url, load{segments: st.load, deadline: cfg.deadline}, cfg.tick, func(d time.Duration) {
					limits = append(limits, sample{at: d, limit: c.limit()})
				})
				for _, t := range timers {
					t.Stop()
				}
				row[i] = outcome{res: res, limits: limits}
				s := summarize(res, 0, st.load[0].dur, cfg.deadline)
				fmt.Fprintf(log, "round %d %-9s %-16s sent %5d goodput %7.1f/s p99 %6.1fms 503s %5d timeouts %5d\n",
					round+1, st.name, c.name, s.sent, s.goodput, ms(s.p99), s.rejected, s.timeouts)
			}
			steps = append(steps, row)
		}
		for _, rg := range rigs {
			rg.b.drain(5 * time.Second)
			rg.close()
		}
		all = append(all, steps)
	}
	return all, names, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
