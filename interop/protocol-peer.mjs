// Drives nostr-tools, the reference JS implementation, for xchat's interop tests.
// Reads one JSON request on stdin and writes one JSON response on stdout.
import { readFileSync } from 'node:fs';
import { finalizeEvent, getPublicKey, verifyEvent } from 'nostr-tools/pure';
import * as nip17 from 'nostr-tools/nip17';
import * as nip19 from 'nostr-tools/nip19';
import * as nip44 from 'nostr-tools/nip44';
import * as nip49 from 'nostr-tools/nip49';
import * as nip59 from 'nostr-tools/nip59';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

const request = JSON.parse(readFileSync(0, 'utf8'));

function attempt(fn) {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    return { ok: false, error: String(e && e.message ? e.message : e) };
  }
}

const ops = {
  'nip17-wrap': ({ senderSk, recipients, message, subject }) =>
    nip17.wrapManyEvents(hexToBytes(senderSk), recipients.map((publicKey) => ({ publicKey })), message, subject),

  'nip59-unwrap': ({ sk, wraps }) => wraps.map((wrap) => attempt(() => nip59.unwrapEvent(wrap, hexToBytes(sk)))),

  'verify': ({ events }) => events.map((event) => verifyEvent(event)),

  'sign': ({ sk, template }) => finalizeEvent(template, hexToBytes(sk)),

  'pubkey': ({ sk }) => getPublicKey(hexToBytes(sk)),

  'nip44-encrypt': ({ sk, pk, plaintexts }) => {
    const key = nip44.getConversationKey(hexToBytes(sk), pk);
    return plaintexts.map((p) => nip44.encrypt(p, key));
  },

  'nip44-decrypt': ({ sk, pk, payloads }) => {
    const key = nip44.getConversationKey(hexToBytes(sk), pk);
    return payloads.map((p) => attempt(() => nip44.decrypt(p, key)));
  },

  'nip19-encode': ({ pubkey, sk, note, nprofile, nevent, naddr }) => ({
    npub: nip19.npubEncode(pubkey),
    nsec: nip19.nsecEncode(hexToBytes(sk)),
    note: nip19.noteEncode(note),
    nprofile: nip19.nprofileEncode(nprofile),
    nevent: nip19.neventEncode(nevent),
    naddr: nip19.naddrEncode(naddr),
  }),

  'nip19-decode': ({ strings }) =>
    strings.map((s) =>
      attempt(() => {
        const { type, data } = nip19.decode(s);
        return { type, data: data instanceof Uint8Array ? bytesToHex(data) : data };
      }),
    ),

  'nip49-encrypt': ({ sk, password, logn }) => nip49.encrypt(hexToBytes(sk), password, logn),

  'nip49-decrypt': ({ ncryptsec, password }) => attempt(() => bytesToHex(nip49.decrypt(ncryptsec, password))),
};

const op = ops[request.op];
if (!op) {
  process.stderr.write(`unknown op ${request.op}\n`);
  process.exit(2);
}
process.stdout.write(JSON.stringify(op(request)) + '\n');
