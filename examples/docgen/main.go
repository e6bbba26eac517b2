// Command docgen prints the demo API's response-code page, generated from its
// error catalog:
//
//	go run ./examples/docgen                 # Markdown, in the seeds' shape
//	go run ./examples/docgen -format openapi # OpenAPI 3.1 JSON components
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/examples/demo"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("docgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "markdown", "output format: markdown or openapi")
	docsURL := fs.String("docs-url", "", "absolute URL of the published page, for links (default: relative /docs/errors)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demo.Catalog(), DocsURL: *docsURL})
	switch *format {
	case "markdown", "md":
		return rd.WriteMarkdown(stdout, errdoc.DocsOptions{API: "The faultline demo API"})
	case "openapi":
		return rd.WriteOpenAPI(stdout, "faultline demo API errors")
	}
	return fmt.Errorf("unknown -format %q (want markdown or openapi)", *format)
}
