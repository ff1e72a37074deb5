// gen-vectors.js records what the real Node packages do on the wire, so the Go
// tests can demand byte equality instead of trusting a re-reading of the JS.
//
// Regenerate (from the repository root):
//
//   NODE_PATH=/work/shared/conformance/reference/node_modules node internal/wire/testdata/gen-vectors.js
//
// The output (vectors.json next to this file) is deterministic apart from the
// recorded Node version, so a re-run that changes anything else means the
// reference behaviour changed.
'use strict';

const fs = require('fs');
const path = require('path');

// Resolve cookie the way express-session does (its own node_modules first),
// because that is the copy whose behaviour the Go port must reproduce.
const sessionDir = path.dirname(require.resolve('express-session/package.json'));
const cookiePkg = require.resolve('cookie/package.json', { paths: [sessionDir] });
const signaturePkg = require.resolve('cookie-signature/package.json', { paths: [sessionDir] });

const versions = {
  node: process.version,
  'express-session': require(path.join(sessionDir, 'package.json')).version,
  cookie: require(cookiePkg).version,
  'cookie-signature': require(signaturePkg).version,
};
const want = { 'express-session': '1.19.0', cookie: '0.7.2', 'cookie-signature': '1.0.7' };
for (const [name, v] of Object.entries(want)) {
  if (versions[name] !== v) {
    console.error(`gen-vectors: ${name} is ${versions[name]}, want ${v}`);
    process.exit(1);
  }
}

const cookie = require(path.dirname(cookiePkg));
const signature = require(path.dirname(signaturePkg));

// express-session's unsigncookie: first secret that verifies wins.
function unsignAll(val, secrets) {
  for (const s of secrets) {
    const r = signature.unsign(val, s);
    if (r !== false) return r;
  }
  return false;
}

const hex64 = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const longSecret = 'x'.repeat(100); // longer than the SHA-256 block: key gets hashed first
const longId = 'L'.repeat(300); // longer than the Go stack scratch buffer
const uidLike = 'hmiXDV7ExLvkjiuggQv3ODj823uD6MI7';

// (a) sign
const signIds = [
  'apple', '%', '/foo', '', '.', '..', 'a.b.c', 'trailing.', '.leading',
  'café', '日本語', '😀', 'ünïcödé.with.dots', uidLike, 'abc-_XYZ019', 's:apple',
  'a b', 'a+b/c=', 'semi;colon', 'quote"d', 'undefined', longId, 'x'.repeat(1000),
];
const signSecrets = ['keyboard cat', '', 'sécrét ☃', hex64, longSecret, 'tobi'];
const sign = [];
for (const id of signIds) sign.push(vecSign(id, 'keyboard cat'));
for (const secret of signSecrets.slice(1)) {
  for (const id of ['apple', '', 'café', uidLike, 'a.b.c']) sign.push(vecSign(id, secret));
}
function vecSign(value, secret) {
  const signed = signature.sign(value, secret);
  return { value, secret, signed, setCookieValue: encodeURIComponent('s:' + signed) };
}

// (b) unsign
const kc = 'keyboard cat';
const good = signature.sign('apple', kc);
const goodSig = good.slice(good.lastIndexOf('.') + 1);
const flip = (s, i) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
const unsignInputs = [
  ['valid', good, [kc]],
  ['valid unicode id', signature.sign('café', kc), [kc]],
  ['valid unicode secret', signature.sign('apple', 'sécrét ☃'), ['sécrét ☃']],
  ['valid empty secret', signature.sign('apple', ''), ['']],
  ['valid hex secret', signature.sign(uidLike, hex64), [hex64]],
  ['valid long secret', signature.sign(uidLike, longSecret), [longSecret]],
  ['valid long id', signature.sign(longId, kc), [kc]],
  ['valid empty id', signature.sign('', kc), [kc]],
  ['valid id with dots', signature.sign('a.b.c', kc), [kc]],
  ['valid id ending in dot', signature.sign('trailing.', kc), [kc]],
  ['tampered value', 'applf.' + goodSig, [kc]],
  ['tampered signature first char', 'apple.' + flip(goodSig, 0), [kc]],
  ['tampered signature last char', 'apple.' + flip(goodSig, goodSig.length - 1), [kc]],
  ['truncated signature', good.slice(0, -1), [kc]],
  ['signature removed', 'apple.', [kc]],
  ['padded with =', good + '=', [kc]],
  ['padded with ==', good + '==', [kc]],
  ['no dot', 'apple', [kc]],
  ['no dot, signature glued on', 'apple' + goodSig, [kc]],
  ['only a dot', '.', [kc]],
  ['empty input', '', [kc]],
  ['multiple dots, wrong split', 'apple.' + goodSig + '.extra', [kc]],
  ['payload is itself a signed value', signature.sign(good, kc), [kc]],
  ['wrong secret', good, ['tobi']],
  ['no secrets', good, []],
  ['later secret verifies', good, ['tobi', 'loki', kc]],
  ['first secret verifies', good, [kc, 'tobi']],
  ['no secret verifies', good, ['tobi', 'loki']],
  ['url-safe alphabet', 'apple.' + goodSig.replace(/\+/g, '-').replace(/\//g, '_'), [kc]],
  ['trailing space', good + ' ', [kc]],
  ['s: prefix left on', 's:' + good, [kc]],
  ['case changed', 'apple.' + goodSig.toLowerCase(), [kc]],
];
const unsign = unsignInputs.map(([name, input, secrets]) => {
  const r = unsignAll(input, secrets);
  return { name, input, secrets, value: r === false ? null : r };
});

// (c) parse: recorded as parse(h)[name], but only own properties count so that
// names such as "constructor" cannot pick up Object.prototype members.
const parseCases = [
  ['connect.sid=abc', 'connect.sid'],
  ['a=1; connect.sid=x; b=2', 'connect.sid'],
  ['connect.sid=first; connect.sid=second', 'connect.sid'],
  ['connect.sid=s%3Abad.sig; connect.sid=s%3Agood.sig', 'connect.sid'],
  ['a=1;a=2;a=3', 'a'],
  ['a="quoted"', 'a'],
  ['a="', 'a'],
  ['a=""', 'a'],
  ['a="x', 'a'],
  ['a=x"', 'a'],
  ['a=" spaced "', 'a'],
  ['a=x"y"z', 'a'],
  ['a="%41"', 'a'],
  ['a=%22abc%22', 'a'],
  ['  a  =  b  ; c=d', 'a'],
  ['  a  =  b  ; c=d', 'c'],
  ['\ta\t=\tb\t;\tc\t=\td\t', 'c'],
  ['a=b c', 'a'],
  ['a=\t', 'a'],
  ['a=s%3Aabc', 'a'],
  ['a=%', 'a'],
  ['a=%zz', 'a'],
  ['a=%2', 'a'],
  ['a=100%25', 'a'],
  ['a=%41%42', 'a'],
  ['a=%FF', 'a'],
  ['a=%C3%A9', 'a'],
  ['a=%c3%a9', 'a'],
  ['a=%C3', 'a'],
  ['a=%E0%A4%A', 'a'],
  ['a=%ED%A0%80', 'a'],
  ['a=%C0%80', 'a'],
  ['a=%F4%90%80%80', 'a'],
  ['a=%F0%9F%98%80', 'a'],
  ['a=%C3%A9%', 'a'],
  ['a=x%00y', 'a'],
  ['a=', 'a'],
  ['a=; b=c', 'a'],
  ['a= ;b=c', 'a'],
  ['foo; a=b', 'a'],
  ['foo; a=b', 'foo'],
  ['a; b=c; d', 'b'],
  ['a; b=c; d', 'd'],
  ['foo;bar;a=b', 'a'],
  ['x=1; y; z=2', 'z'],
  ['a=b;c', 'c'],
  [';;a=b;;', 'a'],
  ['a=b;;c=d', 'c'],
  ['a=b;', 'a'],
  ['a=b=c', 'a'],
  ['=foo', ''],
  ['=foo; a=1', 'a'],
  ['', 'a'],
  ['a', 'a'],
  ['=', ''],
  [';', ''],
  ['a=', 'a'],
  ['A=1', 'a'],
  ['a=1', 'A'],
  ['b=1', 'a'],
  ['ab=1', 'a'],
  ['key with space=1', 'key with space'],
  ['connect.sid=s%3Aapple.D8Y%2BpkTAmeR0PobOhY4G97PRW%2Bj7bUnP%2F5m6%2FOn1MCU', 'connect.sid'],
  ['connect.sid=s:apple.D8Y+pkTAmeR0PobOhY4G97PRW+j7bUnP/5m6/On1MCU', 'connect.sid'],
];
const parse = parseCases.map(([header, name]) => {
  const obj = cookie.parse(header);
  const own = Object.prototype.hasOwnProperty.call(obj, name);
  return { header, name, value: own ? obj[name] : null };
});

// (d) serialize. "raw" cases go through encodeURIComponent exactly as
// express-session does; "identity" cases hand the value over untouched so the
// cookie-octet check itself is exercised.
const d2099 = Date.UTC(2099, 11, 31, 23, 59, 59, 999);
const serializeCases = [
  { name: 'connect.sid', raw: 's:' + good, opts: {} },
  { name: 'connect.sid', raw: 's:' + good, opts: { path: '/', httpOnly: true } },
  { name: 'connect.sid', raw: 's:' + good, opts: {
    domain: '.example.com', path: '/', expires: d2099, httpOnly: true, secure: true,
    partitioned: true, priority: 'High', sameSite: 'None' } },
  { name: 'connect.sid', raw: 's:' + good, opts: { path: '/', expires: 0, httpOnly: true } },
  { name: 'connect.sid', raw: 's:' + good, opts: { path: '/', expires: Date.UTC(2026, 10, 23, 13, 25, 16, 822), httpOnly: true } },
  { name: 'connect.sid', raw: 's:' + good, opts: { expires: -1 } },
  { name: 'connect.sid', raw: 's:' + good, opts: { expires: Date.UTC(1601, 0, 1) } },
  { name: 'connect.sid', raw: 's:' + good, opts: { expires: Date.UTC(9999, 11, 31, 23, 59, 59) } },
  { name: 'connect.sid', raw: 's:' + good, opts: { expires: Date.UTC(1600, 11, 31, 23, 59, 59) } },
  { name: 'connect.sid', raw: 's:' + good, opts: { expires: Date.UTC(10000, 0, 1) } },
  { name: 'a', raw: 'b', opts: { domain: 'example.com' } },
  { name: 'a', raw: 'b', opts: { domain: 'EXAMPLE.Com' } },
  { name: 'a', raw: 'b', opts: { domain: 'localhost' } },
  { name: 'a', raw: 'b', opts: { domain: '127.0.0.1' } },
  { name: 'a', raw: 'b', opts: { domain: 'x' + 'a'.repeat(61) + 'y.com' } },
  { name: 'a', raw: 'b', opts: { domain: 'x' + 'a'.repeat(62) + 'y.com' } },
  { name: 'a', raw: 'b', opts: { domain: '-example.com' } },
  { name: 'a', raw: 'b', opts: { domain: 'example-.com' } },
  { name: 'a', raw: 'b', opts: { domain: 'example.com.' } },
  { name: 'a', raw: 'b', opts: { domain: '..example.com' } },
  { name: 'a', raw: 'b', opts: { domain: 'a..b' } },
  { name: 'a', raw: 'b', opts: { domain: 'ex_ample.com' } },
  { name: 'a', raw: 'b', opts: { domain: 'example.com\n' } },
  { name: 'a', raw: 'b', opts: { domain: 'exämple.com' } },
  { name: 'a', raw: 'b', opts: { path: '/a b' } },
  { name: 'a', raw: 'b', opts: { path: '/a=b>c' } },
  { name: 'a', raw: 'b', opts: { path: '/<' } },
  { name: 'a', raw: 'b', opts: { path: '/;' } },
  { name: 'a', raw: 'b', opts: { path: '/\x7f' } },
  { name: 'a', raw: 'b', opts: { path: '/\t' } },
  { name: 'a', raw: 'b', opts: { path: '/é' } },
  { name: 'a', raw: 'b', opts: { httpOnly: true } },
  { name: 'a', raw: 'b', opts: { secure: true } },
  { name: 'a', raw: 'b', opts: { partitioned: true } },
  { name: 'a', raw: 'b', opts: { secure: true, partitioned: true, sameSite: 'None' } },
  { name: 'a', raw: 'b', opts: { priority: 'Low' } },
  { name: 'a', raw: 'b', opts: { priority: 'medium' } },
  { name: 'a', raw: 'b', opts: { priority: 'HIGH' } },
  { name: 'a', raw: 'b', opts: { priority: 'urgent' } },
  { name: 'a', raw: 'b', opts: { sameSite: 'Strict' } },
  { name: 'a', raw: 'b', opts: { sameSite: 'lax' } },
  { name: 'a', raw: 'b', opts: { sameSite: 'none' } },
  { name: 'a', raw: 'b', opts: { sameSite: 'bogus' } },
  { name: 'a', raw: 'b', opts: { path: '/', httpOnly: true, sameSite: 'Strict' } },
  { name: "!#$%&'*+-.^_`|~Az09", raw: 'v', opts: {} },
  { name: 'a b', raw: 'v', opts: {} },
  { name: '', raw: 'v', opts: {} },
  { name: 'a;b', raw: 'v', opts: {} },
  { name: 'ä', raw: 'v', opts: {} },
  { name: 'a=b', raw: 'v', opts: {} },
  { name: 'bad name', raw: 'v', opts: { domain: 'bad_domain' } },
  { name: 'a', raw: 'v', opts: { domain: 'bad_domain', path: '/;' } },
  { name: 'a', raw: 'v', opts: { path: '/;', priority: 'urgent' } },
  { name: 'a', raw: 'v', opts: { priority: 'urgent', sameSite: 'bogus' } },
  { name: 'a', raw: 'café ☃/?', opts: {} },
  { name: 'a', identity: '"quoted"', opts: {} },
  { name: 'a', identity: '', opts: {} },
  { name: 'a', identity: '"', opts: {} },
  { name: 'a', identity: 'a b', opts: {} },
  { name: 'a', identity: 'a,b', opts: {} },
  { name: 'a', identity: 'a\\b', opts: {} },
  { name: 'a', identity: 'x"y', opts: {} },
  { name: 'a', identity: '!#$%&\'()*+-./:<=>?@[]^_`{|}~', opts: {} },
];
const identity = (v) => v;
const serialize = serializeCases.map((c) => {
  const opts = Object.assign({}, c.opts);
  if (opts.expires !== undefined) opts.expires = new Date(opts.expires);
  const value = c.identity !== undefined ? c.identity : encodeURIComponent(c.raw);
  const attrs = Object.assign({}, c.opts);
  if (attrs.expires !== undefined) {
    attrs.expiresMs = attrs.expires;
    delete attrs.expires;
  }
  const out = { name: c.name, value, attrs, result: null, error: null };
  try {
    out.result = c.identity !== undefined
      ? cookie.serialize(c.name, c.identity, Object.assign(opts, { encode: identity }))
      : cookie.serialize(c.name, c.raw, opts);
  } catch (e) {
    out.error = e.message;
  }
  return out;
});

const vectors = { versions, sign, unsign, parse, serialize };
const file = path.join(__dirname, 'vectors.json');
fs.writeFileSync(file, JSON.stringify(vectors, null, 1) + '\n');
console.log(`wrote ${file}: ${sign.length} sign, ${unsign.length} unsign, ` +
  `${parse.length} parse, ${serialize.length} serialize`);
