package exampletest

import (
	"context"
	"testing"
	"time"
)

// NoWait is a wait between events that sends them back to back: for an
// example's stream when its test does not look at the pacing.
func NoWait(ctx context.Context) error { return ctx.Err() }

// pacerTimeout is how long a Pacer waits for the stream.
var pacerTimeout = 10 * time.Second

// Pacer paces an example's event stream from its test. Its Wait is the
// stream's wait between events: it returns when the test calls Next, or
// with the context's error once the client has gone, which Gone reports.
type Pacer struct {
	next chan struct{}
	gone chan error
}

// NewPacer returns a pacer whose stream waits for Next.
func NewPacer() *Pacer {
	return &Pacer{next: make(chan struct{}), gone: make(chan error, 1)}
}

// Wait is the stream's wait between events.
func (p *Pacer) Wait(ctx context.Context) error {
	select {
	case <-p.next:
		return nil
	case <-ctx.Done():
		select {
		case p.gone <- ctx.Err():
		default:
		}
		return ctx.Err()
	}
}

// Next lets the stream send the event after event i. It ends the test
// unless the stream is waiting to send it: event i has arrived while the
// handler is still running, so nothing held the body back.
func (p *Pacer) Next(t testing.TB, i int) {
	t.Helper()
	select {
	case p.next <- struct{}{}:
	case <-time.After(pacerTimeout):
		t.Fatalf("event %d arrived, but the handler is not waiting to send the next", i)
	}
}

// Gone ends the test unless the stream's Wait sees its client leave (the
// request's context end), within 10 s.
func (p *Pacer) Gone(t testing.TB) {
	t.Helper()
	select {
	case err := <-p.gone:
		if err == nil {
			t.Fatal("no error from the context")
		}
	case <-time.After(pacerTimeout):
		t.Fatal("the handler did not notice the client leave")
	}
}
