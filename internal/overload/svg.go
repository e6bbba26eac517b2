package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// series is one line of a plot.
type series struct {
	name, color string
	x, y        []float64
}

var colors = map[string]string{
	"none":           "#999999",
	"Throttle tuned": "#1f77b4",
	"Throttle 0.5x":  "#9ecae1",
	"Throttle 2x":    "#08306b",
	ours:             "#d62728",
	failsafe:         "#2ca02c",
}

// writeSVG plots, for the 5x step and the capacity step of round 1, the
// limit over time (the adaptive limiters and Throttle tuned) and the
// goodput over time (every contender).
func (a *analysis) writeSVG(w io.Writer) error {
	const W, H, pw, ph = 1160, 760, 480, 270
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", W, H)
	b.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	s := a.cfg.step
	for col, st := range []int{step5x, stepCapacity} {
		dur := 2 * s
		title := fmt.Sprintf("5x C for %s, then 1x", s)
		if st == stepCapacity {
			dur = 2*s + a.cfg.halved
			title = fmt.Sprintf("1x C; service time doubled from %s to %s", s, s+a.cfg.halved)
		}
		x0 := 60 + float64(col)*(pw+80)
		var lim []series
		for _, name := range []string{tuned, ours, failsafe} {
			c := a.index(name)
			sr := series{name: name, color: colors[name]}
			for _, sm := range a.first[st][c].limits {
				sr.x, sr.y = append(sr.x, sm.at.Seconds()), append(sr.y, float64(sm.limit))
			}
			lim = append(lim, sr)
		}
		panel(&b, x0, 40, pw, ph, "limit: "+title, dur, lim)
		var gp []series
		for c, name := range a.names {
			bins := goodputBins(a.first[st][c].res, a.cfg.bin, dur, a.cfg.deadline)
			sr := series{name: name, color: colors[name]}
			for i, g := range bins {
				sr.x, sr.y = append(sr.x, (time.Duration(i)*a.cfg.bin+a.cfg.bin/2).Seconds()), append(sr.y, g)
			}
			gp = append(gp, sr)
		}
		panel(&b, x0, 40+ph+90, pw, ph, fmt.Sprintf("goodput/s (%s bins): %s", a.cfg.bin, title), dur, gp)
	}
	// The legend.
	for i, name := range a.names {
		x := 60 + float64(i)*170
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%d" x2="%.0f" y2="%d" stroke="%s" stroke-width="3"/><text x="%.0f" y="%d">%s</text>`+"\n",
			x, H-20, x+24, H-20, colors[name], x+30, H-16, name)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// panel draws one plot with its axes at (x0, y0), w by h.
func panel(b *strings.Builder, x0, y0, w, h float64, title string, dur time.Duration, ss []series) {
	ymax := 1.0
	for _, s := range ss {
		for _, y := range s.y {
			ymax = math.Max(ymax, y)
		}
	}
	ymax = niceCeil(ymax * 1.05)
	xmax := dur.Seconds()
	fmt.Fprintf(b, `<text x="%.0f" y="%.0f" font-weight="bold">%s</text>`+"\n", x0, y0-10, title)
	fmt.Fprintf(b, `<rect x="%.0f" y="%.0f" width="%.0f" height="%.0f" fill="none" stroke="#444"/>`+"\n", x0, y0, w, h)
	for i := 0; i <= 4; i++ {
		v := ymax * float64(i) / 4
		y := y0 + h - h*float64(i)/4
		fmt.Fprintf(b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#ddd"/><text x="%.0f" y="%.1f" text-anchor="end">%.0f</text>`+"\n", x0, y, x0+w, y, x0-4, y+4, v)
	}
	for t := 0.0; t <= xmax; t += 2 {
		x := x0 + w*t/xmax
		fmt.Fprintf(b, `<text x="%.1f" y="%.0f" text-anchor="middle">%.0fs</text>`+"\n", x, y0+h+16, t)
	}
	for _, s := range ss {
		if len(s.x) == 0 {
			continue
		}
		var pts []string
		for i := range s.x {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x0+w*s.x[i]/xmax, y0+h-h*s.y[i]/ymax))
		}
		fmt.Fprintf(b, `<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"><title>%s</title></polyline>`+"\n", s.color, strings.Join(pts, " "), s.name)
	}
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}
