package filestore

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha512"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/sessionkit/session/record"
)

// ErrDecrypt is wrapped by the error returned for a session file that
// cannot be decrypted with Options.Secret: not an encrypted file, written
// with another secret, or tampered with. Unlike a corrupt file it is not
// deleted (a wrong secret must not wipe every session).
var ErrDecrypt = errors.New("filestore: cannot decrypt session file")

// kruptein's parameters as session-file-store configures it: AES-256-GCM
// with a 12-byte IV and a 16-byte tag, HMAC-SHA512, and a key derived with
// scrypt (Node's defaults N=16384, r=8, p=1) from a 128-byte salt.
const (
	saltSize  = 128
	ivSize    = 12
	tagSize   = 16
	keySize   = 32
	scryptN   = 16384
	scryptR   = 8
	scryptP   = 1
	aadKeyLen = 128

	// keyCacheSize bounds the derived keys kept, one per salt seen.
	keyCacheSize = 4096
	// writesPerSalt is how many files are encrypted with one derived key
	// before a new salt is drawn: far below the 2^32 messages AES-GCM with
	// random IVs allows per key, and few enough derivations to be free.
	writesPerSalt = 1 << 20
)

// keyring encrypts and decrypts session files as kruptein 2.2.3 does for
// session-file-store's secret option. Deriving a key costs about 16 MiB and
// tens of milliseconds, so keys are cached by salt, writes reuse one salt
// for a while (Node draws a new one per write; any salt reads the same),
// and derivations run a few at a time.
type keyring struct {
	secret string
	n      int // scrypt's cost; tests lower it
	slots  chan struct{}

	mu    sync.Mutex
	keys  map[string][]byte // salt → derived key
	wsalt []byte
	wuses int
}

func newKeyring(secret string) *keyring {
	return &keyring{
		secret: secret,
		n:      scryptN,
		slots:  make(chan struct{}, max(1, runtime.GOMAXPROCS(0))),
		keys:   map[string][]byte{},
	}
}

// key returns the key derived from the secret and salt.
func (k *keyring) key(ctx context.Context, salt []byte) ([]byte, error) {
	k.mu.Lock()
	key := k.keys[string(salt)]
	k.mu.Unlock()
	if key != nil {
		return key, nil
	}
	select {
	case k.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	key, err := scrypt(k.secret, salt, k.n, scryptR, scryptP, keySize)
	<-k.slots
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.keys) >= keyCacheSize {
		for s := range k.keys {
			delete(k.keys, s)
			break
		}
	}
	k.keys[string(salt)] = key
	return key, nil
}

// writeSalt returns the salt to encrypt the next file with.
func (k *keyring) writeSalt() []byte {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.wsalt == nil || k.wuses >= writesPerSalt {
		k.wsalt, k.wuses = make([]byte, saltSize), 0
		rand.Read(k.wsalt)
	}
	k.wuses++
	return k.wsalt
}

// seal returns the file content for the record doc: kruptein's JSON
// envelope of JSON.stringify(doc), the record being a string to it.
func (k *keyring) seal(ctx context.Context, doc []byte) ([]byte, error) {
	salt := k.writeSalt()
	key, err := k.key(ctx, salt)
	if err != nil {
		return nil, err
	}
	pt := record.AppendString(nil, string(doc))
	iv, aadKey := make([]byte, ivSize), make([]byte, aadKeyLen)
	rand.Read(iv)
	rand.Read(aadKey)
	aad := hmacSHA512(aadKey, pt)
	gcm, err := newGCM(key, ivSize)
	if err != nil {
		return nil, err
	}
	sealed := gcm.Seal(nil, iv, pt, aad)
	ct, tag := latin1(sealed[:len(sealed)-tagSize]), sealed[len(sealed)-tagSize:]
	out := append(make([]byte, 0, 2*len(ct)+1024), `{"hmac":`...)
	out = record.AppendString(out, latin1(hmacSHA512(key, []byte(ct))))
	out = append(out, `,"ct":`...)
	out = record.AppendString(out, ct)
	out = appendBuffer(append(out, `,"iv":`...), iv)
	out = appendBuffer(append(out, `,"salt":`...), salt)
	out = append(out, `,"aad":`...)
	out = record.AppendString(out, latin1(aad))
	out = appendBuffer(append(out, `,"at":`...), tag)
	return append(out, '}'), nil
}

// envelope is kruptein's ciphertext object. Its strings hold bytes as
// Latin-1 characters; its Buffers are serialised by JSON.stringify.
type envelope struct {
	HMAC *string     `json:"hmac"`
	CT   *string     `json:"ct"`
	IV   *nodeBuffer `json:"iv"`
	Salt *nodeBuffer `json:"salt"`
	AAD  *string     `json:"aad"`
	AT   *nodeBuffer `json:"at"`
}

// nodeBuffer is a Node Buffer as JSON.stringify writes it.
type nodeBuffer struct {
	Type string `json:"type"`
	Data []int  `json:"data"`
}

// bytes is Buffer.from(array): every element taken modulo 256.
func (b *nodeBuffer) bytes() []byte {
	out := make([]byte, len(b.Data))
	for i, v := range b.Data {
		out[i] = byte(v)
	}
	return out
}

// open returns the record held by the encrypted file content raw, checking
// it as kruptein's get does: the HMAC of the ciphertext, then the GCM tag
// over it and the additional data.
func (k *keyring) open(ctx context.Context, raw []byte) ([]byte, error) {
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil || env.HMAC == nil || env.CT == nil ||
		env.IV == nil || env.Salt == nil || env.AAD == nil || env.AT == nil {
		return nil, fmt.Errorf("%w: not an encrypted session", ErrDecrypt)
	}
	key, err := k.key(ctx, env.Salt.bytes())
	if err != nil {
		return nil, err
	}
	mac, ok := fromLatin1(*env.HMAC)
	if !ok || !hmac.Equal(mac, hmacSHA512(key, []byte(*env.CT))) {
		return nil, fmt.Errorf("%w: tampered with, or another secret", ErrDecrypt)
	}
	iv := env.IV.bytes()
	gcm, err := newGCM(key, len(iv))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDecrypt, err)
	}
	ct, _ := fromLatin1(*env.CT)
	aad, _ := fromLatin1(*env.AAD)
	pt, err := gcm.Open(nil, iv, append(ct, env.AT.bytes()...), aad)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDecrypt, err)
	}
	var doc string
	if err := json.Unmarshal(pt, &doc); err != nil {
		return nil, fmt.Errorf("%w: the plaintext is not a JSON string", ErrDecrypt)
	}
	return []byte(doc), nil
}

func newGCM(key []byte, ivLen int) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if ivLen == ivSize {
		return cipher.NewGCM(block)
	}
	return cipher.NewGCMWithNonceSize(block, ivLen)
}

func hmacSHA512(key, data []byte) []byte {
	h := hmac.New(sha512.New, key)
	h.Write(data)
	return h.Sum(nil)
}

// latin1 is Buffer.toString("binary"): one character per byte.
func latin1(b []byte) string {
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return string(out)
}

// fromLatin1 is Buffer.from(s, "binary"): each character's low byte. ok is
// false if a character was above U+00FF (the string is not one latin1
// made).
func fromLatin1(s string) ([]byte, bool) {
	out, ok := make([]byte, 0, len(s)), true
	for _, r := range s {
		ok = ok && r <= 0xff
		out = append(out, byte(r))
	}
	return out, ok
}

// appendBuffer appends b as JSON.stringify writes a Buffer.
func appendBuffer(dst, b []byte) []byte {
	dst = append(dst, `{"type":"Buffer","data":[`...)
	for i, c := range b {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendUint(dst, uint64(c), 10)
	}
	return append(dst, "]}"...)
}

// decode returns the record held by the file content raw: raw itself, or
// its decryption when the store has a secret.
func (f *files) decode(ctx context.Context, raw []byte) ([]byte, error) {
	if f.crypt == nil {
		return raw, nil
	}
	return f.crypt.open(ctx, raw)
}

// encode returns the file content for the record doc.
func (f *files) encode(ctx context.Context, doc []byte) ([]byte, error) {
	if f.crypt == nil {
		return doc, nil
	}
	return f.crypt.seal(ctx, doc)
}
