package testsrv

import (
	"os/exec"
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
