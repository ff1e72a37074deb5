package exampletest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPacer(t *testing.T) {
	defer func(d time.Duration) { pacerTimeout = d }(pacerTimeout)
	pacerTimeout = 50 * time.Millisecond

	p := NewPacer()
	waited := make(chan error)
	go func() { waited <- p.Wait(context.Background()) }()
	if failures := run(t, func(ft testing.TB) { p.Next(ft, 1) }); len(failures) > 0 {
		t.Errorf("Next with the stream waiting: %q", failures)
	}
	if err := <-waited; err != nil {
		t.Errorf("Wait after Next: %v", err)
	}
	// Nobody waiting: the stream held event 1 back, or has ended.
	if failures := run(t, func(ft testing.TB) { p.Next(ft, 1) }); len(failures) != 1 || !strings.Contains(failures[0], "event 1 arrived") {
		t.Errorf("Next with nobody waiting: %q", failures)
	}

	// The client leaves.
	if failures := run(t, func(ft testing.TB) { p.Gone(ft) }); len(failures) != 1 {
		t.Errorf("Gone before the client left: %q", failures)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 2 { // a second Wait does not block on reporting it
		if err := p.Wait(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Wait once the client has gone: %v", err)
		}
	}
	if failures := run(t, func(ft testing.TB) { p.Gone(ft) }); len(failures) > 0 {
		t.Errorf("Gone after the client left: %q", failures)
	}
	if err := NoWait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("NoWait: %v", err)
	}
}
