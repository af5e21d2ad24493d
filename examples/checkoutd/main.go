// Command checkoutd is a reference HTTP service that embeds riskkit: it
// scores checkouts and assesses sign-ups with policies it reloads when
// their files change, and is meant to be copied and adapted.
//
// Usage:
//
//	checkoutd [-addr :8080] [-policies DIR] [-reload 2s] [-max-body 1MiB] [-log text|json] [-v]
//
// Endpoints:
//
//	POST /v1/checkout            a risk.Checkout as JSON -> the decision with its reasons
//	POST /v1/onboarding/assess   an onboarding.Applicant as JSON -> the assessment
//	                             (?tz=Europe/Berlin for the customer's zone, ?at=RFC3339 to assess at a time)
//	GET  /v1/status              the policy versions serving and the problems of files that failed to load
//	GET  /healthz                200 when a checkout policy is serving
//	GET  /metrics                counters and latencies in the Prometheus text format
//
// Policies are read from DIR (checkout.yaml, required, and onboarding.yaml)
// or, without -policies, from the examples embedded in the binary. Every
// -reload interval the files are read again; a file whose content changed
// is compiled and swapped in atomically. A file that fails to compile
// leaves its previous version serving: the problems, each with its line
// and column, are logged and shown on /v1/status until the file is fixed.
//
// Errors are JSON, {"error": {"status", "code", "message", "issues"}},
// where each issue names the field path (such as txn.amount) or the line
// and column of malformed JSON. Bodies over -max-body are refused with 413.
// SIGINT or SIGTERM stops the service gracefully: it stops accepting
// connections and finishes the requests in flight.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"testing/fstest"
	"time"

	"github.com/riskkit/riskkit/examples"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stderr, nil))
}

// config is what the flags set.
type config struct {
	addr      string
	policyDir string
	reload    time.Duration
	maxBody   int64
	logFormat string
	verbose   bool
}

// run runs the service until ctx is done and returns the exit status. When
// ready is not nil it receives the address the service listens on, once it
// does.
func run(ctx context.Context, args []string, stderr io.Writer, ready func(addr string)) int {
	var c config
	fl := flag.NewFlagSet("checkoutd", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.StringVar(&c.addr, "addr", "localhost:8080", "`address` to listen on")
	fl.StringVar(&c.policyDir, "policies", "", "`directory` holding checkout.yaml and onboarding.yaml (default: the embedded examples, never reloaded)")
	fl.DurationVar(&c.reload, "reload", 2*time.Second, "how often to look for changed policy files (0: never)")
	fl.Int64Var(&c.maxBody, "max-body", 1<<20, "largest request body accepted, in `bytes`")
	fl.StringVar(&c.logFormat, "log", "text", "log `format`: text or json")
	fl.BoolVar(&c.verbose, "v", false, "log every request, not only decisions and reloads")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "checkoutd: unexpected arguments %q (flags only)\n", fl.Args())
		return 2
	}
	level := slog.LevelInfo
	if c.verbose {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	var log *slog.Logger
	switch c.logFormat {
	case "text":
		log = slog.New(slog.NewTextHandler(stderr, opts))
	case "json":
		log = slog.New(slog.NewJSONHandler(stderr, opts))
	default:
		fmt.Fprintf(stderr, "checkoutd: -log %q: want text or json\n", c.logFormat)
		return 2
	}
	if err := serve(ctx, c, log, ready); err != nil {
		log.Error("checkoutd stopped", "err", err)
		return 1
	}
	return 0
}

// embeddedPolicies is the policy directory of the examples built into the
// binary.
func embeddedPolicies() (fs.FS, error) {
	m := fstest.MapFS{}
	for _, f := range policyFiles {
		b, err := examples.Policy(f.name)
		if err != nil {
			return nil, err
		}
		m[f.name] = &fstest.MapFile{Data: b}
	}
	return m, nil
}

func serve(ctx context.Context, c config, log *slog.Logger, ready func(string)) error {
	fsys, reload := os.DirFS(c.policyDir), c.reload
	if c.policyDir == "" {
		var err error
		if fsys, err = embeddedPolicies(); err != nil {
			return err
		}
		reload = 0
	}
	m := newMetrics()
	st := newStore(fsys, time.Now, log, m)
	if err := st.reload(); err != nil {
		return err
	}
	srv := &server{store: st, metrics: m, log: log, now: time.Now, maxBody: c.maxBody}
	hs := &http.Server{
		Handler:           srv.handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	log.Info("checkoutd listening", "addr", ln.Addr().String(), "policies", cmp.Or(c.policyDir, "embedded examples"), "reload", reload)
	if ready != nil {
		ready(ln.Addr().String())
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		if reload <= 0 {
			return
		}
		t := time.NewTicker(reload)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				st.reload() // problems are logged and kept in the status
			}
		}
	}()
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	select {
	case err := <-served:
		cancel()
		<-polled
		return err
	case <-ctx.Done():
	}
	log.Info("checkoutd shutting down: finishing requests in flight")
	shutdownCtx, done := context.WithTimeout(context.Background(), 10*time.Second)
	defer done()
	err = hs.Shutdown(shutdownCtx)
	<-polled
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	log.Info("checkoutd stopped")
	return err
}
