package main

// serve is a local policy workbench in the browser: edit a policy and see
// its problems at their line and column as you type, run its test cases,
// backtest it on a data file with the charts of backtest -html, compare it
// with another policy, and explain one input. The page is plain HTML and
// a little JavaScript embedded in the binary; it listens on 127.0.0.1 only.

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/riskkit/riskkit/examples"
	"github.com/riskkit/riskkit/risk"
)

//go:embed web/workbench.html web/workbench.js web/style.css
var webFiles embed.FS

var workbenchTmpl = template.Must(template.ParseFS(webFiles, "web/workbench.html"))

// maxRequestBody bounds what one API request may send: a policy, test
// cases or one input, never a data set (data files are named, not sent).
const maxRequestBody = 4 << 20

func runServe(e *env, args []string) error {
	fs := newFlags(e, "serve", "")
	addr := fs.String("addr", "127.0.0.1:0", "`address` to listen on; the port is chosen when it is 0")
	policySpec := fs.String("policy", "embedded:checkout.yaml", policyUsage)
	tests := fs.String("tests", "embedded:checkout_tests.yaml", "test cases `file` shown beside the policy (empty for none)")
	var data, others stringList
	fs.Var(&data, "data", "labelled data `file` to offer for backtests, besides the embedded ones (repeatable)")
	fs.Var(&others, "compare", "policy `file` to offer for comparison, besides the embedded ones (repeatable)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("serve takes no arguments, got %q", fs.Args())
	}
	wb, err := newWorkbench(e, *policySpec, *tests, data, others)
	if err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return usageError("-addr: %v", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return usageError("-addr: the workbench reads local files and listens on a loopback address only, not %q", host)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: wb, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(e.stdout, "riskctl serve: http://%s/ (interrupt to stop)\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// workbench serves the page and its API. Data and comparison policies are
// chosen from the files it was started with, never by a path the page
// sends.
type workbench struct {
	env      *env
	policy   string // the initial policy source
	name     string
	tests    string // the initial test cases
	data     []string
	policies []string
	mux      *http.ServeMux
}

func newWorkbench(e *env, policySpec, testsSpec string, data, others []string) (*workbench, error) {
	src, err := readSource(e, policySpec, examples.Policy)
	if err != nil {
		return nil, err
	}
	wb := &workbench{env: e, policy: string(src), name: displayName(policySpec)}
	if testsSpec != "" {
		t, err := readSource(e, testsSpec, examples.Policy)
		if err != nil {
			return nil, err
		}
		wb.tests = string(t)
	}
	// The labelled checkouts come first, the data a checkout policy
	// backtests on.
	wb.data = []string{embeddedPrefix + "transactions.jsonl"}
	for _, n := range examples.DataFiles() {
		if strings.HasSuffix(n, ".jsonl") && n != "transactions.jsonl" {
			wb.data = append(wb.data, embeddedPrefix+n)
		}
	}
	wb.data = append(wb.data, data...)
	for _, n := range examples.Policies() {
		if !strings.Contains(n, "_tests") {
			wb.policies = append(wb.policies, embeddedPrefix+n)
		}
	}
	wb.policies = append(wb.policies, others...)
	for _, spec := range append(slices.Clone(data), others...) {
		if _, err := os.Stat(spec); err != nil {
			return nil, err
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", wb.index)
	mux.Handle("GET /web/", http.FileServerFS(webFiles))
	mux.HandleFunc("POST /api/check", api(wb.check))
	mux.HandleFunc("POST /api/test", api(wb.test))
	mux.HandleFunc("POST /api/backtest", api(wb.backtest))
	mux.HandleFunc("POST /api/explain", api(wb.explain))
	wb.mux = mux
	return wb, nil
}

func (wb *workbench) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The page is the workbench's own: no framing, no outside resources.
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	wb.mux.ServeHTTP(w, r)
}

func (wb *workbench) index(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := workbenchTmpl.Execute(w, wb); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// Policy, Name, Tests, Data and Policies are what the page template reads.
func (wb *workbench) Policy() string     { return wb.policy }
func (wb *workbench) Name() string       { return wb.name }
func (wb *workbench) Tests() string      { return wb.tests }
func (wb *workbench) Data() []string     { return wb.data }
func (wb *workbench) Policies() []string { return wb.policies }

// request is what the page sends; each endpoint reads what it needs.
type request struct {
	Policy  string `json:"policy"`
	Tests   string `json:"tests"`
	Data    string `json:"data"`
	Compare string `json:"compare"` // a name from Policies, or empty
	Input   string `json:"input"`   // one input, as JSON
}

// api decodes a request, runs fn and writes its answer as JSON. Problems
// with what was sent (a policy that does not compile, a bad input) are
// answers, not HTTP errors, so that the page shows them in place.
func api(fn func(*request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req request
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequestBody))
		if err := dec.Decode(&req); err != nil {
			http.Error(w, "request: "+err.Error(), http.StatusBadRequest)
			return
		}
		out, err := fn(&req)
		if err != nil {
			out = map[string]string{"error": err.Error()}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	}
}

// checkAnswer is a policy's compile result.
type checkAnswer struct {
	OK       bool      `json:"ok"`
	Kind     kind      `json:"kind,omitempty"`
	PolicyID string    `json:"policy_id,omitempty"`
	Version  string    `json:"policy_version,omitempty"`
	Rules    int       `json:"rules"`
	Problems []problem `json:"problems"`
}

// compile compiles the page's policy; a policy that does not compile
// comes back as problems, with a nil policy.
func (wb *workbench) compile(src string) (policy, *checkAnswer) {
	p, err := compilePolicy([]byte(src), "")
	if err != nil {
		return nil, &checkAnswer{Problems: policyProblems("policy", err)}
	}
	return p, &checkAnswer{OK: true, Kind: p.Kind(), PolicyID: p.ID(), Version: p.Version(), Rules: len(p.RuleIDs()), Problems: []problem{}}
}

func (wb *workbench) check(req *request) (any, error) {
	_, a := wb.compile(req.Policy)
	return a, nil
}

func (wb *workbench) test(req *request) (any, error) {
	p, a := wb.compile(req.Policy)
	if p == nil {
		return map[string]any{"check": a}, nil
	}
	results, err := p.test([]byte(req.Tests))
	if err != nil {
		return nil, fmt.Errorf("test cases: %v", err)
	}
	type result struct {
		Name     string `json:"name"`
		Line     int    `json:"line"`
		Passed   bool   `json:"passed"`
		Decision string `json:"decision"`
		Diff     string `json:"diff,omitempty"`
	}
	out := []result{}
	for _, r := range results {
		out = append(out, result{Name: r.Name, Line: r.Line, Passed: r.Passed(), Decision: r.Decision.String(),
			Diff: strings.ReplaceAll(r.Diff, "\u00a0", " ")})
	}
	return map[string]any{"check": a, "results": out}, nil
}

func (wb *workbench) backtest(req *request) (any, error) {
	p, a := wb.compile(req.Policy)
	if p == nil {
		return map[string]any{"check": a}, nil
	}
	if !slices.Contains(wb.data, req.Data) {
		return nil, fmt.Errorf("no data file %q; the workbench offers %v", req.Data, wb.data)
	}
	var other policy
	if req.Compare != "" {
		if !slices.Contains(wb.policies, req.Compare) {
			return nil, fmt.Errorf("no policy %q to compare with; the workbench offers %v", req.Compare, wb.policies)
		}
		var err error
		if other, err = loadPolicy(wb.env, req.Compare, p.Kind()); err != nil {
			return nil, err
		}
	}
	r, closeFn, err := openSource(wb.env, req.Data, examples.Data)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	var warnings bytes.Buffer
	lines := newLineReader(displayName(req.Data), r, skipOnError, &warnings, "backtest")
	rep, changes, err := p.backtest(lines, nil, other, runtime.GOMAXPROCS(0), func() {})
	if err != nil {
		return nil, err
	}
	if lines.err != nil {
		return nil, lines.err
	}
	var c *comparison
	if other != nil {
		c = compareReports(rep, other, req.Compare, changes)
	}
	page, err := renderReport(newReportView(rep, lines.skipped, c), true)
	if err != nil {
		return nil, err
	}
	return map[string]any{"check": a, "html": string(page), "report": backtestJSON(rep, lines.skipped, c),
		"warnings": warnings.String()}, nil
}

func (wb *workbench) explain(req *request) (any, error) {
	p, a := wb.compile(req.Policy)
	if p == nil {
		return map[string]any{"check": a}, nil
	}
	// One input is one line, whatever its layout in the page.
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(req.Input)); err != nil {
		return nil, fmt.Errorf("input: %v", err)
	}
	var warnings bytes.Buffer
	lines := newLineReader("input", &compact, stopOnError, &warnings, "explain")
	for _, ev := range p.evaluate(lines) {
		d := ev.decision
		return map[string]any{"check": a, "decision": d, "text": explainText(&d)}, nil
	}
	if lines.err != nil {
		return nil, lines.err
	}
	return nil, errors.New("input: nothing to explain")
}

// explainText says in a few lines why a decision came out as it did.
func explainText(d *risk.Decision) string {
	var b strings.Builder
	fmt.Fprintf(&b, "outcome %s (by %s), score %d\n", d.Outcome, d.Basis, d.Score)
	for _, h := range d.Hits {
		fmt.Fprintf(&b, "  fired   %-28s %s\n", h.RuleID, hitText(h))
	}
	for _, h := range d.Shadow {
		fmt.Fprintf(&b, "  shadow  %-28s %s\n", h.RuleID, hitText(h))
	}
	for _, x := range d.Errors {
		fmt.Fprintf(&b, "  error   %-28s %s\n", x.RuleID, x.Err)
	}
	for _, m := range d.Missing {
		fmt.Fprintf(&b, "  missing %-28s %s\n", m.RuleID, m.Inputs)
	}
	return b.String()
}
