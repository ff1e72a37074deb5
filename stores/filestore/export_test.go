package filestore

// WeakenKeyDerivation makes s derive its encryption keys with a tiny scrypt
// cost, so that suites creating many encrypted stores run fast under the
// race detector. Files it writes can then only be read by s's own keys.
func WeakenKeyDerivation(s *Store) { s.crypt.n = 16 }
