// Package testsrv holds the small HTTP helpers that the tests and
// benchmarks of several packages share: real loopback servers, responses
// read and checked as error documents, requests served from a client
// address, and a ResponseWriter for benchmarks. Only tests import it.
package testsrv
