// Command docgen prints the demo API's response-code page, generated from its
// error catalog:
//
//	go run ./examples/docgen                         # Markdown, in the seeds' shape
//	go run ./examples/docgen -format html            # the HTML page browsers get
//	go run ./examples/docgen -format html -lang es   # ... in one of the catalog's languages with page texts
//	go run ./examples/docgen -format openapi         # OpenAPI 3.1: the catalog's components
//	go run ./examples/docgen -format openapi -paths  # ... and the demo's operations referencing them
//
// The same outputs are served by errdoc's DocsHandler (/docs/errors, with
// ?format=html|markdown|openapi or Accept) and OpenAPIHandler.
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
	format := fs.String("format", "markdown", "output format: markdown, html or openapi")
	docsURL := fs.String("docs-url", "", "absolute URL of the published page, for links and the OpenAPI server (default: relative /docs/errors)")
	paths := fs.Bool("paths", false, "with -format openapi: describe the demo's operations as paths")
	lang := fs.String("lang", "", "with -format markdown or html: the page's language, one of the catalog's languages with page texts (default: its default language)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demo.Catalog(), DocsURL: *docsURL})
	opts := errdoc.DocsOptions{API: "The faultline demo API", OpenAPI: demo.OpenAPI(nil), Language: *lang} // as the demo serves it
	switch *format {
	case "markdown", "md":
		return rd.WriteMarkdown(stdout, opts)
	case "html":
		return rd.WriteHTML(stdout, opts)
	case "openapi":
		if *lang != "" {
			return fmt.Errorf("-lang applies to -format markdown and html: the OpenAPI document has one language")
		}
		oa := errdoc.OpenAPIOptions{Title: "faultline demo API errors"}
		if *paths {
			var servers []errdoc.OpenAPIServer // the origin of -docs-url
			if *docsURL == "" {
				servers = []errdoc.OpenAPIServer{{URL: "http://127.0.0.1:8080", Description: "make run"}}
			}
			oa = demo.OpenAPI(servers)
		}
		return rd.WriteOpenAPI(stdout, oa)
	}
	return fmt.Errorf("unknown -format %q (want markdown, html or openapi)", *format)
}
