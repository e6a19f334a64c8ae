package xchat.protocol.nip17;

import java.util.List;
import java.util.Optional;
import xchat.protocol.hex.Hex;

/** The kind-15 description of an encrypted file (NIP-17 "File Message"). */
public record FileMetadata(
    String url,
    String mimeType,
    String encryptionAlgorithm,
    String decryptionKeyHex,
    String decryptionNonceHex,
    String encryptedSha256,
    String originalSha256,
    long encryptedSize,
    Optional<String> dimensions,
    List<String> fallbackUrls) {

  public FileMetadata {
    if (url == null || url.isBlank() || mimeType == null || mimeType.isBlank()) {
      throw new IllegalArgumentException("a file message needs a URL and a MIME type");
    }
    if (!"aes-gcm".equals(encryptionAlgorithm)) {
      throw new IllegalArgumentException("NIP-17 supports only aes-gcm");
    }
    if (!Hex.isLowerHex(encryptedSha256, 32) || !Hex.isLowerHex(originalSha256, 32)) {
      throw new IllegalArgumentException("x and ox must be SHA-256 hex");
    }
    if (decryptionKeyHex == null || decryptionNonceHex == null) {
      throw new IllegalArgumentException("decryption key and nonce are required");
    }
    if (encryptedSize < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
    dimensions = dimensions == null ? Optional.empty() : dimensions;
    fallbackUrls = fallbackUrls == null ? List.of() : List.copyOf(fallbackUrls);
  }

  @Override
  public String toString() {
    return "FileMetadata[" + mimeType + ", " + encryptedSize + " bytes, key redacted]";
  }
}
