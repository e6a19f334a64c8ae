package xchat.protocol.media;

import java.util.List;
import java.util.Optional;
import xchat.protocol.blossom.Sha256Hex;
import xchat.protocol.nip17.FileMetadata;

/**
 * The outcome of encrypting one file: its key, and the hashes and sizes a kind-15 message carries.
 *
 * @param ciphertextSha256 NIP-17 {@code x}: the blob's name on Blossom servers
 * @param originalSha256 NIP-17 {@code ox}
 */
public record EncryptedMedia(
    MediaKey key,
    String ciphertextSha256,
    String originalSha256,
    long plaintextSize,
    long ciphertextSize) {

  public EncryptedMedia {
    if (key == null) {
      throw new IllegalArgumentException("key must not be null");
    }
    Sha256Hex.require(ciphertextSha256, "x");
    Sha256Hex.require(originalSha256, "ox");
    if (plaintextSize < 0 || ciphertextSize != plaintextSize + MediaCipher.TAG_BYTES) {
      throw new IllegalArgumentException("GCM ciphertext is the plaintext plus a 16-byte tag");
    }
  }

  /** The kind-15 description of this file at {@code url}, with fallback URLs. */
  public FileMetadata metadata(
      String url, String mimeType, Optional<String> dimensions, List<String> fallbackUrls) {
    return new FileMetadata(
        url,
        mimeType,
        MediaCipher.ALGORITHM,
        key.keyHex(),
        key.nonceHex(),
        ciphertextSha256,
        originalSha256,
        ciphertextSize,
        dimensions,
        fallbackUrls);
  }
}
