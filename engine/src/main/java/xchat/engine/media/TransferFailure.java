package xchat.engine.media;

import java.util.OptionalInt;

/**
 * Why one server did not do what was asked. {@code detail} is the server's X-Reason or a short
 * description of the local error; it never holds key bytes or plaintext.
 */
public record TransferFailure(Kind kind, OptionalInt status, String detail) {

  /** The kinds of failure, from the network up. */
  public enum Kind {
    /** No connection, a reset, or a timeout, after every attempt. */
    UNREACHABLE,
    /** 5xx or 429 after every attempt. */
    SERVER_ERROR,
    /** 401 or 403: the server refused the authorization. */
    UNAUTHORIZED,
    /** 404 where the blob was expected. */
    NOT_FOUND,
    /** Another 4xx: the server refused the request. */
    REFUSED,
    /** The answer is not what BUD-01/02 promise (a bad descriptor, a wrong range). */
    BAD_RESPONSE,
    /** The bytes served are not the blob asked for: corrupted or substituted. */
    HASH_MISMATCH,
    /** More bytes than the blob can have. */
    TOO_LARGE,
    /** Fewer or more bytes than the message's size tag. */
    SIZE_MISMATCH,
    /** Reading or writing a local file failed. */
    LOCAL_IO
  }

  public TransferFailure {
    if (kind == null || status == null || detail == null) {
      throw new IllegalArgumentException("kind, status option and detail are required");
    }
  }

  static TransferFailure of(Kind kind, String detail) {
    return new TransferFailure(kind, OptionalInt.empty(), detail);
  }

  static TransferFailure http(Kind kind, int status, String detail) {
    return new TransferFailure(kind, OptionalInt.of(status), detail);
  }
}
