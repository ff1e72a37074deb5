package session

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A handler may be given no session (outside the cookie path, store not
// ready): every method of the nil *Session must be safe.
func TestNilSessionIsSafe(t *testing.T) {
	var s *Session
	ctx := context.Background()
	if s.ID() != "" || s.Len() != 0 || s.Keys() != nil {
		t.Error("reads of a nil session found something")
	}
	if v, ok := s.Get("a"); v != nil || ok {
		t.Error("Get on a nil session found a value")
	}
	if n, ok := GetAs[int](s, "a"); n != 0 || ok {
		t.Error("GetAs on a nil session found a value")
	}
	for name, err := range map[string]error{
		"Set":        s.Set("a", 1),
		"Save":       s.Save(ctx),
		"Reload":     s.Reload(ctx),
		"Regenerate": s.Regenerate(ctx),
		"RenewID":    s.RenewID(ctx),
		"Destroy":    s.Destroy(ctx),
	} {
		if !errors.Is(err, ErrNoSession) {
			t.Errorf("%s on a nil session: %v, want ErrNoSession", name, err)
		}
	}
	s.Delete("a")
	s.Clear()
	s.Touch()
	s.Unset()
	c := s.Cookie()
	c.SetMaxAge(time.Hour)
	c.SetExpires(time.Now())
	c.SetHTTPOnly(false)
	if _, ok := c.MaxAge(); ok || c.Path() != "" || c.Secure() {
		t.Error("the cookie of a nil session has settings")
	}
	if b, err := s.MarshalJSON(); string(b) != "null" || err != nil {
		t.Errorf("MarshalJSON = %s, %v", b, err)
	}
}
