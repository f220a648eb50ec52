// Package scrapetest holds helpers shared by the tests of scrape, its
// adapters, nlp and datasets: finding the repository root and the shared
// corpus (skipped when absent, a failure under CI=true), and golden files
// of parsed threads in canonical JSON ([ThreadJSON], [Golden]).
package scrapetest
