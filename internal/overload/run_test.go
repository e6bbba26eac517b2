package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/faultline-go/faultline/internal/measure"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A whole run in miniature: every contender through every step, then the
// report and the plot. It checks the plumbing, not the numbers (those
// need the real run's lengths).
func TestRunInMiniature(t *testing.T) {
	cfg := config{workers: 4, service: 5 * time.Millisecond, deadline: 100 * time.Millisecond,
		step: 200 * time.Millisecond, halved: 400 * time.Millisecond, rounds: 1,
		tick: 50 * time.Millisecond, bin: 50 * time.Millisecond}
	out, cs, err := runAll(context.Background(), cfg, io.Discard)
	require.NoError(t, err)
	require.Len(t, out, 1)
	require.Len(t, out[0], len(cfg.steps()))
	for st, row := range out[0] {
		for c, o := range row {
			assert.NotEmpty(t, o.res, "step %d contender %s", st, cs[c].name)
			for _, r := range o.res {
				assert.Contains(t, []int{200, 503, 0}, r.status, "step %d contender %s", st, cs[c].name)
			}
		}
	}
	a := analyze(cfg, cs, out)
	var md, svg bytes.Buffer
	adm := []admission{{name: "ours", ns: 50}, {name: "Throttle", ns: 40}, {name: "failsafe-go", ns: 400, allocs: 1}}
	require.NoError(t, a.writeMarkdown(&md, measure.Machine{Cores: 2}, "test", time.Second, time.Now(), "OVERLOAD.svg", adm))
	require.NoError(t, a.writeSVG(&svg))
	for _, want := range []string{"## The bars (issue 18)", "| adaptive (ours) |", "| failsafe-go |", "capacity: halved", "![limit and goodput over time](OVERLOAD.svg)"} {
		assert.Contains(t, md.String(), want)
	}
	assert.Equal(t, 9, strings.Count(md.String(), "**met**")+strings.Count(md.String(), "**unmet**"), "every bar is judged")
	dec := xml.NewDecoder(&svg)
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the plot is well-formed XML")
	}
}
