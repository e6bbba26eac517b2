package measure

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// Machine describes where numbers come from.
type Machine struct {
	GoVersion string // go env GOVERSION, else this binary's runtime.Version
	OSArch    string // linux/amd64
	CPU       string // the model name, "" where unknown
	Cores     int    // logical CPUs
}

// Describe returns this machine's description; goCmd is the go command
// whose toolchain builds what is measured ("go").
func Describe(ctx context.Context, goCmd string) Machine {
	m := Machine{Cores: runtime.NumCPU(), OSArch: runtime.GOOS + "/" + runtime.GOARCH, GoVersion: runtime.Version()}
	if out, err := exec.CommandContext(ctx, goCmd, "env", "GOVERSION", "GOOS", "GOARCH").Output(); err == nil {
		if f := strings.Fields(string(out)); len(f) == 3 {
			m.GoVersion, m.OSArch = f[0], f[1]+"/"+f[2]
		}
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPU = cpuModel(string(b))
	}
	return m
}

// cpuModel returns the first "model name" of /proc/cpuinfo's text.
func cpuModel(cpuinfo string) string {
	for _, line := range strings.Split(cpuinfo, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// LoadAverage returns the 1-, 5- and 15-minute load averages of
// /proc/loadavg, "" where unknown: on a shared machine, how busy it was.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
