// A nostr-tools peer for the engine's interop test: a NIP-17 chat partner on a real relay.
// Usage (cwd = interop/):
//   node engine-peer.mjs send RELAY_URL SENDER_SK_HEX RECIPIENT_PK_HEX TEXT
//     publishes one NIP-17 message (a wrap per recipient and one to self); prints the rumor id
//   node engine-peer.mjs receive RELAY_URL SK_HEX
//     AUTHs (NIP-42), reads every wrap addressed to it, and prints each unwrapped rumor as JSON
import WebSocket from 'ws'
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay'
import { finalizeEvent, getPublicKey } from 'nostr-tools/pure'
import * as nip59 from 'nostr-tools/nip59'
import { hexToBytes } from '@noble/hashes/utils.js'

useWebSocketImplementation(WebSocket)

const [mode, url, skHex, ...rest] = process.argv.slice(2)
const sk = hexToBytes(skHex)
const relay = await Relay.connect(url)
relay.publishTimeout = 10000

async function waitForChallenge() {
  for (let i = 0; i < 500 && !relay.challenge; i++) {
    await new Promise((r) => setTimeout(r, 10))
  }
}

if (mode === 'send') {
  const [recipient, text] = rest
  // NIP-17: one rumor, sealed and wrapped for the recipient and for the sender's own devices.
  // (nip17.wrapManyEvents builds a different rumor per copy, so it is not used here.)
  const rumor = nip59.createRumor({ kind: 14, content: text, tags: [['p', recipient]] }, sk)
  for (const pk of [recipient, getPublicKey(sk)]) {
    await relay.publish(nip59.createWrap(nip59.createSeal(rumor, sk, pk), pk))
  }
  console.log(rumor.id)
} else if (mode === 'receive') {
  const me = getPublicKey(sk)
  const query = () =>
    new Promise((resolve, reject) => {
      const got = []
      const timer = setTimeout(() => reject(new Error('no EOSE')), 10000)
      const sub = relay.subscribe([{ kinds: [1059], '#p': [me] }], {
        onevent: (e) => got.push(e),
        oneose: () => {
          clearTimeout(timer)
          sub.close()
          resolve(got)
        },
      })
    })
  await waitForChallenge()
  if (relay.challenge) {
    await relay.auth(async (template) => finalizeEvent(template, sk))
  }
  for (const wrap of await query()) {
    const rumor = nip59.unwrapEvent(wrap, sk)
    console.log(JSON.stringify(rumor))
  }
} else {
  console.error('unknown mode ' + mode)
  process.exit(2)
}
relay.close()
process.exit(0)
