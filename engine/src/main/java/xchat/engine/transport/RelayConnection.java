package xchat.engine.transport;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One open connection to one relay.
 *
 * <p>Incoming text frames come through {@link #incoming()}, which honours demand: the transport
 * reads from the network only as far as its subscriber has requested, plus a small fixed buffer.
 * So a flood from a relay slows that relay's reads; it never grows the heap.
 */
public interface RelayConnection {

  /** What happened to a frame handed to {@link #send}. */
  enum SendResult {
    /** Queued for the network. Says nothing about whether the relay will read it. */
    ENQUEUED,
    /** The outgoing buffer is full; try again later. */
    BUFFER_FULL,
    /** The connection is closed or failing. */
    CLOSED
  }

  /**
   * The incoming text frames. It allows exactly one subscriber. It completes when the relay
   * closes the connection and fails when the connection fails. A frame larger than the
   * transport's limit, or a binary frame, arrives as {@link #DROPPED_FRAME} instead of its content.
   */
  Flow.Publisher<String> incoming();

  /** Queues one text frame; never blocks. */
  SendResult send(String frame);

  /** Closes the connection politely (a WebSocket close frame); idempotent. */
  void close();

  /**
   * Gives up on the connection, for a socket that stopped answering: nothing more is read or
   * sent, and a socket that does not close in time is dropped by the transport; idempotent.
   */
  void abort();

  /** Completes when the connection has ended for any reason, normally or not. */
  CompletionStage<Void> terminated();

  /** Stands in for a frame the transport would not read (too large, or binary). */
  String DROPPED_FRAME = "";
}
