package testsrv

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A browser that dies of a signal is started again, with a fresh profile,
// and its DOM is the second run's.
func TestDumpDOMRetriesACrash(t *testing.T) {
	dir := t.TempDir()
	count := filepath.Join(dir, "runs")
	fake := filepath.Join(dir, "chromium")
	script := "#!/bin/sh\necho x >> " + count + "\nif [ $(wc -l < " + count + ") -lt 2 ]; then kill -SEGV $$; fi\necho '<html>ok</html>'\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	dom := DumpDOM(context.Background(), t, fake, "http://127.0.0.1/")
	if !strings.Contains(string(dom), "ok") {
		t.Fatalf("dom %q", dom)
	}
	runs, _ := os.ReadFile(count)
	if n := strings.Count(string(runs), "x"); n != 2 {
		t.Fatalf("%d runs, want 2: one crash, one success", n)
	}
}
