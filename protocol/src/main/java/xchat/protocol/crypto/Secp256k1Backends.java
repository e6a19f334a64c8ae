package xchat.protocol.crypto;

import java.util.Locale;
import java.util.Optional;

/**
 * Chooses and caches the secp256k1 backend: libsecp256k1 when it loads, Bouncy Castle otherwise.
 * The system property {@value #PROPERTY} ({@code native} or {@code bc}) forces one; it is read
 * once, on the first call to {@link #defaultBackend()}.
 */
public final class Secp256k1Backends {

  /** System property that forces a backend: {@code native} or {@code bc}. */
  public static final String PROPERTY = "xchat.secp256k1";

  private static final Object LOCK = new Object();
  private static volatile Secp256k1 defaultBackend;

  private Secp256k1Backends() {}

  /**
   * The cached process-wide backend.
   *
   * @throws IllegalArgumentException when {@value #PROPERTY} names no backend
   * @throws NativeSecp256k1.UnavailableException when {@value #PROPERTY} forces {@code native}
   *     and the library does not load
   */
  public static Secp256k1 defaultBackend() {
    Secp256k1 backend = defaultBackend;
    if (backend == null) {
      synchronized (LOCK) {
        backend = defaultBackend;
        if (backend == null) {
          backend = select(System.getProperty(PROPERTY));
          defaultBackend = backend;
        }
      }
    }
    return backend;
  }

  /** The pure-Java backend; always available. */
  public static BouncyCastleSecp256k1 bouncyCastle() {
    return BouncyCastleSecp256k1.instance();
  }

  /** The libsecp256k1 backend, or empty when it does not load here. Loaded at most once. */
  public static Optional<NativeSecp256k1> nativeBackend() {
    return Optional.ofNullable(NativeLoad.BACKEND);
  }

  /** Why the native backend is unavailable, or empty when it loaded. */
  public static Optional<NativeSecp256k1.UnavailableException> nativeUnavailableReason() {
    return Optional.ofNullable(NativeLoad.FAILURE);
  }

  /** The backend for a {@value #PROPERTY} value; null or blank means native if it loads. */
  static Secp256k1 select(String choice) {
    if (choice == null || choice.isBlank()) {
      Optional<NativeSecp256k1> loaded = nativeBackend();
      return loaded.isPresent() ? loaded.get() : bouncyCastle();
    }
    switch (choice.trim().toLowerCase(Locale.ROOT)) {
      case BouncyCastleSecp256k1.NAME:
        return bouncyCastle();
      case NativeSecp256k1.NAME:
        return nativeBackend()
            .orElseThrow(
                () ->
                    new NativeSecp256k1.UnavailableException(
                        PROPERTY + "=native but libsecp256k1 is unavailable", NativeLoad.FAILURE));
      default:
        throw new IllegalArgumentException(
            PROPERTY + " must be '" + NativeSecp256k1.NAME + "' or '"
                + BouncyCastleSecp256k1.NAME + "', got '" + choice + "'");
    }
  }

  /** Lazy holder: the JNI load is attempted once, on first use, and never throws here. */
  private static final class NativeLoad {
    static final NativeSecp256k1 BACKEND;
    static final NativeSecp256k1.UnavailableException FAILURE;

    static {
      NativeSecp256k1 backend = null;
      NativeSecp256k1.UnavailableException failure = null;
      try {
        backend = NativeSecp256k1.load();
      } catch (NativeSecp256k1.UnavailableException e) {
        failure = e;
      } catch (LinkageError e) {
        // secp256k1-kmp itself is missing from the classpath.
        failure = new NativeSecp256k1.UnavailableException("secp256k1-kmp classes missing", e);
      }
      BACKEND = backend;
      FAILURE = failure;
    }
  }
}
