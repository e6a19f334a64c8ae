package xchat.protocol.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.protocol.event.Rumor;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.media.DecryptResult.Decrypted;
import xchat.protocol.media.DecryptResult.Reason;
import xchat.protocol.media.DecryptResult.Rejected;
import xchat.protocol.message.TestEvents;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip17.FileMetadata;

class MediaCipherTest {
  static final long SEED = 0x6d656469614cL;
  static final KeyPair ALICE = TestEvents.keys("alice");
  static final KeyPair BOB = TestEvents.keys("bob");

  @TempDir Path dir;

  static SecureRandom seeded(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed); // before any output, so the stream is fixed by the seed
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  Path file(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  static byte[] randomBytes(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return Hex.encode(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  EncryptedMedia encrypt(Path plaintext, Path ciphertext, long seed) throws IOException {
    return MediaCipher.encrypt(plaintext, ciphertext, seeded(seed), TransferProgress.NONE);
  }

  FileMetadata metadata(EncryptedMedia media) {
    return media.metadata(
        "http://127.0.0.1/" + media.ciphertextSha256(), "image/png", Optional.empty(), List.of());
  }

  @Test
  void roundTripsEverySizeAroundBlockAndChunkBoundaries() throws Exception {
    int chunk = MediaCipher.CHUNK_BYTES;
    for (int size : new int[] {0, 1, 15, 16, 17, chunk - 1, chunk, chunk + 1, 3 * chunk + 5}) {
      long seed = SEED + size;
      byte[] original = randomBytes(seed, size);
      Path plain = file("plain-" + size, original);
      Path cipher = dir.resolve("cipher-" + size);
      EncryptedMedia media = encrypt(plain, cipher, seed);
      String where = "size " + size + " seed " + seed;
      assertEquals(size + 16L, Files.size(cipher), where);
      assertEquals(sha256(original), media.originalSha256(), where);
      assertEquals(sha256(Files.readAllBytes(cipher)), media.ciphertextSha256(), where);
      Path out = dir.resolve("out-" + size);
      DecryptResult result =
          MediaCipher.decrypt(cipher, metadata(media), out, TransferProgress.NONE);
      assertEquals(new Decrypted(Optional.of(out.toAbsolutePath()), size), result, where);
      assertArrayEquals(original, Files.readAllBytes(out), where);
    }
  }

  @Test
  void writesWhatTheJdkAesGcmWritesAndReadsIt() throws Exception {
    byte[] original = randomBytes(SEED, 70_001);
    Path cipher = dir.resolve("cipher");
    EncryptedMedia media = encrypt(file("plain", original), cipher, SEED);
    Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
    jdk.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(media.key().key(), "AES"),
        new GCMParameterSpec(128, media.key().nonce()));
    assertArrayEquals(jdk.doFinal(original), Files.readAllBytes(cipher), "seed " + SEED);
    jdk.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(media.key().key(), "AES"),
        new GCMParameterSpec(128, media.key().nonce()));
    assertArrayEquals(original, jdk.doFinal(Files.readAllBytes(cipher)), "seed " + SEED);
  }

  @Test
  void aKind15MessageCarriesEverythingTheRecipientNeeds() throws Exception {
    byte[] original = randomBytes(SEED, 5000);
    Path cipher = dir.resolve("cipher");
    EncryptedMedia media = encrypt(file("plain", original), cipher, SEED);
    Rumor rumor =
        ChatRumors.file(
            ALICE.publicKey(),
            List.of(BOB.publicKey()),
            metadata(media),
            1_700_000_000L,
            ChatRumors.Options.NONE);
    FileMetadata received = ChatRumors.fileMetadata(rumor).orElseThrow();
    assertEquals(media.ciphertextSha256(), received.encryptedSha256());
    assertEquals(media.ciphertextSize(), received.encryptedSize());
    Path out = dir.resolve("out");
    assertInstanceOf(
        Decrypted.class, MediaCipher.decrypt(cipher, received, out, TransferProgress.NONE));
    assertArrayEquals(original, Files.readAllBytes(out), "seed " + SEED);
  }

  @Test
  void rejectsATamperedBlobBeforeTrustingAnyOfIt() throws Exception {
    Path cipher = dir.resolve("cipher");
    EncryptedMedia media = encrypt(file("plain", randomBytes(SEED, 4096)), cipher, SEED);
    byte[] bytes = Files.readAllBytes(cipher);
    bytes[1000] ^= 0x01;
    Files.write(cipher, bytes);
    assertRejected(Reason.CIPHERTEXT_HASH_MISMATCH, cipher, metadata(media));
  }

  @Test
  void rejectsASubstitutedBlobOfTheSameSize() throws Exception {
    Path cipher = dir.resolve("cipher");
    EncryptedMedia media = encrypt(file("plain", randomBytes(SEED, 4096)), cipher, SEED);
    Path other = dir.resolve("other");
    encrypt(file("other-plain", randomBytes(SEED + 1, 4096)), other, SEED + 1);
    assertRejected(Reason.CIPHERTEXT_HASH_MISMATCH, other, metadata(media));
  }

  @Test
  void rejectsAlteredBytesEvenWhenTheSenderHashedThem() throws Exception {
    Path cipher = dir.resolve("cipher");
    EncryptedMedia media = encrypt(file("plain", randomBytes(SEED, 4096)), cipher, SEED);
    byte[] bytes = Files.readAllBytes(cipher);
    bytes[7] ^= 0x40;
    Files.write(cipher, bytes);
    FileMetadata lying = withHashes(metadata(media), sha256(bytes), media.originalSha256());
    assertRejected(Reason.AUTH_TAG_MISMATCH, cipher, lying);
  }

  @Test
  void rejectsTheWrongKey() throws Exception {
    Path cipher = dir.resolve("cipher");
    EncryptedMedia media = encrypt(file("plain", randomBytes(SEED, 100)), cipher, SEED);
    FileMetadata good = metadata(media);
    MediaKey other = MediaKey.generate(seeded(SEED + 7));
    FileMetadata wrong =
        new FileMetadata(
            good.url(),
            good.mimeType(),
            good.encryptionAlgorithm(),
            other.keyHex(),
            good.decryptionNonceHex(),
            good.encryptedSha256(),
            good.originalSha256(),
            good.encryptedSize(),
            Optional.empty(),
            List.of());
    assertRejected(Reason.AUTH_TAG_MISMATCH, cipher, wrong);
  }

  @Test
  void rejectsAPlaintextThatIsNotTheOneTheSenderHashed() throws Exception {
    Path cipher = dir.resolve("cipher");
    EncryptedMedia media = encrypt(file("plain", randomBytes(SEED, 100)), cipher, SEED);
    FileMetadata wrongOx = withHashes(metadata(media), media.ciphertextSha256(), "ab".repeat(32));
    assertRejected(Reason.ORIGINAL_HASH_MISMATCH, cipher, wrongOx);
  }

  @Test
  void rejectsTruncatedAndMissizedBlobs() throws Exception {
    Path cipher = dir.resolve("cipher");
    EncryptedMedia media = encrypt(file("plain", randomBytes(SEED, 100)), cipher, SEED);
    byte[] shortBlob = randomBytes(SEED, 10);
    Path stub = file("stub", shortBlob);
    FileMetadata unsized =
        withSize(withHashes(metadata(media), sha256(shortBlob), media.originalSha256()), 0);
    assertRejected(Reason.TRUNCATED, stub, unsized);
    assertRejected(
        Reason.SIZE_MISMATCH, cipher, withSize(metadata(media), media.ciphertextSize() - 1));
    assertRejected(
        Reason.SIZE_MISMATCH, cipher, withSize(metadata(media), media.ciphertextSize() + 1));
  }

  @Test
  void acceptsAMessageWithoutASizeTag() throws Exception {
    Path cipher = dir.resolve("cipher");
    EncryptedMedia media = encrypt(file("plain", randomBytes(SEED, 100)), cipher, SEED);
    assertInstanceOf(
        Decrypted.class,
        MediaCipher.decrypt(
            cipher, withSize(metadata(media), 0), dir.resolve("out"), TransferProgress.NONE));
  }

  @Test
  void rejectsAnUnusableKey() throws Exception {
    Path cipher = dir.resolve("cipher");
    EncryptedMedia media = encrypt(file("plain", randomBytes(SEED, 100)), cipher, SEED);
    FileMetadata good = metadata(media);
    FileMetadata shortKey =
        new FileMetadata(
            good.url(),
            good.mimeType(),
            good.encryptionAlgorithm(),
            good.decryptionKeyHex().substring(2),
            good.decryptionNonceHex(),
            good.encryptedSha256(),
            good.originalSha256(),
            good.encryptedSize(),
            Optional.empty(),
            List.of());
    assertRejected(Reason.BAD_KEY, cipher, shortKey);
  }

  @Test
  void reportsProgressUpToTheWholeFile() throws Exception {
    int size = 3 * MediaCipher.CHUNK_BYTES + 1;
    Path plain = file("plain", randomBytes(SEED, size));
    long[] last = {-1, -1};
    MediaCipher.encrypt(
        plain,
        dir.resolve("cipher"),
        seeded(SEED),
        (done, total) -> {
          assertTrue(done > last[0], "progress only grows");
          last[0] = done;
          last[1] = total;
        });
    assertArrayEquals(new long[] {size, size}, last);
  }

  @Test
  void streamsWithoutHoldingTheInput() throws Exception {
    long size = 8L * 1024 * 1024 + 3;
    MediaKey key = MediaKey.generate(seeded(SEED));
    MessageDigest plainHash = MessageDigest.getInstance("SHA-256");
    HashingSink cipherSink = new HashingSink();
    EncryptedMedia media;
    try (InputStream in = new PatternStream(size, plainHash)) {
      media = MediaCipher.encrypt(in, cipherSink, key, size, TransferProgress.NONE);
    }
    assertEquals(Hex.encode(plainHash.digest()), media.originalSha256());
    assertEquals(cipherSink.hex(), media.ciphertextSha256());
    assertEquals(size + 16, cipherSink.count);
  }

  @Test
  void neverLeavesPartialOutputBehind() throws Exception {
    Path cipher = dir.resolve("cipher");
    EncryptedMedia media =
        encrypt(file("plain", randomBytes(SEED, 3 * MediaCipher.CHUNK_BYTES)), cipher, SEED);
    assertRejected(
        Reason.ORIGINAL_HASH_MISMATCH,
        cipher,
        withHashes(metadata(media), media.ciphertextSha256(), "cd".repeat(32)));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          List.of("cipher", "plain"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void keysAreRedactedAndCompareByValue() {
    MediaKey key = MediaKey.generate(seeded(SEED));
    assertEquals("MediaKey[redacted]", key.toString());
    assertEquals(key, MediaKey.fromHex(key.keyHex(), key.nonceHex()));
    assertFalse(
        metadata(new EncryptedMedia(key, "ab".repeat(32), "cd".repeat(32), 0, 16))
            .toString()
            .contains(key.keyHex()));
  }

  @Test
  void streamDecryptionReportsNoFile() throws Exception {
    byte[] original = randomBytes(SEED, 1000);
    MediaKey key = MediaKey.generate(seeded(SEED));
    ByteArrayOutputStream cipher = new ByteArrayOutputStream();
    EncryptedMedia media =
        MediaCipher.encrypt(
            new ByteArrayInputStream(original), cipher, key, -1, TransferProgress.NONE);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    DecryptResult result =
        MediaCipher.decrypt(
            new ByteArrayInputStream(cipher.toByteArray()),
            new MediaCipher.Expected(
                key, media.ciphertextSha256(), media.originalSha256(), OptionalLong.empty()),
            plain,
            -1,
            TransferProgress.NONE);
    assertEquals(new Decrypted(Optional.empty(), 1000), result);
    assertArrayEquals(original, plain.toByteArray());
  }

  void assertRejected(Reason reason, Path cipher, FileMetadata file) throws IOException {
    Path out = dir.resolve("rejected-output");
    DecryptResult result = MediaCipher.decrypt(cipher, file, out, TransferProgress.NONE);
    assertEquals(
        reason, assertInstanceOf(Rejected.class, result, "seed " + SEED).reason(), "seed " + SEED);
    assertFalse(Files.exists(out), "no output survives a rejection");
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(
          files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary left");
    }
  }

  static FileMetadata withHashes(FileMetadata f, String x, String ox) {
    return new FileMetadata(
        f.url(),
        f.mimeType(),
        f.encryptionAlgorithm(),
        f.decryptionKeyHex(),
        f.decryptionNonceHex(),
        x,
        ox,
        f.encryptedSize(),
        f.dimensions(),
        f.fallbackUrls());
  }

  static FileMetadata withSize(FileMetadata f, long size) {
    return new FileMetadata(
        f.url(),
        f.mimeType(),
        f.encryptionAlgorithm(),
        f.decryptionKeyHex(),
        f.decryptionNonceHex(),
        f.encryptedSha256(),
        f.originalSha256(),
        size,
        f.dimensions(),
        f.fallbackUrls());
  }

  /** A long input that exists only one read at a time. */
  static final class PatternStream extends InputStream {
    private final long size;
    private final MessageDigest hash;
    private long position;

    PatternStream(long size, MessageDigest hash) {
      this.size = size;
      this.hash = hash;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (position == size) {
        return -1;
      }
      int n = (int) Math.min(length, size - position);
      for (int i = 0; i < n; i++) {
        long at = position + i;
        buffer[offset + i] = (byte) (at * 31 + (at >>> 11));
      }
      hash.update(buffer, offset, n);
      position += n;
      return n;
    }
  }

  static final class HashingSink extends OutputStream {
    private final MessageDigest hash;
    long count;

    HashingSink() throws NoSuchAlgorithmException {
      hash = MessageDigest.getInstance("SHA-256");
    }

    @Override
    public void write(int b) {
      hash.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      hash.update(bytes, offset, length);
      count += length;
    }

    String hex() {
      return Hex.encode(hash.digest());
    }
  }
}
