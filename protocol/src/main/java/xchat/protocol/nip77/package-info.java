/**
 * NIP-77 negentropy syncing: the Negentropy Protocol V1 codec and reconciler.
 *
 * <p>Entry points: {@link xchat.protocol.nip77.Negentropy} (one side of a session), {@link
 * xchat.protocol.nip77.NegentropyStorage} (what a side reconciles; {@link
 * xchat.protocol.nip77.SortedVectorStorage} in memory), {@link
 * xchat.protocol.nip77.NegentropyMessage} (the wire format, binary and hex) and {@link
 * xchat.protocol.nip77.NegentropySession} (both sides in one process).
 *
 * <p>Invariants: decoding treats input as hostile and fails only with {@link
 * xchat.protocol.nip77.NegentropyException}, in time and memory linear in the input; an accepted
 * message re-encodes to the same bytes; every fingerprint or id list we send describes exactly our
 * items between its bounds; a side with a frame size limit never sends a larger message; the client
 * reports each differing id once.
 */
package xchat.protocol.nip77;
