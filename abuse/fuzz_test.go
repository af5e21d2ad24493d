package abuse_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/riskkit/riskkit/abuse"
	"github.com/riskkit/riskkit/risk"
)

// FuzzParseTelemetry checks that the decoder never panics, that it
// rejects with a located *risk.DocumentError or accepts only valid windows,
// that what it accepts survives encoding and decoding unchanged, and that
// the monitor accepts every window it accepts.
func FuzzParseTelemetry(f *testing.F) {
	f.Add([]byte(goodLine))
	f.Add([]byte("[" + goodLine + "," + goodLine + "]"))
	f.Add([]byte(`{"subscription":"s","window":{"start":"2026-11-20T10:00:00Z","end":"2026-11-20T10:00:01Z"}}`))
	f.Add([]byte(`{"subscription":"s","window":{"start":"2026-11-20T10:00:00Z","end":"2026-11-20T11:00:00Z"},` +
		`"cpu":[{"time":"2026-11-20T10:00:00Z","percent":99.5}],"dns":[{"time":"2026-11-20T10:00:00Z","name":"xkqzjvbwtrpl.com","nxdomain":true}],` +
		`"processes":[{"time":"2026-11-20T10:00:00Z","name":"xmrig","command_line":"-o stratum+tcp://x"}],` +
		`"auth_failures":[{"time":"2026-11-20T10:00:00Z","direction":"inbound","remote":"2001:db8::1","port":22,"count":40}],` +
		`"hosted":[{"time":"2026-11-20T10:00:00Z","url":"https://x/a","verdict":"malicious"}],` +
		`"sign_ins":[{"time":"2026-11-20T10:00:00Z","user":"u","tenant":"t","country":"DE"}],` +
		`"activity":[{"time":"2026-11-20T10:00:00Z","kind":"deployment","sku":"gpu","count":3,"gpus":8}],` +
		`"account":{"tenant":"t","created_at":"2026-11-19T10:00:00Z","unbilled":"10.00 USD","credit_limit":"5.00 USD",` +
		`"accounts_sharing_card":4,"billing_country":"DE","ip_country":"NG","profile":{"kind":"business","seats":1,"countries":["DE"]}}}`))
	f.Add([]byte(`{"subscription": "sub-1",}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"subscription":"s","window":{"start":"2026-11-20T10:00:00Z","end":"2026-11-20T11:00:00Z"},"addresses":["192.0.2.1"],` +
		`"flows":[{"time":"2026-11-20T10:00:00Z","seconds":60,"direction":"outbound","remote":"198.51.100.1","port":53,"protocol":"udp",` +
		`"packets":600000,"bytes":1,"peak_packets":60000,"reply_packets":0,"established":null,"source":"198.51.100.77"}]}`))
	f.Add([]byte(`[`))
	f.Add([]byte(`{"flows":[{"port":70000}]}`))
	f.Add([]byte(`{"account":{"unbilled":"1.00 USD","prepaid":"1.00 EUR"}}`))
	mon, err := abuse.New(abuse.Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := abuse.ParseTelemetry(data)
		if err != nil {
			var de *risk.DocumentError
			if !errors.As(err, &de) || len(de.Issues) == 0 || !errors.Is(err, abuse.ErrInvalidTelemetry) || !strings.HasPrefix(err.Error(), "abuse: telemetry") {
				t.Fatalf("error %q (%T) is not a *risk.DocumentError with problems", err, err)
			}
			if ts != nil {
				t.Fatalf("windows returned with an error")
			}
			for _, p := range de.Issues {
				if p.Line < 0 || p.Column < 0 || p.Line > bytes.Count(data, []byte("\n"))+1 {
					t.Fatalf("problem %+v is located outside the input", p)
				}
			}
			return
		}
		var buf bytes.Buffer
		if err := abuse.EncodeTelemetry(&buf, ts); err != nil {
			t.Fatal(err)
		}
		back, err := abuse.ParseTelemetry(buf.Bytes())
		if err != nil {
			t.Fatalf("re-decoding what was accepted fails: %v\n%s", err, buf.Bytes())
		}
		if diff := cmpDiff(ts, back); diff != "" {
			t.Fatalf("telemetry does not round-trip (-decoded +re-decoded):\n%s", diff)
		}
		var st abuse.State
		for i := range ts {
			var rep abuse.Result
			st, rep, err = evaluate(mon, st, &ts[i], ts[i].Window.End)
			if err != nil {
				t.Fatalf("the monitor rejects a window the decoder accepted: %v", err)
			}
			if len(rep.Failures) > 0 {
				t.Fatalf("built-in detectors failed: %+v", rep.Failures)
			}
		}
	})
}
