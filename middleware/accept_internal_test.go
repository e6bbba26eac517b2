package middleware

import "testing"

// Produces' weighing of a browser-like Accept header allocates nothing.
func TestZeroAllocNegotiation(t *testing.T) {
	offers := []offer{{"application", "json", "application/json"}, {"text", "csv", "text/csv"}}
	const accept = "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8"
	if n := testing.AllocsPerRun(100, func() {
		if got, ok := negotiateOffers(accept, offers); !ok || got != "application/json" {
			t.Fatal(got)
		}
	}); n != 0 {
		t.Errorf("negotiateOffers: %v allocs", n)
	}
}
