package testsrv

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// ChromiumFlags start a headless Chromium that touches nothing but the page
// it is given.
var ChromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-dev-shm-usage", "--hide-scrollbars",
}

// Chromium returns the path of a Chromium binary, skipping the test where
// there is none (.ci/run installs Debian's chromium).
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on PATH: install Debian's chromium (apt-get install chromium) to run the browser tests")
	return ""
}

// chromiumCrashRetries is how many times DumpDOM starts Chromium again after
// it crashed: on a loaded machine the browser itself now and then dies of a
// signal (a segmentation fault in its start-up) before it loads any page,
// which says nothing of the page under test.
const chromiumCrashRetries = 2

// DumpDOM runs headless Chromium (bin, see Chromium) on url with
// ChromiumFlags, a fresh profile and extra flags, and returns the DOM it
// dumps. A run that crashes (the process killed by a signal) is retried up
// to twice; any other failure, or a third crash, fails t.
func DumpDOM(ctx context.Context, t testing.TB, bin, url string, extra ...string) []byte {
	t.Helper()
	for attempt := 0; ; attempt++ {
		args := append(append(append([]string(nil), ChromiumFlags...), "--user-data-dir="+t.TempDir()), extra...)
		cmd := exec.CommandContext(ctx, bin, append(args, "--dump-dom", url)...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		dom, err := cmd.Output()
		if err == nil {
			return dom
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) && ctx.Err() == nil && attempt < chromiumCrashRetries {
			if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				t.Logf("chromium crashed (%v); starting it again", err)
				continue
			}
		}
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
}
