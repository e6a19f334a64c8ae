package xchat.protocol.crypto;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import xchat.protocol.hex.Hex;

/**
 * One row of the official BIP-340 test vector CSV. A class, not a record: it holds arrays and
 * is never compared.
 */
final class Bip340Vector {

  static final String RESOURCE = "/vectors/bip340-test-vectors.csv";

  final int index;
  /** Empty for verification-only vectors, which also have no aux randomness. */
  final Optional<byte[]> secretKey;
  final byte[] publicKey;
  final Optional<byte[]> auxRandom;
  final byte[] message;
  final byte[] signature;
  final boolean verifies;
  final String comment;

  private Bip340Vector(
      int index,
      Optional<byte[]> secretKey,
      byte[] publicKey,
      Optional<byte[]> auxRandom,
      byte[] message,
      byte[] signature,
      boolean verifies,
      String comment) {
    this.index = index;
    this.secretKey = secretKey;
    this.publicKey = publicKey;
    this.auxRandom = auxRandom;
    this.message = message;
    this.signature = signature;
    this.verifies = verifies;
    this.comment = comment;
  }

  static List<Bip340Vector> load() {
    try (InputStream in = Bip340Vector.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the test classpath");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String header = reader.readLine();
      if (header == null || !header.startsWith("index,secret key,public key,aux_rand,message")) {
        throw new IllegalStateException("unexpected header in " + RESOURCE + ": " + header);
      }
      List<Bip340Vector> vectors = new ArrayList<>();
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          vectors.add(parse(line));
        }
      }
      return vectors;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Bip340Vector parse(String line) {
    String[] f = line.split(",", 8);
    if (f.length != 8) {
      throw new IllegalStateException("expected 8 columns: " + line);
    }
    if (!f[6].equals("TRUE") && !f[6].equals("FALSE")) {
      throw new IllegalStateException("verification result is neither TRUE nor FALSE: " + line);
    }
    return new Bip340Vector(
        Integer.parseInt(f[0]),
        optionalHex(f[1]),
        hex(f[2]),
        optionalHex(f[3]),
        hex(f[4]),
        hex(f[5]),
        f[6].equals("TRUE"),
        f[7]);
  }

  private static byte[] hex(String upper) {
    return Hex.decode(upper.toLowerCase(Locale.ROOT));
  }

  private static Optional<byte[]> optionalHex(String upper) {
    return upper.isEmpty() ? Optional.empty() : Optional.of(hex(upper));
  }

  @Override
  public String toString() {
    return "BIP-340 vector " + index + (comment.isEmpty() ? "" : " (" + comment + ")");
  }
}
