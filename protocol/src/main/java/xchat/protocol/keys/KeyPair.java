package xchat.protocol.keys;

import java.util.random.RandomGenerator;
import xchat.protocol.crypto.Secp256k1;

/** A secret key with its public key, computed once. */
public record KeyPair(SecretKey secretKey, PublicKey publicKey) {

  public KeyPair {
    if (secretKey == null || publicKey == null) {
      throw new IllegalArgumentException("key pair needs both keys");
    }
  }

  public static KeyPair of(SecretKey secretKey, Secp256k1 curve) {
    return new KeyPair(secretKey, secretKey.publicKey(curve));
  }

  public static KeyPair generate(RandomGenerator random, Secp256k1 curve) {
    return of(SecretKey.generate(random, curve), curve);
  }

  @Override
  public String toString() {
    return "KeyPair[" + publicKey + "]";
  }
}
