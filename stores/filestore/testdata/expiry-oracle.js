// Prints, for each line of stdin (a file's content), what
// session-file-store's get would make of it at now = 1800000000000 with the
// default ttl: "corrupt" (JSON.parse throws), "expired" or "live".
const helpers = require('/work/shared/conformance/reference/node_modules/session-file-store/lib/session-file-helpers.js')
const N = 1800000000000
const RealDate = Date
global.Date = class extends RealDate { constructor (...a) { if (a.length === 0) super(N); else super(...a) } }
const opts = { ttl: 3600 }
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'))
for (const doc of lines) {
  let s, verdict
  try { s = JSON.parse(doc) } catch (e) { verdict = 'corrupt' }
  if (!verdict) verdict = helpers.isExpired(s, opts) ? 'expired' : 'live'
  console.log(verdict + '\t' + doc)
}
