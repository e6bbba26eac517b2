package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// WrkResult is what one wrk --latency run reports.
type WrkResult struct {
	Requests     int64         // completed requests
	RequestsPerS float64       // Requests/sec
	P50, P99     time.Duration // latency percentiles
	Non2xx3xx    int64         // responses with another status class
	SocketErrors int64         // connect + read + write + timeout errors
	ServerCPU    time.Duration // CPU time the servers' process used during the run (not parsed: measured)
}

// parseWrk reads the output of wrk --latency.
func parseWrk(r io.Reader) (WrkResult, error) {
	var res WrkResult
	var haveRate, haveP99, haveCount bool
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		f := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "Requests/sec:") && len(f) == 2:
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return res, fmt.Errorf("wrk: %q: %v", line, err)
			}
			res.RequestsPerS, haveRate = v, true
		case len(f) == 2 && (f[0] == "50%" || f[0] == "99%"):
			d, err := parseWrkDuration(f[1])
			if err != nil {
				return res, fmt.Errorf("wrk: %q: %v", line, err)
			}
			if f[0] == "50%" {
				res.P50 = d
			} else {
				res.P99, haveP99 = d, true
			}
		case len(f) >= 3 && f[1] == "requests" && f[2] == "in":
			n, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				return res, fmt.Errorf("wrk: %q: %v", line, err)
			}
			res.Requests, haveCount = n, true
		case strings.HasPrefix(line, "Non-2xx or 3xx responses:") && len(f) == 5:
			n, err := strconv.ParseInt(f[4], 10, 64)
			if err != nil {
				return res, fmt.Errorf("wrk: %q: %v", line, err)
			}
			res.Non2xx3xx = n
		case strings.HasPrefix(line, "Socket errors:"):
			// Socket errors: connect 0, read 0, write 0, timeout 0
			for i := 2; i+1 < len(f); i += 2 {
				n, err := strconv.ParseInt(strings.TrimSuffix(f[i+1], ","), 10, 64)
				if err != nil {
					return res, fmt.Errorf("wrk: %q: %v", line, err)
				}
				res.SocketErrors += n
			}
		}
	}
	if err := sc.Err(); err != nil {
		return res, err
	}
	if !haveRate || !haveP99 || !haveCount {
		return res, fmt.Errorf("wrk: no Requests/sec, request count or 99%% latency in its output (was --latency given?)")
	}
	return res, nil
}

// parseWrkDuration parses wrk's latency format: 512.34us, 1.50ms, 2.00s,
// 1.20m, 1.00h.
func parseWrkDuration(s string) (time.Duration, error) {
	units := []struct {
		suffix string
		unit   time.Duration
	}{{"us", time.Microsecond}, {"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil || v < 0 {
				return 0, fmt.Errorf("latency %q", s)
			}
			return time.Duration(v * float64(u.unit)), nil
		}
	}
	return 0, fmt.Errorf("latency %q: unknown unit", s)
}
