package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/riskkit/riskkit/abuse"
)

// TestCommittedFilesAreCurrent regenerates the files in memory and compares
// them with the files the examples package embeds.
func TestCommittedFilesAreCurrent(t *testing.T) { command.CheckCommitted(t) }

// TestRun checks that the output flag writes what generate returns and
// that bad arguments are errors.
func TestRun(t *testing.T) { command.CheckRun(t) }

// TestEverySourceAndQuirk decodes the notices and checks that every source
// and every quirk the decoders tolerate is in the sample, and that every
// decision names a notice of it.
func TestEverySourceAndQuirk(t *testing.T) {
	nb, db, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	ns, err := abuse.ParseNoticeFile(nb)
	if err != nil {
		t.Fatal(err)
	}
	sources := map[abuse.NoticeSource]int{}
	keys := map[string]bool{}
	for _, n := range ns {
		sources[n.Source]++
		keys[n.Key()] = true
	}
	for _, s := range abuse.NoticeSources() {
		if sources[s] == 0 {
			t.Errorf("no %s notice", s)
		}
	}
	text := string(nb)
	for _, quirk := range []string{
		`"eventTime":"2026-11-16T09:36:02.53"`, // no zone
		`"hitCount":"57"`,                      // a number in a string
		`"IsTest":"false"`,                     // PascalCase, a boolean in a string
		`"isTest":"true"`,                      // a test alert
		`"activityLogs":""`,                    // activity log as a string
		`9999-12-31T23:59:59.9970000`,          // the sentinel
		`"resolvedReason":"None"`,              // no reason
		`"miningPool_IP":"[\r\n`,               // a list inside a string
		`"confidenceLevel":"unknownFutureValue"`,
		`"alertType":"AzureOpenAI_AnomalousTokenUsage"`,
		`+00:00"`, // an offset
	} {
		if !strings.Contains(text, quirk) {
			t.Errorf("the sample lacks %s", quirk)
		}
	}
	var ds []struct {
		Notice string `json:"notice"`
	}
	if err := json.Unmarshal(db, &ds); err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if !keys[d.Notice] {
			t.Errorf("decision names no notice of the sample: %s", d.Notice)
		}
	}
	var tests []string
	for _, n := range ns {
		if n.Test {
			tests = append(tests, n.Subscription)
		}
	}
	if !slices.Equal(tests, []string{"sub-002"}) {
		t.Errorf("test notices of %v, want sub-002", tests)
	}
}
