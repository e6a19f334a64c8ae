package xchat.protocol.nip19;

/** A decoded NIP-19 string. Every value is valid once constructed. */
public sealed interface Nip19Entity permits Npub, Nsec, Note, Nprofile, Nevent, Naddr {

  /** The bech32 human-readable prefix: {@code npub}, {@code nsec}, {@code note}, ... */
  String prefix();

  /** The bech32 string of this entity. */
  default String toBech32() {
    return Nip19.encode(this);
  }
}
