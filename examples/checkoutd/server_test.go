package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/onboarding"
	"github.com/riskkit/riskkit/risk"
)

var t0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func examplePolicy(t testing.TB, name string) string {
	t.Helper()
	b, err := examples.Policy(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkouts returns the inputs of the example transactions, as JSON.
func checkouts(t testing.TB, n int) [][]byte {
	t.Helper()
	data, err := examples.Data("transactions.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for l := range bytes.Lines(data) {
		var rec struct {
			Input json.RawMessage `json:"input"`
		}
		if err := json.Unmarshal(l, &rec); err != nil {
			t.Fatal(err)
		}
		out = append(out, rec.Input)
		if len(out) == n {
			break
		}
	}
	return out
}

func firstApplicant(t testing.TB) []byte {
	t.Helper()
	data, err := examples.Data("applicants.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	l, _, _ := bytes.Cut(data, []byte("\n"))
	return l
}

// newServer returns a server on fsys, loaded, with a fixed clock.
func newServer(t testing.TB, fsys fs.FS) (*server, *store) {
	t.Helper()
	m := newMetrics()
	st := newStore(fsys, func() time.Time { return t0 }, quietLog(), m)
	if err := st.reload(); err != nil {
		t.Fatal(err)
	}
	return &server{store: st, metrics: m, log: quietLog(), now: func() time.Time { return t0 }, maxBody: 64 << 10}, st
}

func embedded(t testing.TB) fs.FS {
	t.Helper()
	fsys, err := embeddedPolicies()
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

type response struct {
	code   int
	header http.Header
	body   string
}

func do(h http.Handler, method, path, contentType, body string) response {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return response{w.Code, w.Header(), w.Body.String()}
}

func decodeError(t *testing.T, body string) errorBody {
	t.Helper()
	var e apiError
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	return e.Error
}

func TestCheckout(t *testing.T) {
	srv, st := newServer(t, embedded(t))
	h := srv.handler()
	in := checkouts(t, 1)[0]

	var c risk.Checkout
	if err := json.Unmarshal(in, &c); err != nil {
		t.Fatal(err)
	}
	want := st.current().checkout.Evaluate(&c)
	r := do(h, "POST", "/v1/checkout", "application/json", string(in))
	if r.code != 200 || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, content type %q: %s", r.code, r.header.Get("Content-Type"), r.body)
	}
	var got checkoutResponse
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(checkoutResponse{Decision: want, Reasons: want.Reasons()}, got); diff != "" {
		t.Errorf("the service's decision differs from the engine's (-want +got):\n%s", diff)
	}
}

func TestCheckoutErrors(t *testing.T) {
	srv, _ := newServer(t, embedded(t))
	h := srv.handler()
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		code        int
		errCode     string
		issues      []risk.Issue
		allow       string
	}{
		{name: "malformed JSON on a later line", method: "POST", path: "/v1/checkout", body: "{\n  \"txn\": {\"id\": \"t1\"]\n}",
			code: 400, errCode: "invalid_checkout", issues: []risk.Issue{{Line: 2, Column: 21, Msg: "syntax error: invalid character ']' after object key:value pair"}}},
		{name: "unknown field", method: "POST", path: "/v1/checkout", body: `{"txn": {"amout": "20.00 USD"}}`,
			code: 400, errCode: "invalid_checkout", issues: []risk.Issue{{Path: "txn.amout", Line: 1, Column: 10, Msg: `unknown key "amout"; did you mean "amount"?`}}},
		{name: "bad amount", method: "POST", path: "/v1/checkout", contentType: "application/json; charset=utf-8", body: `{"txn": {"amount": "20.00 XXQ"}}`,
			code: 400, errCode: "invalid_checkout", issues: []risk.Issue{{Path: "txn.amount", Line: 1, Column: 20, Msg: `parse money "20.00 XXQ": unknown currency "XXQ"`}}},
		{name: "empty body", method: "POST", path: "/v1/checkout",
			code: 400, errCode: "invalid_checkout", issues: []risk.Issue{{Msg: "the document is empty"}}},
		{name: "too large", method: "POST", path: "/v1/checkout", body: `{"txn": {"id": "` + strings.Repeat("x", 70<<10) + `"}}`,
			code: 413, errCode: "body_too_large"},
		{name: "not JSON", method: "POST", path: "/v1/checkout", contentType: "text/plain", body: `{}`,
			code: 415, errCode: "unsupported_media_type"},
		{name: "wrong method", method: "GET", path: "/v1/checkout", code: 405, errCode: "method_not_allowed", allow: "POST"},
		{name: "unknown path", method: "GET", path: "/v2/checkout", code: 404, errCode: "not_found"},
		{name: "bad zone", method: "POST", path: "/v1/onboarding/assess?tz=Mars/Olympus", body: `{}`,
			code: 400, errCode: "invalid_query", issues: []risk.Issue{{Path: "tz", Msg: "unknown time zone Mars/Olympus"}}},
		{name: "bad time", method: "POST", path: "/v1/onboarding/assess?at=yesterday", body: `{}`,
			code: 400, errCode: "invalid_query", issues: []risk.Issue{{Path: "at", Msg: `parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`}}},
		{name: "applicant with a located problem", method: "POST", path: "/v1/onboarding/assess", body: "{\n  \"kind\": \"robot\"\n}",
			code: 400, errCode: "invalid_applicant"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(h, tc.method, tc.path, tc.contentType, tc.body)
			if r.code != tc.code {
				t.Fatalf("status %d, want %d: %s", r.code, tc.code, r.body)
			}
			e := decodeError(t, r.body)
			if e.Code != tc.errCode || e.Status != tc.code || e.Message == "" {
				t.Errorf("error %+v, want code %s", e, tc.errCode)
			}
			if tc.issues != nil {
				if diff := cmp.Diff(tc.issues, e.Issues); diff != "" {
					t.Errorf("issues (-want +got):\n%s", diff)
				}
			}
			if tc.errCode == "invalid_applicant" {
				if len(e.Issues) == 0 || e.Issues[0].Line != 2 || e.Issues[0].Path != "kind" {
					t.Errorf("issues %+v, want kind at line 2", e.Issues)
				}
			}
			if got := r.header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow %q, want %q", got, tc.allow)
			}
		})
	}
}

func TestAssess(t *testing.T) {
	srv, st := newServer(t, embedded(t))
	h := srv.handler()
	body := firstApplicant(t)
	a, err := onboarding.DecodeApplicant(body)
	if err != nil {
		t.Fatal(err)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	at := a.Signup.At.Add(time.Minute)
	as, err := onboarding.NewAssessor(st.current().onboardingPolicy, onboarding.Options{Location: berlin})
	if err != nil {
		t.Fatal(err)
	}
	res, err := as.Evaluate(onboarding.Assessment{}, onboarding.Event{Applicant: &a}, at)
	if err != nil {
		t.Fatal(err)
	}
	want := res.Assessment
	r := do(h, "POST", "/v1/onboarding/assess?tz=Europe/Berlin&at="+at.Format(time.RFC3339), "", string(body))
	if r.code != 200 {
		t.Fatalf("status %d: %s", r.code, r.body)
	}
	wantJSON, _ := json.Marshal(want)
	if diff := cmp.Diff(string(wantJSON)+"\n", r.body); diff != "" {
		t.Errorf("the service's assessment differs from the assessor's (-want +got):\n%s", diff)
	}

	// Without an onboarding policy the endpoint says so.
	noOnboarding, _ := newServer(t, fstest.MapFS{"checkout.yaml": {Data: []byte(examplePolicy(t, "checkout.yaml"))}})
	r = do(noOnboarding.handler(), "POST", "/v1/onboarding/assess", "", string(body))
	if r.code != 503 || decodeError(t, r.body).Code != "no_policy" {
		t.Errorf("without onboarding.yaml: status %d: %s", r.code, r.body)
	}
}

func TestHealthzAndStatus(t *testing.T) {
	srv, _ := newServer(t, embedded(t))
	h := srv.handler()
	r := do(h, "GET", "/healthz", "", "")
	if r.code != 200 || r.body != `{"ok":true,"policies":["checkout","onboarding"]}`+"\n" {
		t.Errorf("healthz: %d %s", r.code, r.body)
	}
	r = do(h, "GET", "/v1/status", "", "")
	var st status
	if err := json.Unmarshal([]byte(r.body), &st); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range st.Policies {
		got = append(got, p.File+" "+p.PolicyID+" "+p.Version)
	}
	if diff := cmp.Diff([]string{"checkout.yaml checkout 2026.11.3", "onboarding.yaml onboarding 2026.11.1"}, got); diff != "" || len(st.Problems) != 0 {
		t.Errorf("status policies (-want +got):\n%s\nproblems: %+v", diff, st.Problems)
	}
}

// policyDir writes the example policies to a temporary directory.
func policyDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range policyFiles {
		writePolicy(t, dir, f.name, examplePolicy(t, f.name))
	}
	return dir
}

func writePolicy(t testing.TB, dir, name, content string) {
	t.Helper()
	// Write and rename, as an editor or a deployment does, so that a poll
	// never reads half a file.
	tmp := filepath.Join(dir, "."+name+".tmp")
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

// withVersion returns the example checkout policy with another version.
func withVersion(t testing.TB, v string) string {
	return strings.Replace(examplePolicy(t, "checkout.yaml"), `version: "2026.11.3"`, `version: "`+v+`"`, 1)
}

// broken is the example checkout policy with a misspelt field in a rule.
func broken(t testing.TB) string {
	return strings.Replace(examplePolicy(t, "checkout.yaml"), "payment.funding in lists.high_risk_funding", "payment.fundin in lists.high_risk_funding", 1)
}

// brokenAt is where broken's problem is: CEL places a field selection at
// its dot.
func brokenAt(t testing.TB) (line, col int) {
	src := examplePolicy(t, "checkout.yaml")
	i := strings.Index(src, "payment.funding in lists.high_risk_funding") + len("payment")
	line = 1 + strings.Count(src[:i], "\n")
	col = i - strings.LastIndex(src[:i], "\n")
	return line, col
}

func TestReload(t *testing.T) {
	dir := policyDir(t)
	srv, st := newServer(t, os.DirFS(dir))
	h := srv.handler()
	version := func() string { return st.current().checkout.PolicyVersion() }

	writePolicy(t, dir, "checkout.yaml", withVersion(t, "v2"))
	if err := st.reload(); err != nil {
		t.Fatal(err)
	}
	if version() != "v2" {
		t.Fatalf("after a change the version is %s, want v2", version())
	}

	writePolicy(t, dir, "checkout.yaml", broken(t))
	for range 2 { // the second poll sees the same broken file
		if err := st.reload(); err != nil {
			t.Fatalf("a broken file with a previous version serving: %v", err)
		}
	}
	if version() != "v2" {
		t.Errorf("a broken file replaced the serving version: %s", version())
	}
	line, col := brokenAt(t)
	s := st.currentStatus()
	if len(s.Problems) != 1 {
		t.Fatalf("problems %+v, want one", s.Problems)
	}
	p := s.Problems[0]
	if p.File != "checkout.yaml" || p.Serving != "v2" || len(p.Issues) != 1 || p.Issues[0].Line != line || p.Issues[0].Column != col || p.Issues[0].RuleID != "high_risk_funding" {
		t.Errorf("problem %+v, want checkout.yaml at %d:%d in rule high_risk_funding, v2 serving", p, line, col)
	}
	r := do(h, "POST", "/v1/checkout", "", string(checkouts(t, 1)[0]))
	if r.code != 200 || !strings.Contains(r.body, `"policy_version":"v2"`) {
		t.Errorf("while the file is broken: %d %s", r.code, r.body)
	}
	var metricsOut strings.Builder
	srv.metrics.write(&metricsOut, st.currentStatus())
	for _, want := range []string{
		`checkoutd_policy_reloads_total{file="checkout.yaml",result="failed"} 1`,
		`checkoutd_policy_reloads_total{file="checkout.yaml",result="loaded"} 2`,
		`checkoutd_policy_problems{file="checkout.yaml"} 1`,
		`checkoutd_policy_info{file="checkout.yaml",kind="checkout",policy_id="checkout",version="v2"} 1`,
	} {
		if !strings.Contains(metricsOut.String(), want) {
			t.Errorf("metrics lack %s:\n%s", want, metricsOut.String())
		}
	}

	writePolicy(t, dir, "checkout.yaml", withVersion(t, "v3"))
	if err := st.reload(); err != nil {
		t.Fatal(err)
	}
	if s := st.currentStatus(); version() != "v3" || len(s.Problems) != 0 {
		t.Errorf("after the fix: version %s, problems %+v", version(), s.Problems)
	}

	// A file that disappears keeps its version serving, reported.
	if err := os.Remove(filepath.Join(dir, "onboarding.yaml")); err != nil {
		t.Fatal(err)
	}
	st.reload()
	if s := st.currentStatus(); st.current().onboarding == nil || len(s.Problems) != 1 || s.Problems[0].File != "onboarding.yaml" {
		t.Errorf("after onboarding.yaml was removed: problems %+v", s.Problems)
	}
}

func TestStartWithBrokenPolicy(t *testing.T) {
	dir := policyDir(t)
	writePolicy(t, dir, "checkout.yaml", broken(t))
	st := newStore(os.DirFS(dir), time.Now, quietLog(), newMetrics())
	err := st.reload()
	line, col := brokenAt(t)
	if want := fmt.Sprintf("checkout.yaml:%d:%d: rule high_risk_funding: ", line, col); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want an error with %q", err, want)
	}
}

// TestReloadUnderLoad swaps policies, good and broken, while clients
// decide checkouts over loopback: every request is answered with one of the
// good versions, never an error.
func TestReloadUnderLoad(t *testing.T) {
	dir := policyDir(t)
	srv, st := newServer(t, os.DirFS(dir))
	ts := httptest.NewServer(srv.handler())
	defer ts.Close()
	inputs := checkouts(t, 50)

	const clients, requests = 4, 100
	var wg sync.WaitGroup
	errs := make(chan string, clients*requests)
	for c := range clients {
		wg.Go(func() {
			for i := range requests {
				resp, err := ts.Client().Post(ts.URL+"/v1/checkout", "application/json", bytes.NewReader(inputs[(c*requests+i)%len(inputs)]))
				if err != nil {
					errs <- err.Error()
					continue
				}
				var d checkoutResponse
				err = json.NewDecoder(resp.Body).Decode(&d)
				resp.Body.Close()
				switch {
				case err != nil || resp.StatusCode != 200:
					errs <- fmt.Sprintf("status %d, %v", resp.StatusCode, err)
				case d.PolicyVersion != "2026.11.3" && d.PolicyVersion != "a" && d.PolicyVersion != "b":
					errs <- "served version " + d.PolicyVersion
				}
			}
		})
	}
	contents := []string{withVersion(t, "a"), broken(t), withVersion(t, "b")}
	for i := range 30 {
		writePolicy(t, dir, "checkout.yaml", contents[i%len(contents)])
		if err := st.reload(); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// metricLine is a sample line of the text exposition format.
var metricLine = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? [0-9.e+-]+$`)

func TestMetrics(t *testing.T) {
	srv, _ := newServer(t, embedded(t))
	h := srv.handler()
	for _, in := range checkouts(t, 20) {
		if r := do(h, "POST", "/v1/checkout", "", string(in)); r.code != 200 {
			t.Fatal(r.body)
		}
	}
	do(h, "POST", "/v1/checkout", "", "{")
	r := do(h, "GET", "/metrics", "", "")
	if r.code != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("%d %v", r.code, r.header)
	}
	var decisions int
	for l := range strings.Lines(r.body) {
		l = strings.TrimSuffix(l, "\n")
		if strings.HasPrefix(l, "#") {
			continue
		}
		if !metricLine.MatchString(l) {
			t.Errorf("not an exposition line: %q", l)
		}
		if strings.HasPrefix(l, "checkoutd_decisions_total{") {
			var n int
			fmt.Sscanf(l[strings.LastIndexByte(l, ' ')+1:], "%d", &n)
			decisions += n
		}
	}
	if decisions != 20 {
		t.Errorf("decisions counted %d, want 20", decisions)
	}
	for _, want := range []string{
		`checkoutd_http_requests_total{route="/v1/checkout",code="200"} 20`,
		`checkoutd_http_requests_total{route="/v1/checkout",code="400"} 1`,
		`checkoutd_decision_duration_seconds_count{kind="checkout"} 20`,
		`checkoutd_decision_duration_seconds_bucket{kind="checkout",le="+Inf"} 20`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestRun runs the service as a newcomer does: start it on a policy
// directory, score a checkout, break the policy file, see the service keep
// serving with the problem on /v1/status and in the log, see the metrics
// move, and stop it.
func TestRun(t *testing.T) {
	dir := policyDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	addrc := make(chan string, 1)
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"-addr", "127.0.0.1:0", "-policies", dir, "-reload", "10ms", "-log", "json"}, &logs, func(a string) { addrc <- a })
	}()
	var base string
	select {
	case a := <-addrc:
		base = "http://" + a
	case code := <-exited:
		t.Fatalf("exited %d:\n%s", code, logs.String())
	case <-time.After(30 * time.Second):
		t.Fatal("not listening after 30s")
	}
	post := func() checkoutResponse {
		t.Helper()
		resp, err := http.Post(base+"/v1/checkout", "application/json", bytes.NewReader(checkouts(t, 1)[0]))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var d checkoutResponse
		if err := json.NewDecoder(resp.Body).Decode(&d); err != nil || resp.StatusCode != 200 {
			t.Fatalf("status %d, %v", resp.StatusCode, err)
		}
		return d
	}
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if d := post(); d.PolicyVersion != "2026.11.3" || d.Outcome == "" {
		t.Fatalf("first decision %+v", d)
	}

	writePolicy(t, dir, "checkout.yaml", broken(t))
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(get("/v1/status"), `"problems":[{`) {
		if time.Now().After(deadline) {
			t.Fatalf("the broken policy was not reported in 20s; log:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if d := post(); d.PolicyVersion != "2026.11.3" {
		t.Errorf("after the policy broke, version %s serves", d.PolicyVersion)
	}
	line, col := brokenAt(t)
	if want := fmt.Sprintf(`checkout.yaml:%d:%d: rule high_risk_funding: `, line, col); !strings.Contains(logs.String(), want) {
		t.Errorf("the log does not locate the problem (%s):\n%s", want, logs.String())
	}
	m := get("/metrics")
	for _, want := range []string{`checkoutd_policy_reloads_total{file="checkout.yaml",result="failed"} 1`, `checkoutd_http_requests_total{route="/v1/checkout",code="200"} 2`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}

	cancel()
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("exit %d:\n%s", code, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("did not stop within 20s of the signal")
	}
	if !strings.Contains(logs.String(), `"msg":"checkoutd stopped"`) {
		t.Errorf("no clean stop in the log:\n%s", logs.String())
	}
}

// syncBuffer is a bytes.Buffer the service's goroutines and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
