package readme_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// listenDefault finds the address an example listens on when given none:
// a flag's default, or the fallback the server assigns.
var listenDefault = regexp.MustCompile(`(?:String\("addr", |addr = )"(127\.0\.0\.1:\d+)"`)

// Every example program listens on its own port by default, so that any
// two run side by side (the demo's make run on 8080 among them).
func TestExamplesListenOnTheirOwnPorts(t *testing.T) {
	files, err := filepath.Glob("../../*/*.go")
	if err != nil || len(files) < 5 {
		t.Fatalf("example programs: %v, %v", files, err)
	}
	owner := map[string]string{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range listenDefault.FindAllSubmatch(src, -1) {
			addr := string(m[1])
			if prev, ok := owner[addr]; ok && prev != path {
				t.Errorf("%s and %s both listen on %s by default", prev, path, addr)
			}
			owner[addr] = path
		}
	}
	if len(owner) < 5 {
		t.Fatalf("found the default addresses of only %d examples: %v", len(owner), owner)
	}
}
