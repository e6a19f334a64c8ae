package xchat.protocol.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import xchat.protocol.blossom.Sha256Hex;
import xchat.protocol.hex.Hex;
import xchat.protocol.media.DecryptResult.Decrypted;
import xchat.protocol.media.DecryptResult.Reason;
import xchat.protocol.media.DecryptResult.Rejected;
import xchat.protocol.nip17.FileMetadata;

/**
 * NIP-17 file encryption: AES-256-GCM, the 16-byte tag appended to the ciphertext (as WebCrypto and
 * other Nostr clients write it). Everything streams in fixed chunks, so a 1 GB file never sits
 * whole in memory; that is why this uses Bouncy Castle's GCM, which releases plaintext as it goes,
 * rather than the JDK's, which buffers a whole decryption. Both SHA-256 hashes ({@code ox} of the
 * plaintext, {@code x} of the ciphertext) are computed in the same pass.
 */
public final class MediaCipher {
  /** NIP-17 {@code encryption-algorithm}. */
  public static final String ALGORITHM = "aes-gcm";

  public static final int TAG_BYTES = 16;
  static final int CHUNK_BYTES = 64 * 1024;
  // GCM holds back at most a block plus a tag, and releases it with the next chunk or the final.
  private static final int OUTPUT_BYTES = CHUNK_BYTES + 64;

  private MediaCipher() {}

  /** Encrypts {@code plaintext} under a fresh key and nonce into {@code ciphertext}. */
  public static EncryptedMedia encrypt(
      Path plaintext, Path ciphertext, SecureRandom random, TransferProgress progress)
      throws IOException {
    MediaKey key = MediaKey.generate(random);
    long total = Files.size(plaintext);
    try (InputStream in = Files.newInputStream(plaintext);
        OutputStream out = Files.newOutputStream(ciphertext)) {
      return encrypt(in, out, key, total, progress);
    }
  }

  /**
   * Encrypts a stream. The key must be fresh: GCM under a repeated key and nonce leaks both
   * plaintexts.
   *
   * @param expectedSize for progress only; -1 when unknown
   */
  public static EncryptedMedia encrypt(
      InputStream in, OutputStream out, MediaKey key, long expectedSize, TransferProgress progress)
      throws IOException {
    GCMModeCipher cipher = cipher(true, key);
    MessageDigest originalHash = sha256();
    MessageDigest cipherHash = sha256();
    byte[] buffer = new byte[CHUNK_BYTES];
    byte[] output = new byte[OUTPUT_BYTES];
    long done = 0;
    int read;
    while ((read = in.read(buffer)) != -1) {
      originalHash.update(buffer, 0, read);
      int produced = cipher.processBytes(buffer, 0, read, output, 0);
      cipherHash.update(output, 0, produced);
      out.write(output, 0, produced);
      done += read;
      progress.onProgress(done, expectedSize);
    }
    int produced;
    try {
      produced = cipher.doFinal(output, 0);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("GCM encryption cannot fail to authenticate", e);
    }
    cipherHash.update(output, 0, produced);
    out.write(output, 0, produced);
    out.flush();
    return new EncryptedMedia(
        key,
        Hex.encode(cipherHash.digest()),
        Hex.encode(originalHash.digest()),
        done,
        done + TAG_BYTES);
  }

  /** What a blob must be to decrypt: the key, both hashes, and the size when the sender gave it. */
  public record Expected(
      MediaKey key, String ciphertextSha256, String originalSha256, OptionalLong ciphertextSize) {
    public Expected {
      if (key == null || ciphertextSize == null) {
        throw new IllegalArgumentException("key and size option are required");
      }
      Sha256Hex.require(ciphertextSha256, "x");
      Sha256Hex.require(originalSha256, "ox");
    }

    /**
     * From a kind-15 message; empty when its key or nonce is unusable. NIP-17 makes {@code size}
     * optional and our parser reads a missing one as 0, which no GCM blob can be: 0 means unknown.
     */
    public static Optional<Expected> of(FileMetadata file) {
      MediaKey key;
      try {
        key = MediaKey.fromHex(file.decryptionKeyHex(), file.decryptionNonceHex());
      } catch (IllegalArgumentException e) {
        return Optional.empty(); // the caller reports BAD_KEY
      }
      OptionalLong size =
          file.encryptedSize() > 0 ? OptionalLong.of(file.encryptedSize()) : OptionalLong.empty();
      return Optional.of(new Expected(key, file.encryptedSha256(), file.originalSha256(), size));
    }
  }

  /**
   * Decrypts a downloaded blob into {@code target}, through a temporary file beside it that becomes
   * {@code target} only once the size, {@code x}, the GCM tag and {@code ox} all check out. On any
   * rejection or I/O error nothing is left behind.
   */
  public static DecryptResult decrypt(
      Path ciphertext, FileMetadata file, Path target, TransferProgress progress)
      throws IOException {
    Optional<Expected> expected = Expected.of(file);
    if (expected.isEmpty()) {
      return new Rejected(
          Reason.BAD_KEY, "the decryption key or nonce is not valid hex of the right length");
    }
    return decrypt(ciphertext, expected.get(), target, progress);
  }

  public static DecryptResult decrypt(
      Path ciphertext, Expected expected, Path target, TransferProgress progress)
      throws IOException {
    Path absolute = target.toAbsolutePath();
    Path temporary = Files.createTempFile(absolute.getParent(), ".xchat-media-", ".part");
    boolean kept = false;
    try {
      DecryptResult result;
      long total = Files.size(ciphertext);
      try (InputStream in = Files.newInputStream(ciphertext);
          OutputStream out = Files.newOutputStream(temporary)) {
        result = decrypt(in, expected, out, total, progress);
      }
      if (result instanceof Decrypted decrypted) {
        move(temporary, absolute);
        kept = true;
        return new Decrypted(Optional.of(absolute), decrypted.size());
      }
      return result;
    } finally {
      if (!kept) {
        Files.deleteIfExists(temporary);
      }
    }
  }

  /**
   * Decrypts a stream. Plaintext reaches {@code out} before the tag is checked (that is what
   * streaming means), so on {@link Rejected} the caller must discard everything written. {@link
   * Decrypted#file()} is empty here.
   */
  public static DecryptResult decrypt(
      InputStream in,
      Expected expected,
      OutputStream out,
      long expectedSize,
      TransferProgress progress)
      throws IOException {
    GCMModeCipher cipher = cipher(false, expected.key());
    MessageDigest cipherHash = sha256();
    MessageDigest originalHash = sha256();
    byte[] buffer = new byte[CHUNK_BYTES];
    byte[] output = new byte[OUTPUT_BYTES];
    long limit = expected.ciphertextSize().orElse(Long.MAX_VALUE);
    long done = 0;
    long plaintext = 0;
    int read;
    while ((read = in.read(buffer)) != -1) {
      done += read;
      if (done > limit) {
        return new Rejected(Reason.SIZE_MISMATCH, "the blob is longer than the message's size tag");
      }
      cipherHash.update(buffer, 0, read);
      int produced = cipher.processBytes(buffer, 0, read, output, 0);
      originalHash.update(output, 0, produced);
      out.write(output, 0, produced);
      plaintext += produced;
      progress.onProgress(done, expectedSize);
    }
    if (done < TAG_BYTES) {
      return new Rejected(
          Reason.TRUNCATED, "the blob is " + done + " bytes, shorter than a GCM tag");
    }
    if (expected.ciphertextSize().isPresent() && done != limit) {
      return new Rejected(
          Reason.SIZE_MISMATCH, "the blob is " + done + " bytes, the message says " + limit);
    }
    if (!MessageDigest.isEqual(cipherHash.digest(), Hex.decode(expected.ciphertextSha256()))) {
      return new Rejected(
          Reason.CIPHERTEXT_HASH_MISMATCH, "the blob's SHA-256 is not the message's x");
    }
    try {
      int produced = cipher.doFinal(output, 0);
      originalHash.update(output, 0, produced);
      out.write(output, 0, produced);
      plaintext += produced;
    } catch (InvalidCipherTextException e) {
      return new Rejected(Reason.AUTH_TAG_MISMATCH, "GCM authentication failed");
    }
    out.flush();
    if (!MessageDigest.isEqual(originalHash.digest(), Hex.decode(expected.originalSha256()))) {
      return new Rejected(
          Reason.ORIGINAL_HASH_MISMATCH, "the plaintext's SHA-256 is not the message's ox");
    }
    return new Decrypted(Optional.empty(), plaintext);
  }

  private static GCMModeCipher cipher(boolean encrypt, MediaKey key) {
    GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
    byte[] keyBytes = key.key();
    try {
      cipher.init(
          encrypt, new AEADParameters(new KeyParameter(keyBytes), TAG_BYTES * 8, key.nonce()));
    } finally {
      Arrays.fill(keyBytes, (byte) 0);
    }
    return cipher;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
