package filestore

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math/bits"
)

// scrypt is the scrypt key derivation function of RFC 7914, which kruptein
// (session-file-store's encryption) derives its keys with through Node's
// crypto.scryptSync. It is written out here because the store uses the
// standard library only. n must be a power of two greater than 1.
func scrypt(password string, salt []byte, n, r, p, keyLen int) ([]byte, error) {
	if n < 2 || n&(n-1) != 0 || r < 1 || p < 1 || uint64(r)*uint64(p) >= 1<<30 || r > (1<<31-1)/128/n {
		return nil, errors.New("scrypt: invalid parameters")
	}
	b, err := pbkdf2.Key(sha256.New, password, salt, 1, p*128*r)
	if err != nil {
		return nil, err
	}
	x := make([]uint32, 32*r)
	v := make([]uint32, 32*r*n)
	for i := range p {
		roMix(b[i*128*r:(i+1)*128*r], r, n, x, v)
	}
	return pbkdf2.Key(sha256.New, password, b, 1, keyLen)
}

// roMix is scryptROMix on the 128*r bytes of block, with scratch space x
// (32*r words) and v (32*r*n words).
func roMix(block []byte, r, n int, x, v []uint32) {
	for i := range x {
		x[i] = binary.LittleEndian.Uint32(block[i*4:])
	}
	tmp := make([]uint32, 32*r)
	for i := range n {
		copy(v[i*32*r:], x)
		blockMix(x, tmp, r)
	}
	for range n {
		j := int(x[(2*r-1)*16] & uint32(n-1))
		vj := v[j*32*r : (j+1)*32*r]
		for k := range x {
			x[k] ^= vj[k]
		}
		blockMix(x, tmp, r)
	}
	for i, w := range x {
		binary.LittleEndian.PutUint32(block[i*4:], w)
	}
}

// blockMix is scryptBlockMix on b (2*r blocks of 16 words), using tmp as
// scratch: the even-numbered outputs first, then the odd-numbered ones.
func blockMix(b, tmp []uint32, r int) {
	var x [16]uint32
	copy(x[:], b[(2*r-1)*16:])
	for i := range 2 * r {
		for k := range x {
			x[k] ^= b[i*16+k]
		}
		salsa208(&x)
		dst := (i/2 + (i%2)*r) * 16
		copy(tmp[dst:dst+16], x[:])
	}
	copy(b, tmp)
}

// salsa208 is the Salsa20/8 core applied to x in place.
func salsa208(x *[16]uint32) {
	w := *x
	for range 4 { // 8 rounds, two per iteration
		w[4] ^= bits.RotateLeft32(w[0]+w[12], 7)
		w[8] ^= bits.RotateLeft32(w[4]+w[0], 9)
		w[12] ^= bits.RotateLeft32(w[8]+w[4], 13)
		w[0] ^= bits.RotateLeft32(w[12]+w[8], 18)
		w[9] ^= bits.RotateLeft32(w[5]+w[1], 7)
		w[13] ^= bits.RotateLeft32(w[9]+w[5], 9)
		w[1] ^= bits.RotateLeft32(w[13]+w[9], 13)
		w[5] ^= bits.RotateLeft32(w[1]+w[13], 18)
		w[14] ^= bits.RotateLeft32(w[10]+w[6], 7)
		w[2] ^= bits.RotateLeft32(w[14]+w[10], 9)
		w[6] ^= bits.RotateLeft32(w[2]+w[14], 13)
		w[10] ^= bits.RotateLeft32(w[6]+w[2], 18)
		w[3] ^= bits.RotateLeft32(w[15]+w[11], 7)
		w[7] ^= bits.RotateLeft32(w[3]+w[15], 9)
		w[11] ^= bits.RotateLeft32(w[7]+w[3], 13)
		w[15] ^= bits.RotateLeft32(w[11]+w[7], 18)

		w[1] ^= bits.RotateLeft32(w[0]+w[3], 7)
		w[2] ^= bits.RotateLeft32(w[1]+w[0], 9)
		w[3] ^= bits.RotateLeft32(w[2]+w[1], 13)
		w[0] ^= bits.RotateLeft32(w[3]+w[2], 18)
		w[6] ^= bits.RotateLeft32(w[5]+w[4], 7)
		w[7] ^= bits.RotateLeft32(w[6]+w[5], 9)
		w[4] ^= bits.RotateLeft32(w[7]+w[6], 13)
		w[5] ^= bits.RotateLeft32(w[4]+w[7], 18)
		w[11] ^= bits.RotateLeft32(w[10]+w[9], 7)
		w[8] ^= bits.RotateLeft32(w[11]+w[10], 9)
		w[9] ^= bits.RotateLeft32(w[8]+w[11], 13)
		w[10] ^= bits.RotateLeft32(w[9]+w[8], 18)
		w[12] ^= bits.RotateLeft32(w[15]+w[14], 7)
		w[13] ^= bits.RotateLeft32(w[12]+w[15], 9)
		w[14] ^= bits.RotateLeft32(w[13]+w[12], 13)
		w[15] ^= bits.RotateLeft32(w[14]+w[13], 18)
	}
	for i := range x {
		x[i] += w[i]
	}
}
