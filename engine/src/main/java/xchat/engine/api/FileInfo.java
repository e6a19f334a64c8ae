package xchat.engine.api;

import java.util.List;
import java.util.Objects;

/**
 * What a kind-15 file message says about its file, without the decryption key and nonce (which
 * the engine keeps to itself and never shows).
 *
 * @param url where the sender stored the encrypted blob (Blossom, BUD-01)
 * @param mimeType the file's type before encryption
 * @param encryptedSize the blob's size in bytes (NIP-17 {@code size}: the ciphertext)
 * @param encryptedSha256 the blob's hash ({@code x}), checked before decrypting
 * @param originalSha256 the file's hash ({@code ox}), checked after decrypting
 * @param fallbackUrls the same blob on the sender's other servers
 */
public record FileInfo(
    String url,
    String mimeType,
    long encryptedSize,
    String encryptedSha256,
    String originalSha256,
    List<String> fallbackUrls) {

  public FileInfo {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(mimeType, "mimeType");
    Objects.requireNonNull(encryptedSha256, "encryptedSha256");
    Objects.requireNonNull(originalSha256, "originalSha256");
    fallbackUrls = List.copyOf(fallbackUrls);
  }
}
