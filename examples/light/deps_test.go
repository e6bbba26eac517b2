package main

import (
	"os/exec"
	"strings"
	"testing"
)

// lightPackages must link nothing heavy: what they import, directly or
// not, is what every program using faultline pays for. This program is
// among them, so that a light package it mounts is checked even when it
// is not listed.
var lightPackages = []string{
	"github.com/faultline-go/faultline/errdoc",
	"github.com/faultline-go/faultline/recoverer",
	"github.com/faultline-go/faultline/middleware",
	"github.com/faultline-go/faultline/ratelimit",
	"github.com/faultline-go/faultline/examples/light",
}

// heavyModules are the modules that only the packages that need them may
// bring: go-redis (ratelimit/rediscounter), go-json-experiment and
// validator with its MIME detector (middleware/jsonbody), xxh3
// (middleware/etag, and go-chi/httprate, which ratelimit must therefore
// not import).
var heavyModules = []string{
	"github.com/redis/go-redis/",
	"github.com/go-json-experiment/json",
	"github.com/go-playground/validator/",
	"github.com/gabriel-vasile/mimetype",
	"github.com/zeebo/xxh3",
	"github.com/go-chi/httprate",
}

// TestLightPackagesLinkNothingHeavy lists every dependency of each light
// package (go list -deps, test files excluded, as a build sees them) and
// fails, naming the package and the path to the module, when one of them
// reaches a heavy module.
func TestLightPackagesLinkNothingHeavy(t *testing.T) {
	goBin, err := exec.LookPath("go") // go test puts its own go first on PATH
	if err != nil {
		t.Fatal(err)
	}
	// One line per package in the build of the light packages: its path,
	// then its direct imports.
	args := append([]string{"list", "-deps", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`}, lightPackages...)
	out, err := exec.Command(goBin, args...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	imports := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		imports[f[0]] = f[1:]
	}
	if len(imports) < len(lightPackages) {
		t.Fatalf("go list listed %d packages for %d light ones", len(imports), len(lightPackages))
	}
	for _, pkg := range lightPackages {
		if path := heavyPath(imports, pkg); path != nil {
			t.Errorf("%s links a heavy module: %s", pkg, strings.Join(path, " -> "))
		}
	}
}

// heavyPath returns an import path from pkg to a package of a heavy
// module, nil when there is none.
func heavyPath(imports map[string][]string, pkg string) []string {
	prev := map[string]string{pkg: ""}
	queue := []string{pkg}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if isHeavy(p) {
			var path []string
			for ; p != ""; p = prev[p] {
				path = append([]string{p}, path...)
			}
			return path
		}
		for _, q := range imports[p] {
			if _, seen := prev[q]; !seen {
				prev[q] = p
				queue = append(queue, q)
			}
		}
	}
	return nil
}

func isHeavy(pkg string) bool {
	for _, m := range heavyModules {
		if strings.HasPrefix(pkg, m) || pkg == strings.TrimSuffix(m, "/") {
			return true
		}
	}
	return false
}

// The guard finds what it guards against: a heavy package one import
// away, and one several imports away, with the path that reaches it.
func TestHeavyPath(t *testing.T) {
	imports := map[string][]string{
		"a": {"b", "fmt"},
		"b": {"c"},
		"c": {"github.com/zeebo/xxh3"},
		"d": {"github.com/redis/go-redis/v9"},
		"e": {"fmt", "github.com/redis/go-redis-helper"},
	}
	if got := strings.Join(heavyPath(imports, "a"), " -> "); got != "a -> b -> c -> github.com/zeebo/xxh3" {
		t.Errorf("a: %q", got)
	}
	if got := heavyPath(imports, "d"); len(got) != 2 {
		t.Errorf("d: %q", got)
	}
	if got := heavyPath(imports, "e"); got != nil {
		t.Errorf("e: %q: a module whose path only starts like a heavy one is not it", got)
	}
	if got := heavyPath(imports, "fmt"); got != nil {
		t.Errorf("fmt: %q", got)
	}
}
