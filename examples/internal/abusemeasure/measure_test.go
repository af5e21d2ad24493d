package abusemeasure

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/abuse"
)

func TestMeasure(t *testing.T) {
	at := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	w := abuse.Interval{Start: at, End: at.Add(time.Hour)}
	spammer := abuse.Telemetry{Subscription: "s1", Resource: "vm", Window: w, Collected: []abuse.Source{abuse.SourceFlows}}
	for i := range 50 {
		spammer.Flows = append(spammer.Flows, abuse.Flow{Time: at.Add(time.Duration(i) * time.Second), Direction: abuse.Outbound,
			Remote: netip.AddrFrom4([4]byte{198, 51, 100, byte(1 + i)}), Port: 25, Protocol: abuse.TCP, Packets: 20, Bytes: 9000, Flows: 1})
	}
	quiet := abuse.Telemetry{Subscription: "s2", Resource: "vm", Window: w, Collected: []abuse.Source{abuse.SourceFlows}}
	labels := []Label{
		{Subscription: "s1", Resource: "vm", Scenario: "spammer", Categories: []abuse.Category{abuse.Spam}},
		{Subscription: "s2", Resource: "vm", Scenario: "quiet", Categories: []abuse.Category{abuse.Hacking}},
	}
	res, err := Measure(abuse.Config{}, abuse.State{}, []abuse.Telemetry{spammer, quiet}, labels, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Markdown()
	for _, want := range []string{
		"| spam | 1 | 1 | 1 | 1.00 | 1.00 |",
		"| hacking | 1 | 0 | 0 | n/a | 0.00 |",
		"False positives (flagged, not labelled): none.",
		"False negatives (labelled, not flagged): hacking: s2/vm (quiet).",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
}

func TestBlock(t *testing.T) {
	doc := []byte("intro\n<!-- x -->\n| a |\n<!-- /x -->\nend\n")
	i, j, err := block(doc, "x")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("| a |\n", string(doc[i:j])); diff != "" {
		t.Errorf("block (-want +got):\n%s", diff)
	}
	if _, _, err := block(doc, "y"); err == nil {
		t.Error("a missing block is not an error")
	}
}
